package com.bridgeai.infra.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two scripts the workflows add to the README's commands: {@code bin/ci-envs} (which envs a job
 * matrix covers: CI envs only, not emulated, only those a change touches) and {@code bin/ci-summary}
 * (the job summary from a bin/tf-stacks log). Run as the workflows run them, on a scratch git repository.
 */
class CiScriptsTest {
    static final String CI = "ci_github_repository: \"digicatapult/bridgeai-infra\"\nci_aws_account_id: \"111122223333\"\n"
            + "ci_reviewers: [\"@alice\"]\n";

    @TempDir
    Path repo;

    record Run(int exitCode, String stdout, String stderr) {}

    @Test
    void ciEnvsListsTheRealCiEnvsAndOnlyThoseAChangeTouches() throws Exception {
        setUpRepo();
        writeEnv("alpha", renamed("alpha") + CI);
        writeEnv("beta", renamed("beta") + CI.replace("111122223333", "444455556666"));
        writeEnv("gamma", renamed("gamma")); // no CI keys
        writeEnv("local", renamed("local") + "emulator_endpoint: \"http://127.0.0.1:5000\"\n"
                + CI.replace("111122223333", "123456789012")); // emulated: CI cannot reach it
        git("add", "-A");
        git("commit", "-q", "-m", "envs");

        JsonNode all = matrix(run("bin/ci-envs"));
        assertEquals(List.of("alpha", "beta"), envs(all));
        JsonNode alpha = all.path("include").get(0);
        assertEquals("eu-west-2", alpha.path("region").asText());
        assertEquals("111122223333", alpha.path("account").asText());
        assertEquals("digicat-mlops", alpha.path("profile").asText());
        assertEquals("arn:aws:iam::111122223333:role/mlops-alpha-ci-plan", alpha.path("plan_role").asText());
        assertEquals("arn:aws:iam::111122223333:role/mlops-alpha-ci-apply", alpha.path("apply_role").asText());
        assertEquals("alpha", alpha.path("github_environment").asText());
        assertEquals("[\"ubuntu-24.04\"]", alpha.path("runs_on").asText(), "runs-on as JSON: fromJSON(matrix.runs_on)");

        String base = git("rev-parse", "HEAD").trim();
        assertEquals(List.of(), envs(matrix(run("bin/ci-envs", "--changed-since", base))), "nothing changed");
        // a change to one env file touches that env only
        Files.writeString(repo.resolve("env/beta/env.yaml"), Files.readString(repo.resolve("env/beta/env.yaml")) + "# note\n");
        git("commit", "-qam", "beta");
        assertEquals(List.of("beta"), envs(matrix(run("bin/ci-envs", "--changed-since", base))));
        // documentation and benchmarks touch none
        String beta = git("rev-parse", "HEAD").trim();
        Files.writeString(repo.resolve("README.md"), "changed\n");
        Files.createDirectories(repo.resolve("bench/results"));
        Files.writeString(repo.resolve("bench/results/run.txt"), "1 s\n");
        Files.createDirectories(repo.resolve("docs"));
        Files.writeString(repo.resolve("docs/notes.md"), "notes\n");
        git("add", "-A");
        git("commit", "-qm", "docs");
        assertEquals(List.of(), envs(matrix(run("bin/ci-envs", "--changed-since", beta))), "docs-only: nothing to plan or apply");
        // a change outside env/ (code, scripts) touches every env, docs or not beside it
        Files.writeString(repo.resolve("bench/run.sh"), "echo\n");
        Files.writeString(repo.resolve("Main.java"), "class Main {}\n");
        git("add", "-A");
        git("commit", "-qm", "code");
        assertEquals(List.of("alpha", "beta"), envs(matrix(run("bin/ci-envs", "--changed-since", beta))));
        assertEquals(List.of("alpha", "beta"), envs(matrix(run("bin/ci-envs", "--changed-since", base))));
        // a new branch (GitHub's all-zero "before") or a manual run: all
        assertEquals(List.of("alpha", "beta"), envs(matrix(run("bin/ci-envs", "--changed-since", "0".repeat(40)))));
        assertEquals(List.of("alpha", "beta"), envs(matrix(run("bin/ci-envs", "--changed-since", ""))));
        Run unknown = run("bin/ci-envs", "--changed-since", "f".repeat(40));
        assertEquals(List.of("alpha", "beta"), envs(matrix(unknown)), "a commit the clone does not hold: all");
        assertTrue(unknown.stderr().contains("is not a commit of this clone"), unknown::stderr);

        // promotion: beta applies after alpha when a change touches both, at once when it touches beta only
        Files.writeString(repo.resolve("env/beta/env.yaml"), Files.readString(repo.resolve("env/beta/env.yaml"))
                + "ci_promote_after: \"alpha\"\n");
        git("commit", "-qam", "promote beta after alpha");
        assertEquals(List.of("alpha"), envs(matrix(run("bin/ci-envs", "--stage", "first"))));
        assertEquals(List.of("beta"), envs(matrix(run("bin/ci-envs", "--stage", "promoted"))));
        String promoted = git("rev-parse", "HEAD~1").trim();
        assertEquals(List.of("beta"), envs(matrix(run("bin/ci-envs", "--stage", "first", "--changed-since", promoted))),
                "alpha untouched: nothing to wait for");
        assertEquals(List.of(), envs(matrix(run("bin/ci-envs", "--stage", "promoted", "--changed-since", promoted))));
        Run badStage = run("bin/ci-envs", "--stage", "last");
        assertEquals(1, badStage.exitCode(), badStage::toString);

        // an invalid env file anywhere: exit 2 with the problem, no matrix
        writeEnv("delta", renamed("delta").replace("region: \"eu-west-2\"", "region: \"nowhere\""));
        Run bad = run("bin/ci-envs");
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.stderr().contains("env/delta/env.yaml:"), bad::stderr);
        assertEquals("", bad.stdout());
    }

    @Test
    void ciSummaryTabulatesThePlanOfEveryStackAndKeepsTheDriftLines() throws Exception {
        Path log = repo.resolve("plan.log");
        Files.writeString(log, """
                == test-ci: plan
                No changes. Your infrastructure matches the configuration.
                == test-vpc: plan
                  # aws_vpc.vpc will be updated in-place
                Plan: 0 to add, 1 to change, 0 to destroy.
                == test-eks: plan
                Error: reading EKS Cluster: AccessDenied
                """);
        Run plan = runIn(Path.of("").toAbsolutePath(), "bin/ci-summary", "plan", "test", log.toString());
        assertEquals(0, plan.exitCode(), plan::toString);
        assertTrue(plan.stdout().contains("""
                | stack | result |
                |---|---|
                | test-ci | No changes. Your infrastructure matches the configuration. |
                | test-vpc | Plan: 0 to add, 1 to change, 0 to destroy. |
                | test-eks | error (see below) |
                """), plan::stdout);
        assertTrue(plan.stdout().contains("<details><summary>full plan output</summary>"), plan::stdout);

        Files.writeString(log, "== init\ntest-ci: in sync\ntest-vpc: drifted: aws_vpc.vpc (update)\nnoise\n");
        Run drift = runIn(Path.of("").toAbsolutePath(), "bin/ci-summary", "drift", "test", log.toString());
        assertEquals("### drift: test\n\n```\ntest-ci: in sync\ntest-vpc: drifted: aws_vpc.vpc (update)\n```\n", drift.stdout());

        Run missing = runIn(Path.of("").toAbsolutePath(), "bin/ci-summary", "plan", "test", repo.resolve("none.log").toString());
        assertTrue(missing.stdout().contains("the job failed before Terraform ran"), missing::stdout);
    }

    /**
     * bin/tf-stacks plan → bin/ci-summary → bin/tf-stacks apply-plans with real Terraform (the one on
     * PATH: 1.11 as in CI) on stacks that need no provider download (terraform_data, outputs), so
     * the summary is judged against what Terraform really prints: no changes, outputs only, an
     * import, changes, an error; and a saved plan is applied as planned, and refused once stale.
     */
    @Test
    void plansAreSummarizedFromRealTerraformOutputAndSavedPlansAppliedOrRefusedWhenStale() throws Exception {
        Path out = repo.resolve("cdktf.out");
        Map<String, String> stacks = new java.util.LinkedHashMap<>();
        stacks.put("test-same", "{}");
        stacks.put("test-outputs", "{\"output\": {\"endpoint\": {\"value\": \"https://example\"}}}");
        stacks.put("test-imports", "{\"resource\": {\"terraform_data\": {\"adopted\": {\"input\": \"x\"}}},"
                + " \"import\": [{\"to\": \"terraform_data.adopted\", \"id\": \"existing-id\"}]}");
        stacks.put("test-changes", "{\"resource\": {\"terraform_data\": {\"new\": {\"input\": \"y\"}}}}");
        stacks.put("test-broken", "{\"output\": {\"x\": {\"value\": \"${var.missing}\"}}}");
        StringBuilder manifest = new StringBuilder("{\"version\": \"0.21.0\", \"stacks\": {");
        String previous = null;
        for (var e : stacks.entrySet()) {
            Files.createDirectories(out.resolve("stacks").resolve(e.getKey()));
            Files.writeString(out.resolve("stacks").resolve(e.getKey()).resolve("cdk.tf.json"), e.getValue());
            manifest.append(previous == null ? "" : ", ").append('"').append(e.getKey()).append("\": {\"name\": \"")
                    .append(e.getKey()).append("\", \"dependencies\": [").append(previous == null ? "" : '"' + previous + '"')
                    .append("]}");
            previous = e.getKey();
        }
        Files.writeString(out.resolve("manifest.json"), manifest.append("}}").toString());
        Path tfrc = Files.writeString(repo.resolve("empty.tfrc"), "");
        Map<String, String> env = Map.of("CDKTF_OUTDIR", out.toString(), "TF_CLI_CONFIG_FILE", tfrc.toString());
        Path project = Path.of("").toAbsolutePath();

        Run plan = runCommand(project, List.of("bash", "bin/tf-stacks", "plan", "test"), env);
        assertEquals(1, plan.exitCode(), "the broken stack fails the plan: " + plan);
        Path log = repo.resolve("plan.log");
        Files.writeString(log, plan.stdout() + plan.stderr());
        Run summary = runCommand(project, List.of("bash", "bin/ci-summary", "plan", "test", log.toString()), Map.of());
        assertEquals(0, summary.exitCode(), summary::toString);
        assertTrue(summary.stdout().contains("""
                | stack | result |
                |---|---|
                | test-same | No changes. Your infrastructure matches the configuration. |
                | test-outputs | outputs only (no resource changes) |
                | test-imports | Plan: 1 to import, 0 to add, 1 to change, 0 to destroy. |
                | test-changes | Plan: 1 to add, 0 to change, 0 to destroy. |
                | test-broken | error (see below) |
                """), summary.stdout() + "\n--- from the real log:\n" + plan.stdout() + plan.stderr());

        // what was planned, and only that, is applied (the broken stack has no saved plan)
        List<String> good = List.of("test-same", "test-outputs", "test-imports", "test-changes");
        List<String> argv = new ArrayList<>(List.of("bash", "bin/tf-stacks", "apply-plans", "test"));
        argv.addAll(good);
        Run apply = runCommand(project, argv, env);
        assertEquals(0, apply.exitCode(), apply::toString);
        assertTrue(apply.stdout().contains("Apply complete! Resources: 1 imported, 0 added, 1 changed, 0 destroyed."), apply::stdout);
        assertTrue(apply.stdout().contains("Apply complete! Resources: 1 added, 0 changed, 0 destroyed."), apply::stdout);
        argv.set(2, "plan");
        Run again = runCommand(project, argv, env);
        assertEquals(0, again.exitCode(), again::toString);
        Files.writeString(log, again.stdout());
        Run clean = runCommand(project, List.of("bash", "bin/ci-summary", "plan", "test", log.toString()), Map.of());
        assertEquals(4, clean.stdout().lines().filter(l -> l.endsWith("| No changes. Your infrastructure matches the"
                + " configuration. |")).count(), clean::stdout);

        // the state moves after the plan (another apply): the saved plan is refused, not re-planned
        Run moved = runCommand(out.resolve("stacks/test-changes"), List.of("terraform", "apply", "-auto-approve",
                "-input=false", "-no-color", "-replace=terraform_data.new"), env);
        assertEquals(0, moved.exitCode(), moved::toString);
        Run stale = runCommand(project, List.of("bash", "bin/tf-stacks", "apply-plans", "test", "test-changes"), env);
        assertEquals(1, stale.exitCode(), stale::toString);
        assertTrue((stale.stdout() + stale.stderr()).contains("Saved plan is stale"), stale::toString);
        Run none = runCommand(project, List.of("bash", "bin/tf-stacks", "apply-plans", "test", "test-broken"), env);
        assertEquals(1, none.exitCode(), none::toString);
        assertTrue(none.stderr().contains("no saved plan"), none::stderr);
    }

    /** A scratch repository with this project's bin/ci-envs and the build's classpath (the script's root). */
    private void setUpRepo() throws Exception {
        Path project = Path.of("").toAbsolutePath();
        Files.createDirectories(repo.resolve("bin"));
        Files.copy(project.resolve("bin/ci-envs"), repo.resolve("bin/ci-envs"));
        Files.createDirectories(repo.resolve("src/target"));
        Files.copy(project.resolve("src/target/classpath.txt"), repo.resolve("src/target/classpath.txt"));
        Files.createSymbolicLink(repo.resolve("src/target/classes"), project.resolve("src/target/classes"));
        Files.writeString(repo.resolve(".gitignore"), "src/\n");
        Files.writeString(repo.resolve("README.md"), "scratch\n");
        git("init", "-q");
        git("add", "-A");
        git("commit", "-q", "-m", "scripts");
    }

    private static String renamed(String name) throws IOException {
        return Files.readString(Path.of("env", "test", "env.yaml"))
                .replace("environment: \"test\"", "environment: \"" + name + "\"")
                .replace("tfstate-mlops-test", "tfstate-mlops-" + name)
                .replace("\"terraform-state-locks\"", "\"terraform-state-locks-" + name + "\"")
                .replace("_DriverRole", "_DriverRole-" + name);
    }

    private void writeEnv(String name, String yaml) throws IOException {
        Files.createDirectories(repo.resolve("env").resolve(name));
        Files.writeString(repo.resolve("env").resolve(name).resolve("env.yaml"), yaml);
    }

    private static JsonNode matrix(Run run) throws IOException {
        assertEquals(0, run.exitCode(), run::toString);
        return new ObjectMapper().readTree(run.stdout());
    }

    private static List<String> envs(JsonNode matrix) {
        List<String> names = new ArrayList<>();
        matrix.path("include").forEach(row -> names.add(row.path("env").asText()));
        return names;
    }

    private String git(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=test", "-c", "user.email=test@example.com"));
        argv.addAll(List.of(args));
        Run r = runCommand(repo, argv, Map.of());
        assertEquals(0, r.exitCode(), r::toString);
        return r.stdout();
    }

    private Run run(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("bash"));
        argv.addAll(List.of(args));
        return runCommand(repo, argv, Map.of());
    }

    private Run runIn(Path dir, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("bash"));
        argv.addAll(List.of(args));
        return runCommand(dir, argv, Map.of());
    }

    private Run runCommand(Path dir, List<String> argv, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
        pb.environment().putAll(env);
        pb.environment().remove("BRIDGEAI_ENV_ROOT");
        Path out = Files.createTempFile(repo.getParent(), "out", ".txt");
        Path err = Files.createTempFile(repo.getParent(), "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), argv + " finished");
        Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
