package com.bridgeai.infra.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.bridgeai.infra.stacks.CiStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The GitHub Actions workflows under .github/workflows, parsed with snakeyaml: the triggers, AWS
 * credentials only through OIDC and only in the jobs that need them ({@code id-token: write}
 * nowhere else), one apply per env at a time behind its GitHub environment, the README's commands,
 * actions pinned by commit, the GitOps token only from a secret and never in a script.
 */
class WorkflowsTest {
    static final Path WORKFLOWS = Path.of(".github", "workflows");
    static final String AWS_ACTION = "aws-actions/configure-aws-credentials@";
    /** The fields of bin/ci-envs' matrix rows (CiEnvs). */
    static final Set<String> MATRIX_FIELDS = Set.of("env", "region", "account", "profile", "plan_role", "apply_role",
            "github_environment");

    static Map<String, Object> load(String name) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Map<String, Object> workflow = new Yaml(new SafeConstructor(options)).load(Files.readString(WORKFLOWS.resolve(name)));
        assertNotNull(workflow, name);
        return workflow;
    }

    /** YAML 1.1 (snakeyaml) reads the key {@code on} as the boolean true; GitHub reads it as "on". */
    @SuppressWarnings("unchecked")
    static Map<String, Object> triggers(Map<String, Object> workflow) {
        Object on = workflow.containsKey("on") ? workflow.get("on") : ((Map<Object, Object>) (Map<?, ?>) workflow).get(Boolean.TRUE);
        assertTrue(on instanceof Map, "on: is a mapping of events");
        return (Map<String, Object>) on;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> jobs(Map<String, Object> workflow) {
        return (Map<String, Map<String, Object>>) workflow.get("jobs");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> steps(Map<String, Object> job) {
        return (List<Map<String, Object>>) job.getOrDefault("steps", List.of());
    }

    static String runs(Map<String, Object> job) {
        StringBuilder all = new StringBuilder();
        steps(job).forEach(s -> all.append(s.getOrDefault("run", "")).append('\n'));
        return all.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> awsStep(Map<String, Object> job) {
        return steps(job).stream().filter(s -> String.valueOf(s.get("uses")).startsWith(AWS_ACTION))
                .map(s -> (Map<String, Object>) s.get("with")).findFirst().orElse(null);
    }

    @Test
    void threeWorkflowsWithTheirTriggers() throws IOException {
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            assertEquals(List.of("deploy.yml", "drift.yml", "pull-request.yml"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(Map.of("branches", List.of("main")), triggers(load("pull-request.yml")).get("pull_request"));
        assertEquals(Set.of("pull_request"), triggers(load("pull-request.yml")).keySet());
        assertEquals(Map.of("branches", List.of("main")), triggers(load("deploy.yml")).get("push"));
        assertEquals(Set.of("push", "workflow_dispatch"), triggers(load("deploy.yml")).keySet());
        Object schedule = triggers(load("drift.yml")).get("schedule");
        assertTrue(schedule instanceof List<?> l && l.size() == 1 && l.get(0) instanceof Map<?, ?> m
                && String.valueOf(m.get("cron")).matches("\\d{1,2} \\d{1,2} \\* \\* \\*"), String.valueOf(schedule));
    }

    @Test
    void idTokenWriteOnlyInTheJobsThatAssumeAnAwsRole() throws IOException {
        for (String name : List.of("pull-request.yml", "deploy.yml", "drift.yml")) {
            Map<String, Object> workflow = load(name);
            assertEquals(Map.of("contents", "read"), workflow.get("permissions"), name + ": workflow-wide token read-only");
            int withAws = 0;
            for (var job : jobs(workflow).entrySet()) {
                Object permissions = job.getValue().get("permissions");
                boolean idToken = permissions instanceof Map<?, ?> p && "write".equals(p.get("id-token"));
                boolean assumes = awsStep(job.getValue()) != null;
                assertEquals(assumes, idToken, name + " job " + job.getKey() + ": id-token: write exactly when it assumes a role");
                if (idToken) {
                    withAws++;
                    assertEquals(Map.of("contents", "read", "id-token", "write"), permissions, name + " " + job.getKey());
                    Map<String, Object> with = awsStep(job.getValue());
                    // OIDC only: no stored keys
                    assertFalse(with.containsKey("aws-access-key-id") || with.containsKey("aws-secret-access-key"), name);
                    assertEquals("${{ matrix.account }}", with.get("allowed-account-ids"), name);
                    assertEquals("${{ matrix.profile }}", with.get("aws-profile"), name);
                }
            }
            assertEquals(1, withAws, name + ": one job with AWS credentials");
        }
    }

    @Test
    void pullRequestsAndDriftChecksUseThePlanRoleOnlyDeploysTheApplyRole() throws IOException {
        // the files the roles' trust names (the OIDC sub's job_workflow_ref): renaming one locks CI out
        assertEquals("${{ matrix.plan_role }}", awsStep(jobs(load(CiStack.PULL_REQUEST_WORKFLOW)).get("plan")).get("role-to-assume"));
        assertEquals("${{ matrix.plan_role }}", awsStep(jobs(load(CiStack.DRIFT_WORKFLOW)).get("drift")).get("role-to-assume"));
        assertEquals("${{ matrix.apply_role }}", awsStep(jobs(load(CiStack.DEPLOY_WORKFLOW)).get("apply")).get("role-to-assume"));
    }

    @Test
    void applyRunsInTheEnvsGithubEnvironmentOneApplyPerEnvAtATime() throws IOException {
        Map<String, Object> apply = jobs(load("deploy.yml")).get("apply");
        assertEquals("${{ matrix.github_environment }}", apply.get("environment"), "the approval gate");
        assertEquals(Map.of("group", "apply-${{ matrix.env }}", "cancel-in-progress", false), apply.get("concurrency"));
        assertEquals(Map.of("fail-fast", false, "matrix", "${{ fromJSON(needs.synth.outputs.matrix) }}"), apply.get("strategy"));
        // no other job of any workflow applies
        for (String name : List.of("pull-request.yml", "deploy.yml", "drift.yml")) {
            jobs(load(name)).forEach((id, job) -> {
                if (job != apply && !(name.equals("deploy.yml") && id.equals("apply"))) {
                    assertFalse(runs(job).matches("(?s).*tf-stacks (up|down).*"), name + " " + id + " must not apply");
                }
            });
        }
    }

    @Test
    void theJobsRunTheReadmesCommands() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("pull-request.yml", List.of("npm ci", "mvn -B verify", "npx cdktf synth", "bin/ci-envs --changed-since",
                "bin/tf-stacks plan \"$ENV_NAME\" --ci", "bin/ci-summary plan"));
        expected.put("deploy.yml", List.of("npm ci", "mvn -B -q package -DskipTests", "npx cdktf synth",
                "bin/ci-envs --changed-since", "bin/tf-stacks up \"$ENV_NAME\" --ci"));
        expected.put("drift.yml", List.of("npx cdktf synth", "bin/ci-envs", "bin/tf-stacks drift \"$ENV_NAME\" --ci",
                "bin/ci-summary drift", "bash .ci/run"));
        for (var e : expected.entrySet()) {
            StringBuilder all = new StringBuilder();
            jobs(load(e.getKey())).values().forEach(job -> all.append(runs(job)));
            for (String command : e.getValue()) {
                assertTrue(all.toString().contains(command), e.getKey() + " runs " + command);
                String generic = command.replace("\"$ENV_NAME\"", "<env>");
                assertTrue(readme.contains(generic), "README documents " + generic);
            }
        }
        // the PR leaves out only the emulator round trip, and says so
        String pr = runs(jobs(load("pull-request.yml")).get("build"));
        assertTrue(pr.contains("mvn -B verify -Dtest='!LocalEmulatorIntegrationTest' -Dsurefire.failIfNoSpecifiedTests=false"), pr);
        assertTrue(readme.contains("-Dtest='!LocalEmulatorIntegrationTest'"), "README says what the PR leaves out");
    }

    @Test
    void theGitopsTokenComesFromARepositorySecretAndNoScriptTouchesIt() throws IOException {
        int uses = 0;
        for (String name : List.of("pull-request.yml", "deploy.yml", "drift.yml")) {
            for (Map<String, Object> job : jobs(load(name)).values()) {
                for (Map<String, Object> step : steps(job)) {
                    assertFalse(String.valueOf(step.getOrDefault("run", "")).contains("GITHUB_TOKEN"),
                            name + ": a script never reads or prints the token: " + step);
                    assertFalse(String.valueOf(step.getOrDefault("run", "")).contains("secrets."),
                            name + ": secrets only through env: " + step);
                    if (step.get("env") instanceof Map<?, ?> env && env.containsKey("GITHUB_TOKEN")) {
                        assertEquals("${{ secrets.GITOPS_GITHUB_TOKEN }}", env.get("GITHUB_TOKEN"), name);
                        uses++;
                    }
                }
            }
        }
        assertEquals(3, uses, "the plan, apply and drift steps get the token (the GitOps stacks' github provider)");
    }

    @Test
    void everyActionIsPinnedByCommit() throws IOException {
        List<String> files = new ArrayList<>(List.of("pull-request.yml", "deploy.yml", "drift.yml"));
        Set<String> seen = new TreeSet<>();
        Pattern uses = Pattern.compile("uses:\\s*(\\S+)");
        for (String name : files) {
            check(Files.readString(WORKFLOWS.resolve(name)), uses, seen, name);
        }
        check(Files.readString(Path.of(".github", "actions", "toolchain", "action.yml")), uses, seen, "toolchain");
        assertEquals(Set.of("./.github/actions/toolchain", "actions/checkout", "actions/download-artifact",
                "actions/setup-java", "actions/setup-node", "actions/upload-artifact", "aws-actions/configure-aws-credentials",
                "hashicorp/setup-terraform"), seen);
    }

    private static void check(String text, Pattern uses, Set<String> seen, String name) {
        Matcher m = uses.matcher(text);
        while (m.find()) {
            String ref = m.group(1);
            if (ref.startsWith("./")) {
                seen.add(ref);
                continue;
            }
            assertTrue(ref.matches("[\\w.-]+/[\\w.-]+@[0-9a-f]{40}"), name + ": " + ref + " pinned by a full commit id");
            assertTrue(text.substring(m.end()).matches("(?s)\\s*# v\\d+\\.\\d+\\.\\d+\\b.*"), name + ": " + ref + " names its tag");
            seen.add(ref.substring(0, ref.indexOf('@')));
        }
    }

    @Test
    void theMatrixFieldsTheJobsReadAreTheOnesCiEnvsWrites() throws IOException {
        Set<String> used = new TreeSet<>();
        Pattern field = Pattern.compile("matrix\\.(\\w+)");
        for (String name : List.of("pull-request.yml", "deploy.yml", "drift.yml")) {
            Matcher m = field.matcher(Files.readString(WORKFLOWS.resolve(name)));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertEquals(new TreeSet<>(MATRIX_FIELDS), used);
    }

    @Test
    void theApplyBranchIsTheBranchTheCiRolesTrust() throws IOException {
        // every CI env of this repository trusts pushes to the branch deploy.yml applies from
        for (EnvConfig env : EnvConfigLoader.loadAll(Path.of("env"), Set.of())) {
            env.ci().ifPresent(ci -> assertEquals("main", ci.branch(), env.file().toString()));
        }
        assertEquals(Map.of("branches", List.of("main")), triggers(load("deploy.yml")).get("push"));
    }
}
