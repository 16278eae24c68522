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
