package com.bridgeai.infra.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

        Run run = run("test", "--json", "out.json");

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
        assertEquals(List.of("--json", "out.json"), args.subList(3, 5), "further options passed on");
        assertTrue(run.stderr().contains("test-flux/cdk.tf.json: left out for checkov's parser: removed, moved block(s)"), run::stderr);
        assertTrue(Files.notExists(Path.of(args.get(0))), "the temporary copy is removed afterwards");
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

    /** Runs the script with scan.py replaced by a recorder that exits 3. */
    private Run run(String... args) throws Exception {
        Path recorder = dir.resolve("record-scan.py");
        Files.writeString(recorder, """
                import json, os, sys
                root = sys.argv[1]
                stacks = {d: json.load(open(os.path.join(root, d, "cdk.tf.json"))) for d in os.listdir(root)}
                json.dump({"args": sys.argv[1:], "stacks": stacks}, open(os.environ["SEEN"], "w"))
                sys.exit(3)
                """);
        List<String> argv = new java.util.ArrayList<>(List.of("bash", root().resolve("bin/checkov-scan").toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("CDKTF_OUTDIR", dir.toString());
        pb.environment().put("CHECKOV_SCAN", recorder.toString());
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
