package com.bridgeai.infra.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.bridgeai.infra.stacks.CiStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The GitHub Actions workflows under .github/workflows as GitHub reads them: parsed and validated
 * with GitHub's own parser, {@code @actions/workflow-parser} (bin/lib/parse-workflows.mjs; every
 * error fails here), and their structure asserted on what it parsed: AWS credentials only through
 * OIDC and only in the jobs that need them, the apply jobs behind their GitHub environment applying
 * the saved plans the plan job encrypted, promotion, one aggregate check per workflow, fork pull
 * requests without AWS jobs, the env's runners, the README's commands, actions pinned by commit with
 * Renovate keeping them current (RenovateConfigTest), the GitOps token only from a secret.
 */
class WorkflowsTest {
    static final Path WORKFLOWS = Path.of(".github", "workflows");
    static final List<String> FILES = List.of(CiStack.DEPLOY_WORKFLOW, CiStack.DRIFT_WORKFLOW, CiStack.PULL_REQUEST_WORKFLOW);
    static final String AWS_ACTION = "aws-actions/configure-aws-credentials@";
    /** The fields of bin/ci-envs' matrix rows (CiEnvs). */
    static final Set<String> MATRIX_FIELDS = Set.of("env", "region", "account", "profile", "plan_role", "apply_role",
            "github_environment", "plan_environment", "plans_key", "runs_on");
    static final ObjectMapper JSON = new ObjectMapper();
    /** file → {errors, workflow, jobs}, from GitHub's parser. */
    static JsonNode parsed;

    @BeforeAll
    static void parseWithGithubsParser() throws Exception {
        List<String> argv = new ArrayList<>(List.of("node", "bin/lib/parse-workflows.mjs"));
        FILES.forEach(f -> argv.add(WORKFLOWS.resolve(f).toString()));
        parsed = node(argv);
    }

    static JsonNode node(List<String> argv) throws Exception {
        Path out = Files.createTempFile("workflows", ".json");
        Path err = Files.createTempFile("workflows", ".err");
        try {
            Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the parser finished");
            assertEquals(0, p.exitValue(), () -> "node bin/lib/parse-workflows.mjs (npm ci installs @actions/workflow-parser): "
                    + readQuietly(err));
            return JSON.readTree(out.toFile());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    static JsonNode workflow(String file) {
        JsonNode w = parsed.path(WORKFLOWS.resolve(file).toString()).path("workflow");
        assertTrue(w.isObject(), file + " parsed");
        return w;
    }

    static JsonNode job(String file, String id) {
        JsonNode j = workflow(file).path("jobs").path(id);
        assertTrue(j.isObject(), file + " has job " + id);
        return j;
    }

    /** The job as GitHub's model has it: needs and the "if" GitHub evaluates. */
    static JsonNode model(String file, String id) {
        for (JsonNode j : parsed.path(WORKFLOWS.resolve(file).toString()).path("jobs")) {
            if (j.path("id").asText().equals(id)) {
                return j;
            }
        }
        throw new AssertionError(file + ": no job " + id);
    }

    static Map<String, JsonNode> jobs(String file) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        workflow(file).path("jobs").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    static List<JsonNode> steps(JsonNode job) {
        List<JsonNode> out = new ArrayList<>();
        job.path("steps").forEach(out::add);
        return out;
    }

    static String runs(JsonNode job) {
        StringBuilder all = new StringBuilder();
        steps(job).forEach(s -> all.append(s.path("run").asText("")).append('\n'));
        return all.toString();
    }

    static JsonNode awsStep(JsonNode job) {
        return steps(job).stream().filter(s -> s.path("uses").asText().startsWith(AWS_ACTION))
                .map(s -> s.path("with")).findFirst().orElse(null);
    }

    /** The index of the first step whose run or uses contains {@code text}; -1 when none. */
    static int stepIndex(JsonNode job, String text) {
        List<JsonNode> steps = steps(job);
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).path("run").asText("").contains(text) || steps.get(i).path("uses").asText("").contains(text)) {
                return i;
            }
        }
        return -1;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    void everyWorkflowParsesWithoutAnErrorWithGithubsOwnParser() throws Exception {
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            assertEquals(FILES.stream().sorted().toList(), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "the workflow files the CI roles' trust names (CiStack)");
        }
        for (String file : FILES) {
            assertEquals(List.of(), strings(parsed.path(WORKFLOWS.resolve(file).toString()).path("errors")), file);
        }
    }

    @Test
    void theParserReportsWhatGithubWouldRefuse(@TempDir Path dir) throws Exception {
        // the check above can fail: a misspelled key, an unknown function, a job needing a job that does not exist
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, """
                on: push
                jobs:
                  a:
                    runs_on: ubuntu-24.04
                    steps:
                      - run: echo ${{ nosuchfunction() }}
                """);
        Path needs = dir.resolve("needs.yml");
        Files.writeString(needs, """
                on: push
                jobs:
                  a:
                    runs-on: ubuntu-24.04
                    steps:
                      - run: echo
                  b:
                    needs: c
                    runs-on: ubuntu-24.04
                    steps:
                      - run: echo
                """);
        JsonNode out = node(List.of("node", "bin/lib/parse-workflows.mjs", bad.toString(), needs.toString()));
        String all = out.path(bad.toString()).path("errors").toString();
        assertEquals(3, out.path(bad.toString()).path("errors").size(), all);
        assertTrue(all.contains("Unexpected value 'runs_on'"), all);
        assertTrue(all.contains("Required property is missing: runs-on"), all);
        assertTrue(all.contains("Unrecognized function: 'nosuchfunction'"), all);
        String unknown = out.path(needs.toString()).path("errors").toString();
        assertTrue(unknown.contains("'c'"), unknown);
    }

    @Test
    void threeWorkflowsWithTheirTriggers() {
        assertEquals(Set.of("pull_request"), fieldNames(workflow(CiStack.PULL_REQUEST_WORKFLOW).path("on")));
        assertEquals(List.of("main"), strings(workflow(CiStack.PULL_REQUEST_WORKFLOW).at("/on/pull_request/branches")));
        assertEquals(Set.of("push", "workflow_dispatch"), fieldNames(workflow(CiStack.DEPLOY_WORKFLOW).path("on")));
        assertEquals(List.of("main"), strings(workflow(CiStack.DEPLOY_WORKFLOW).at("/on/push/branches")));
        JsonNode schedule = workflow(CiStack.DRIFT_WORKFLOW).at("/on/schedule");
        assertEquals(1, schedule.size());
        assertTrue(schedule.get(0).path("cron").asText().matches("\\d{1,2} \\d{1,2} \\* \\* \\*"), schedule::toString);
    }

    @Test
    void idTokenWriteOnlyInTheJobsThatAssumeAnAwsRole() {
        Map<String, Set<String>> expected = Map.of(CiStack.PULL_REQUEST_WORKFLOW, Set.of("plan"),
                CiStack.DEPLOY_WORKFLOW, Set.of("plan", "apply", "promote"), CiStack.DRIFT_WORKFLOW, Set.of("drift"));
        for (String file : FILES) {
            assertEquals(Map.of("contents", "read"), JSON.convertValue(workflow(file).path("permissions"), Map.class),
                    file + ": workflow-wide token read-only");
            Set<String> withAws = new TreeSet<>();
            jobs(file).forEach((id, job) -> {
                boolean idToken = "write".equals(job.at("/permissions/id-token").asText());
                boolean assumes = awsStep(job) != null;
                assertEquals(assumes, idToken, file + " job " + id + ": id-token: write exactly when it assumes a role");
                if (idToken) {
                    withAws.add(id);
                    assertEquals(Map.of("contents", "read", "id-token", "write"),
                            JSON.convertValue(job.path("permissions"), Map.class), file + " " + id);
                    JsonNode with = awsStep(job);
                    assertFalse(with.has("aws-access-key-id") || with.has("aws-secret-access-key"), file + ": OIDC only");
                    assertEquals("${{ matrix.account }}", with.path("allowed-account-ids").asText(), file);
                    assertEquals("${{ matrix.profile }}", with.path("aws-profile").asText(), file);
                    // the env's runners (ci_runner_labels)
                    assertEquals("${{ fromJSON(matrix.runs_on) }}", job.path("runs-on").asText(), file + " " + id);
                }
            });
            assertEquals(expected.get(file), withAws, file);
        }
    }

    @Test
    void plansAndDriftChecksUseThePlanRoleOnlyTheApplyJobsTheApplyRole() {
        // the files the roles' trust names (the OIDC sub's job_workflow_ref): renaming one locks CI out
        assertEquals("${{ matrix.plan_role }}", awsStep(job(CiStack.PULL_REQUEST_WORKFLOW, "plan")).path("role-to-assume").asText());
        // a pull request's code reaches the plan role only after its run was approved in the plan environment
        assertEquals("${{ matrix.plan_environment }}", job(CiStack.PULL_REQUEST_WORKFLOW, "plan").path("environment").asText());
        assertEquals("${{ matrix.plan_role }}", awsStep(job(CiStack.DRIFT_WORKFLOW, "drift")).path("role-to-assume").asText());
        assertEquals("${{ matrix.plan_role }}", awsStep(job(CiStack.DEPLOY_WORKFLOW, "plan")).path("role-to-assume").asText());
        for (String apply : List.of("apply", "promote")) {
            JsonNode job = job(CiStack.DEPLOY_WORKFLOW, apply);
            assertEquals("${{ matrix.apply_role }}", awsStep(job).path("role-to-assume").asText());
            assertEquals("${{ matrix.github_environment }}", job.path("environment").asText(), apply + ": the approval gate");
            assertEquals(Map.of("group", "${{ format('apply-{0}', matrix.env) }}", "cancel-in-progress", false),
                    JSON.convertValue(job.path("concurrency"), Map.class), apply + ": one apply per env at a time");
        }
        // deploy runs one at a time: a later run plans against the state the earlier one left
        assertEquals(Map.of("group", "deploy", "cancel-in-progress", false),
                JSON.convertValue(workflow(CiStack.DEPLOY_WORKFLOW).path("concurrency"), Map.class));
    }

    @Test
    void theApplyJobsApplyExactlyTheSavedPlansThePlanJobEncrypted() {
        JsonNode plan = job(CiStack.DEPLOY_WORKFLOW, "plan");
        int planned = stepIndex(plan, "bin/tf-stacks plan \"$ENV_NAME\" --ci");
        int summary = stepIndex(plan, "bin/ci-summary plan");
        int packed = stepIndex(plan, "bin/ci-plans pack \"$ENV_NAME\" \"$PLANS_KEY\"");
        int uploaded = stepIndex(plan, "actions/upload-artifact@");
        assertTrue(planned >= 0 && planned < summary && summary < packed && packed < uploaded,
                List.of(planned, summary, packed, uploaded)::toString);
        assertEquals("always()", steps(plan).get(summary).path("if").asText(), "the summary also of a failed plan");
        assertEquals("${{ format('plans-{0}', matrix.env) }}", steps(plan).get(uploaded).at("/with/name").asText());
        assertEquals("${{ github.run_id }}", steps(plan).get(packed).at("/env/CI_PLANS_RUN").asText(), "bound to the run");
        assertEquals("${{ matrix.plans_key }}", steps(plan).get(packed).at("/env/PLANS_KEY").asText());
        for (String id : List.of("apply", "promote")) {
            JsonNode apply = job(CiStack.DEPLOY_WORKFLOW, id);
            assertTrue(strings(model(CiStack.DEPLOY_WORKFLOW, id).path("needs")).contains("plan"), id);
            int downloaded = -1;
            List<JsonNode> steps = steps(apply);
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).at("/with/name").asText().equals("${{ format('plans-{0}', matrix.env) }}")) {
                    downloaded = i;
                }
            }
            int credentials = stepIndex(apply, AWS_ACTION);
            int unpacked = stepIndex(apply, "bin/ci-plans unpack \"$ENV_NAME\"");
            int applied = stepIndex(apply, "bin/tf-stacks apply-plans \"$ENV_NAME\" --ci");
            assertTrue(downloaded >= 0 && credentials >= 0 && downloaded < unpacked && credentials < unpacked
                    && unpacked < applied, id + ": " + List.of(downloaded, credentials, unpacked, applied));
            assertEquals("${{ github.run_id }}", steps.get(unpacked).at("/env/CI_PLANS_RUN").asText(), "this run's plans only");
        }
        // nothing anywhere applies without a saved plan
        for (String file : FILES) {
            jobs(file).forEach((id, job) -> {
                assertFalse(runs(job).matches("(?s).*tf-stacks (up|down).*"), file + " " + id + " must not apply unplanned");
                assertFalse(runs(job).contains("-auto-approve"), file + " " + id);
            });
        }
    }

    @Test
    void promotedEnvsApplyOnlyAfterTheFirstStageSucceededInTheSameRun() {
        JsonNode synth = job(CiStack.DEPLOY_WORKFLOW, "synth");
        assertTrue(runs(synth).contains("bash bin/ci-envs --stage \"$stage\" --changed-since \"$BEFORE\""), runs(synth));
        assertEquals("${{ steps.envs.outputs.first }}", synth.at("/outputs/first").asText());
        assertEquals("${{ steps.envs.outputs.promoted }}", synth.at("/outputs/promoted").asText());
        assertEquals("${{ fromJSON(needs.synth.outputs.first) }}", job(CiStack.DEPLOY_WORKFLOW, "apply").at("/strategy/matrix").asText());
        assertEquals("${{ fromJSON(needs.synth.outputs.promoted) }}",
                job(CiStack.DEPLOY_WORKFLOW, "promote").at("/strategy/matrix").asText());
        JsonNode promote = model(CiStack.DEPLOY_WORKFLOW, "promote");
        assertEquals(List.of("synth", "plan", "apply"), strings(promote.path("needs")));
        // GitHub's model: success() — promote runs only if every first-stage apply succeeded
        assertTrue(promote.path("if").asText().startsWith("success() && ("), promote::toString);
        // the same steps as the first stage
        List<String> first = steps(job(CiStack.DEPLOY_WORKFLOW, "apply")).stream()
                .map(s -> s.path("run").asText("") + s.path("uses").asText("")).toList();
        List<String> second = steps(job(CiStack.DEPLOY_WORKFLOW, "promote")).stream()
                .map(s -> s.path("run").asText("") + s.path("uses").asText("")).toList();
        assertEquals(first, second);
    }

    @Test
    void eachWorkflowHasOneAggregateCheckThatNeedsEveryOtherJobAndAlwaysReports() {
        Map<String, String> names = Map.of(CiStack.PULL_REQUEST_WORKFLOW, "pull request checks",
                CiStack.DEPLOY_WORKFLOW, "deploy checks", CiStack.DRIFT_WORKFLOW, "drift checks");
        for (String file : FILES) {
            JsonNode checks = job(file, "checks");
            assertEquals(names.get(file), checks.path("name").asText());
            Set<String> others = new TreeSet<>(jobs(file).keySet());
            others.remove("checks");
            assertEquals(others, new TreeSet<>(strings(model(file, "checks").path("needs"))), file);
            assertEquals("always()", model(file, "checks").path("if").asText(), file + ": reports also when jobs were skipped");
            String run = runs(checks);
            assertTrue(run.contains("exit 1"), file + ": fails when a job failed");
            jobs(file).forEach((id, job) -> {
                // besides the aggregate only the PR's plan comment runs after a failed plan (to show it)
                if (!id.equals("checks") && !(file.equals(CiStack.PULL_REQUEST_WORKFLOW) && id.equals("comment"))) {
                    assertFalse(model(file, id).path("if").asText().contains("always()"), file + " " + id);
                }
            });
        }
        // a pull request: build must have succeeded; a skipped plan (docs only, fork) is fine
        String pr = runs(job(CiStack.PULL_REQUEST_WORKFLOW, "checks"));
        assertTrue(pr.contains("[[ $BUILD == success ]]") && pr.contains("[[ $PLAN == success || $PLAN == skipped ]]"), pr);
        // deploy and drift: every need succeeded or was skipped
        for (String file : List.of(CiStack.DEPLOY_WORKFLOW, CiStack.DRIFT_WORKFLOW)) {
            assertEquals("${{ toJSON(needs) }}", job(file, "checks").at("/steps/0/env/RESULTS").asText(), file);
            assertTrue(runs(job(file, "checks")).contains("select(.value.result != \"success\" and .value.result != \"skipped\")"));
        }
    }

    @Test
    void thePlansSummariesAreCommentedOnThePullRequestByAJobThatRunsNothingOfIt() {
        JsonNode plan = job(CiStack.PULL_REQUEST_WORKFLOW, "plan");
        int summary = stepIndex(plan, "bin/ci-summary plan");
        int uploaded = stepIndex(plan, "actions/upload-artifact@");
        assertTrue(summary >= 0 && summary < uploaded, List.of(summary, uploaded)::toString);
        assertEquals("${{ format('plan-summary-{0}', matrix.env) }}", steps(plan).get(uploaded).at("/with/name").asText());
        assertEquals("always()", steps(plan).get(uploaded).path("if").asText(), "also a failed plan's summary");
        JsonNode comment = job(CiStack.PULL_REQUEST_WORKFLOW, "comment");
        assertEquals(Map.of("contents", "read", "pull-requests", "write"),
                JSON.convertValue(comment.path("permissions"), Map.class), "the job token may comment, nothing else");
        assertEquals(List.of("plan"), strings(model(CiStack.PULL_REQUEST_WORKFLOW, "comment").path("needs")));
        assertEquals("always() && needs.plan.result != 'skipped'", model(CiStack.PULL_REQUEST_WORKFLOW, "comment").path("if").asText());
        // no checkout, no toolchain, no AWS: nothing of the pull request runs with the write token
        assertEquals(-1, stepIndex(comment, "actions/checkout@"));
        assertEquals(-1, stepIndex(comment, "./.github/actions/toolchain"));
        assertEquals(null, awsStep(comment));
        assertEquals("plan-summary-*", steps(comment).get(0).at("/with/pattern").asText());
        assertTrue(runs(comment).contains("gh pr comment \"$PR\" --body-file \"$body.cut\" --edit-last --create-if-none"),
                runs(comment));
        assertEquals("${{ github.token }}", steps(comment).get(1).at("/env/GH_TOKEN").asText());
    }

    @Test
    void aForksPullRequestSkipsTheAwsJobsAndSaysWhy() {
        String condition = model(CiStack.PULL_REQUEST_WORKFLOW, "plan").path("if").asText();
        assertTrue(condition.contains("github.event.pull_request.head.repo.full_name == github.repository"), condition);
        assertTrue(condition.contains("needs.build.outputs.matrix != '{\"include\":[]}'"), "docs-only: no plan: " + condition);
        JsonNode checks = job(CiStack.PULL_REQUEST_WORKFLOW, "checks");
        assertEquals("${{ github.event.pull_request.head.repo.full_name != github.repository }}",
                checks.at("/steps/0/env/FORK").asText());
        assertTrue(runs(checks).contains("::notice title=No AWS plans for a fork::"), runs(checks));
    }

    @Test
    void theJobsRunTheReadmesCommands() throws IOException {
        String readme = Files.readString(Path.of("docs", "ci.md")); // the manual's CI page
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put(CiStack.PULL_REQUEST_WORKFLOW, List.of("npm ci", "mvn -B verify", "npx cdktf synth",
                "bin/ci-envs --changed-since", "bin/tf-stacks plan \"$ENV_NAME\" --ci", "bin/ci-summary plan"));
        expected.put(CiStack.DEPLOY_WORKFLOW, List.of("npm ci", "mvn -B -q package -DskipTests", "npx cdktf synth",
                "bin/ci-envs --changed-since", "bin/ci-envs --stage", "bin/tf-stacks plan \"$ENV_NAME\" --ci",
                "bin/ci-plans pack \"$ENV_NAME\"", "bin/ci-plans unpack \"$ENV_NAME\"",
                "bin/tf-stacks apply-plans \"$ENV_NAME\" --ci"));
        expected.put(CiStack.DRIFT_WORKFLOW, List.of("npx cdktf synth", "bin/ci-envs", "bin/tf-stacks drift \"$ENV_NAME\" --ci",
                "bin/ci-summary drift", "bash .ci/run"));
        for (var e : expected.entrySet()) {
            StringBuilder all = new StringBuilder();
            jobs(e.getKey()).values().forEach(job -> all.append(runs(job)));
            for (String command : e.getValue()) {
                assertTrue(all.toString().contains(command), e.getKey() + " runs " + command);
                String generic = command.replace("\"$ENV_NAME\"", "<env>");
                assertTrue(readme.contains(generic), "README documents " + generic);
            }
        }
        // the PR leaves out only the emulator round trip, and says so
        String pr = runs(job(CiStack.PULL_REQUEST_WORKFLOW, "build"));
        assertTrue(pr.contains("mvn -B verify -Dtest='!LocalEmulatorIntegrationTest' -Dsurefire.failIfNoSpecifiedTests=false"), pr);
        assertTrue(readme.contains("-Dtest='!LocalEmulatorIntegrationTest'"), "README says what the PR leaves out");
    }

    @Test
    void theGitopsTokenComesFromARepositorySecretAndNoScriptTouchesIt() {
        int uses = 0;
        for (String file : FILES) {
            for (JsonNode job : jobs(file).values()) {
                for (JsonNode step : steps(job)) {
                    String run = step.path("run").asText("");
                    assertFalse(run.contains("GITHUB_TOKEN"), file + ": a script never reads or prints the token: " + step);
                    assertFalse(run.contains("secrets."), file + ": secrets only through env: " + step);
                    if (step.path("env").has("GITHUB_TOKEN")) {
                        assertEquals("${{ secrets.GITOPS_GITHUB_TOKEN }}", step.at("/env/GITHUB_TOKEN").asText(), file);
                        uses++;
                    }
                }
            }
        }
        assertEquals(5, uses, "the PR plan, deploy plan, both applies and drift steps (the GitOps stacks' github provider)");
    }

    @Test
    void everyActionIsPinnedByCommitAndRenovateKeepsThePinsCurrent() throws Exception {
        Set<String> seen = new TreeSet<>();
        Pattern uses = Pattern.compile("uses:\\s*(\\S+)");
        for (String name : FILES) {
            check(Files.readString(WORKFLOWS.resolve(name)), uses, seen, name);
        }
        check(Files.readString(Path.of(".github", "actions", "toolchain", "action.yml")), uses, seen, "toolchain");
        assertEquals(Set.of("./.github/actions/toolchain", "actions/checkout", "actions/download-artifact",
                "actions/setup-java", "actions/setup-node", "actions/upload-artifact", "aws-actions/configure-aws-credentials",
                "hashicorp/setup-terraform"), seen);
        // Renovate keeps them current (renovate.json, pinDigests; RenovateConfigTest)
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
    void theRunnersGetNode24WithTheNpmCache() throws IOException {
        Map<String, Object> action = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(Path.of(".github", "actions", "toolchain", "action.yml")));
        JsonNode node = null;
        for (JsonNode step : JSON.valueToTree(action).at("/runs/steps")) {
            if (step.path("uses").asText().startsWith("actions/setup-node@")) {
                node = step.path("with");
            }
        }
        assertNotNull(node);
        assertEquals("24", node.path("node-version").asText(), "the newest LTS jsii 1.140 supports");
        // the jobs that run npm ci are the ones with Java (build/synth/verify)
        assertEquals("${{ inputs.java == 'true' && 'npm' || '' }}", node.path("cache").asText());
        for (String file : FILES) {
            jobs(file).forEach((id, job) -> {
                boolean npmCi = runs(job).contains("npm ci") || runs(job).contains("bash .ci/run");
                boolean java = steps(job).stream().anyMatch(st -> st.path("uses").asText().equals("./.github/actions/toolchain")
                        && !st.at("/with/java").asText("true").equals("false"));
                assertEquals(npmCi, java, file + " " + id + ": the npm cache where npm ci runs");
            });
        }
        assertEquals("package-lock.json", node.path("cache-dependency-path").asText());
        for (String file : FILES) {
            assertFalse(workflow(file).path("env").has("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"), file);
        }
    }

    @Test
    void theMatrixFieldsTheJobsReadAreTheOnesCiEnvsWrites() throws IOException {
        Set<String> used = new TreeSet<>();
        Pattern field = Pattern.compile("matrix\\.(\\w+)");
        for (String name : FILES) {
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
        assertEquals(List.of("main"), strings(workflow(CiStack.DEPLOY_WORKFLOW).at("/on/push/branches")));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
