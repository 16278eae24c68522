package com.bridgeai.infra.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code bin/checkov-scan} hands checkov: a copy of exactly the named env's stacks, each
 * {@code cdk.tf.json} equal to the synthesized one but for the top-level {@code removed} /
 * {@code moved} / {@code import} arrays checkov's terraform_json parser crashes on, and the
 * root's {@code .checkov.yaml}; checkov's exit status is the script's. checkov itself needs git
 * mirrors CI does not have, so scan.py is replaced here (CHECKOV_SCAN) by a recorder of what it
 * was given.
 */
class CheckovScanScriptTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static final String FLUX = """
            {"resource": {"helm_release": {"flux": {"name": "flux-operator"}}},
             "removed": [{"from": "helm_release.flux_flux2", "lifecycle": {"destroy": false}}],
             "moved": [{"from": "a.b", "to": "a.c"}],
             "terraform": {"backend": {"s3": {"bucket": "b"}}}}
            """;
    static final String EKS = """
            {"resource": {"aws_db_instance": {"db": {"storage_encrypted": true}}}, "output": {"x": {"value": "y"}}}
            """;

    @Test
    void scansACopyOfTheEnvsStacksWithoutTheBlocksCheckovCannotParse() throws Exception {
        stack("test-flux", FLUX);
        stack("test-eks", EKS);
        stack("test-eu-eks", EKS); // another env whose name starts with "test"
        stack("prod-eks", EKS);

        Run run = run("test", "--json", "out.json", "--extra", "x");

        assertEquals(3, run.exitCode(), "the scanner's exit status: " + run);
        JsonNode seen = JSON.readTree(dir.resolve("seen.json").toFile());
        assertEquals(new TreeSet<>(List.of("test-eks", "test-flux")), names(seen.path("stacks")));
        JsonNode flux = seen.path("stacks").path("test-flux");
        JsonNode expected = JSON.readTree(FLUX);
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).remove(List.of("removed", "moved"));
        assertEquals(expected, flux, "everything but the removed and moved blocks, unchanged");
        assertEquals(JSON.readTree(EKS), seen.path("stacks").path("test-eks"), "a stack without such blocks is copied as is");
        List<String> args = JSON.convertValue(seen.path("args"), List.class);
        assertEquals(List.of("--config", root().resolve(".checkov.yaml").toString()),
                args.subList(1, 3), args::toString);
        // scan.py writes its result where the script reads it back (the caller's --json gets the
        // result with the resources' waivers applied); further options are passed on
        assertEquals("--json", args.get(3));
        assertTrue(args.get(4).endsWith(".result.json"), args::toString);
        assertEquals(List.of("--extra", "x"), args.subList(5, 7), "further options passed on");
        assertTrue(run.stderr().contains("test-flux/cdk.tf.json: left out for checkov's parser: removed, moved block(s)"), run::stderr);
        assertTrue(Files.notExists(Path.of(args.get(0))), "the temporary copy is removed afterwards");
    }

    /** A stack whose log bucket waives CKV_AWS_145 (with a reason) and whose other bucket does not. */
    static final String STATE = """
            {"resource": {"aws_s3_bucket": {
               "logs": {"//": {"metadata": {"path": "test-state/logs"},
                               "checkov": {"skip": [{"comment": "S3 server access logging: SSE-KMS is not supported", "id": "CKV_AWS_145"}]}},
                        "bucket": "l"},
               "state": {"bucket": "s"}}}}
            """;

    @Test
    void aFailureOfACheckTheResourceWaivesIsShownWithItsReasonAndDoesNotCount() throws Exception {
        stack("test-state", STATE);
        Run run = runWithResult(List.of(row("FAIL", "CKV_AWS_145", "test-state", "aws_s3_bucket.logs"),
                row("PASS", "CKV_AWS_145", "test-state", "aws_s3_bucket.state"),
                // checkov's graph checks name the resource resource.<logical id> (CKV_AWS_38 on a cluster)
                row("FAIL", "CKV_AWS_145", "test-state", "resource.logs")), "test", "--json", dir.resolve("out.json").toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("WAIVED CKV_AWS_145 test-state     resource.logs  "), run::stdout);
        assertTrue(run.stdout().contains("WAIVED CKV_AWS_145 test-state     aws_s3_bucket.logs  "
                + "(S3 server access logging: SSE-KMS is not supported)"), run::stdout);
        assertFalse(run.stdout().contains("FAIL CKV_AWS_145"), "the scanner's FAIL line is replaced: " + run.stdout());
        assertTrue(run.stdout().contains("checkov-scan: waived on their resources: 2; failed checks outside .checkov.yaml"
                + " and the resources' waivers: 0 ()"), run::stdout);
        JsonNode out = JSON.readTree(dir.resolve("out.json").toFile());
        assertEquals("SKIP", out.at("/rows/0/status").asText(), out::toString);
        assertEquals("S3 server access logging: SSE-KMS is not supported", out.at("/rows/0/waiver").asText());
    }

    @Test
    void aDataSourceWaivesItsChecksToo() throws Exception {
        // checkov checks aws_iam_policy_document data sources and names them data.<name> or <type>.<name>
        stack("test-ci", """
                {"data": {"aws_iam_policy_document": {
                   "boundary": {"//": {"checkov": {"skip": [{"comment": "a permissions boundary grants nothing", "id": "CKV_AWS_1"}]}},
                                "statement": []},
                   "other": {"statement": []}}}}
                """);
        Run run = runWithResult(List.of(row("FAIL", "CKV_AWS_1", "test-ci", "data.boundary"),
                row("FAIL", "CKV_AWS_1", "test-ci", "aws_iam_policy_document.boundary"),
                row("FAIL", "CKV_AWS_1", "test-ci", "data.other")), "test");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("WAIVED CKV_AWS_1   test-ci        data.boundary  (a permissions boundary grants nothing)"),
                run::stdout);
        assertTrue(run.stdout().contains("WAIVED CKV_AWS_1   test-ci        aws_iam_policy_document.boundary  "), run::stdout);
        assertTrue(run.stdout().contains("FAIL CKV_AWS_1     test-ci        data.other"), run::stdout);
    }

    @Test
    void theWaiverCoversOnlyItsResourceItsCheckAndItsStack() throws Exception {
        stack("test-state", STATE);
        Run run = runWithResult(List.of(row("FAIL", "CKV_AWS_145", "test-state", "aws_s3_bucket.logs"),
                row("FAIL", "CKV_AWS_145", "test-state", "aws_s3_bucket.state"),
                row("FAIL", "CKV_AWS_21", "test-state", "aws_s3_bucket.logs")), "test");

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("FAIL CKV_AWS_145   test-state     aws_s3_bucket.state"), run::stdout);
        assertTrue(run.stdout().contains("FAIL CKV_AWS_21    test-state     aws_s3_bucket.logs"), run::stdout);
        assertTrue(run.stdout().contains("waived on their resources: 1; failed checks outside .checkov.yaml and the"
                + " resources' waivers: 2 (CKV_AWS_145, CKV_AWS_21)"), run::stdout);
    }

    @Test
    void aWaiverWithoutAReasonIsAFailure() throws Exception {
        stack("test-state", STATE.replace("S3 server access logging: SSE-KMS is not supported", " "));
        Run run = runWithResult(List.of(row("FAIL", "CKV_AWS_145", "test-state", "aws_s3_bucket.logs")), "test");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("test-state aws_s3_bucket.logs: waiver of CKV_AWS_145 without a reason"), run::stdout);
        assertTrue(run.stdout().contains("FAIL CKV_AWS_145"), "not waived: " + run.stdout());
    }

    private static Map<String, String> row(String status, String id, String stack, String resource) {
        return Map.of("status", status, "id", id, "name", "n", "resource", resource, "stack", stack);
    }

    /** Runs the script with scan.py replaced by one that reports {@code rows} as scan.py does (lines + --json). */
    private Run runWithResult(List<Map<String, String>> rows, String... args) throws Exception {
        Path scanner = dir.resolve("fake-scan.py");
        Files.writeString(scanner, """
                import json, os, sys
                rows = json.loads(os.environ["ROWS"])
                out = sys.argv[sys.argv.index("--json") + 1]
                json.dump({"rows": rows, "parsing_errors": []}, open(out, "w"))
                for r in rows:
                    if r["status"] == "FAIL":
                        print(f"FAIL {r['id']:13} {r['stack']:14} {r['resource']}  ({r['name']})")
                fails = sorted({r["id"] for r in rows if r["status"] == "FAIL"})
                print(f"checkov: failed checks: {len(fails)} ({', '.join(fails)})")
                sys.exit(1 if fails else 0)
                """);
        return run(scanner, Map.of("ROWS", JSON.writeValueAsString(rows)), args);
    }

    @Test
    void anEnvWithoutStacksIsAnError() throws Exception {
        stack("prod-eks", EKS);
        Run run = run("test");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains("no stacks " + dir + "/stacks/test-* (synthesize first: npx cdktf synth)"), run::stderr);
    }

    record Run(int exitCode, String stdout, String stderr) {}

    private void stack(String name, String json) throws Exception {
        Files.createDirectories(dir.resolve("stacks").resolve(name));
        Files.writeString(dir.resolve("stacks").resolve(name).resolve("cdk.tf.json"), json);
    }

    private static TreeSet<String> names(JsonNode object) {
        TreeSet<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Runs the script with scan.py replaced by a recorder that exits 3 (and writes no result). */
    private Run run(String... args) throws Exception {
        Path recorder = dir.resolve("record-scan.py");
        Files.writeString(recorder, """
                import json, os, sys
                root = sys.argv[1]
                stacks = {d: json.load(open(os.path.join(root, d, "cdk.tf.json"))) for d in os.listdir(root)}
                json.dump({"args": sys.argv[1:], "stacks": stacks}, open(os.environ["SEEN"], "w"))
                sys.exit(3)
                """);
        return run(recorder, Map.of(), args);
    }

    private Run run(Path scanner, Map<String, String> env, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("bash", root().resolve("bin/checkov-scan").toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("CDKTF_OUTDIR", dir.toString());
        pb.environment().put("CHECKOV_SCAN", scanner.toString());
        pb.environment().putAll(env);
        pb.environment().put("SEEN", dir.resolve("seen.json").toString());
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/checkov-scan finished");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The repository root: surefire runs the tests there (src/pom.xml workingDirectory). */
    private static Path root() {
        return Path.of("").toAbsolutePath();
    }
}
