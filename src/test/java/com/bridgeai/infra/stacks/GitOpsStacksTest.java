package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.bridgeai.infra.modules.flux.FluxModule;
import com.bridgeai.infra.modules.flux.FluxModuleProps;
import com.bridgeai.infra.modules.flux.FluxRelease;
import com.bridgeai.infra.modules.github.GithubModule;
import com.bridgeai.infra.modules.gitops.GitOpsYaml;
import com.bridgeai.infra.modules.gitops.GithubKnownHosts;
import com.bridgeai.infra.stacks.SynthStack.Element;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.AppConfig;
import com.hashicorp.cdktf.Testing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The github and flux stacks of env "test", synthesized once in one App with the env's other
 * stacks (EnvironmentStacks.add), so the ClusterRefs are real cross-stack references of the
 * EKS stack, plus two variants in the same App. The cdktf matcher tests at the end use the
 * shared seed fixture ({@link SynthFixture#seed()}), the same env/test.
 */
class GitOpsStacksTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final SynthFixture F = SynthFixture.seed();
    static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([^}]*)}");

    @TempDir
    static Path outdir;

    static EnvConfig env;
    static EksStack eks;
    static GitOpsStacks stacks;
    static String github;
    static String flux;
    static JsonNode githubJson;
    static JsonNode fluxJson;
    static JsonNode manifest;

    @BeforeAll
    static void synth() throws IOException {
        env = EnvConfigLoader.load(Path.of("env/test/env.yaml"));
        App app = new App(AppConfig.builder().outdir(outdir.toString()).build());
        EnvironmentStacks all = EnvironmentStacks.add(app, env);
        eks = all.eks();
        stacks = all.gitops().orElseThrow();
        // two variants in the same App, on the test cluster: an existing repository with image
        // automation on a GPU-tainted node group, and a created repository on another branch
        GitOpsStacks.add(app, variant("existing", new EnvConfig.GitOps("digicatapult", "fleet", "main", "private",
                false, "clusters/existing", true), true), eks.clusterRefs(), eks);
        GitOpsStacks.add(app, variant("renamed", new EnvConfig.GitOps("digicatapult", "fleet-renamed", "release",
                "internal", true, "clusters/renamed", false), false), eks.clusterRefs(), eks);
        app.synth();
        github = Files.readString(outdir.resolve("stacks/test-github/cdk.tf.json"));
        flux = Files.readString(outdir.resolve("stacks/test-flux/cdk.tf.json"));
        githubJson = JSON.readTree(github);
        fluxJson = JSON.readTree(flux);
        manifest = JSON.readTree(outdir.resolve("manifest.json").toFile());
    }

    @Test
    void stacksAreNamedAndOrderedAfterTheCluster() {
        assertEquals("test-github", stacks.github().toString().replaceAll(".*/", ""));
        JsonNode all = manifest.path("stacks");
        assertTrue(all.has("test-github") && all.has("test-flux"), all.toString());
        assertEquals(Set.of("test-eks"), names(all.path("test-github").path("dependencies")));
        assertEquals(Set.of("test-eks", "test-github"), names(all.path("test-flux").path("dependencies")));
    }

    @Test
    void bothStacksUseTheS3BackendAndNeitherReadsAws() {
        for (JsonNode stack : List.of(githubJson, fluxJson)) {
            JsonNode s3 = stack.path("terraform").path("backend").path("s3");
            assertEquals("tfstate-mlops-test", s3.path("bucket").asText());
            assertEquals("terraform-state-locks", s3.path("dynamodb_table").asText());
            assertTrue(s3.path("encrypt").asBoolean());
            assertEquals("digicat-mlops", s3.path("profile").asText());
        }
        assertTrue(githubJson.path("provider").path("aws").isMissingNode(), "no AWS provider without AWS resources");
        // the apps' database logins reach the cluster through External Secrets, not through this stack
        assertFalse(fluxJson.path("data").has("aws_secretsmanager_secret_version"), "no secret value is read");
        assertTrue(fluxJson.path("provider").path("aws").isMissingNode(), "no AWS provider in flux");
        assertTrue(names(fluxJson.path("resource")).stream().noneMatch(t -> t.startsWith("aws_")), "no AWS resources in flux");
        assertEquals("test/github/terraform.tfstate", githubJson.at("/terraform/backend/s3/key").asText());
        assertEquals("test/flux/terraform.tfstate", fluxJson.at("/terraform/backend/s3/key").asText());
    }

    @Test
    void providersArePinnedAndTheGithubTokenIsNotConfigured() {
        JsonNode required = githubJson.at("/terraform/required_providers");
        assertEquals(GithubModule.GITHUB_PROVIDER_VERSION, required.at("/github/version").asText());
        assertEquals("integrations/github", required.at("/github/source").asText());
        assertEquals(GithubModule.TLS_PROVIDER_VERSION, required.at("/tls/version").asText());
        assertTrue(Testing.toHaveProviderWithProperties(github, "github", Map.of("owner", "digicatapult")));
        JsonNode githubProvider = githubJson.at("/provider/github/0");
        assertFalse(githubProvider.has("token") || githubProvider.has("app_auth"), githubProvider.toString());

        JsonNode fluxRequired = fluxJson.at("/terraform/required_providers");
        assertEquals(FluxModule.KUBERNETES_PROVIDER_VERSION, fluxRequired.at("/kubernetes/version").asText());
        assertEquals(FluxModule.HELM_PROVIDER_VERSION, fluxRequired.at("/helm/version").asText());
        // spelled out like integrations/github, not the bare names cdktf writes for these bindings
        assertEquals("hashicorp/kubernetes", fluxRequired.at("/kubernetes/source").asText());
        assertEquals("hashicorp/helm", fluxRequired.at("/helm/source").asText());
        assertEquals("hashicorp/tls", required.at("/tls/source").asText());
        for (JsonNode stack : List.of(required, fluxRequired)) {
            stack.fields().forEachRemaining(p -> assertTrue(p.getValue().path("source").asText().contains("/"),
                    "every provider source with its namespace: " + p.getKey() + " = " + p.getValue()));
        }
    }

    @Test
    void repositoryIsPrivateWithAlertsAndNoWiki() {
        assertTrue(Testing.toHaveResourceWithProperties(github, "github_repository", Map.of(
                "name", "mlops-test-gitops",
                "visibility", "private",
                "auto_init", true,
                "vulnerability_alerts", true,
                "has_wiki", false,
                "has_projects", false,
                "archive_on_destroy", true)));
    }

    @Test
    void theDefaultBranchIsExplicitAndRenamed() {
        // auto_init names the first branch after the owner's default-branch setting, which may
        // not be "main": github_branch_default always fixes it ...
        JsonNode branches = githubJson.at("/resource/github_branch_default");
        assertEquals(1, branches.size(), branches.toString());
        JsonNode branch = branches.elements().next();
        String repository = key(githubJson.at("/resource/github_repository"), githubJson.at("/resource/github_repository").elements().next());
        assertEquals("main", branch.path("branch").asText());
        assertEquals("${github_repository." + repository + ".name}", branch.path("repository").asText());
        // ... by renaming it; since provider 6.8.0 that is a no-op when it already is "main"
        // (5.43.0 failed with 422 there: this stack then read the repository back to compare)
        assertTrue(branch.path("rename").isBoolean() && branch.path("rename").asBoolean(), branch.toString());
        assertTrue(githubJson.at("/data/github_repository").isMissingNode(), "no read-back of the created repository");
        assertEquals("6.8.3", githubJson.at("/terraform/required_providers/github/version").asText(),
                "a github provider that skips renaming a branch to its own name (>= 6.8.0)");
        // the files are committed to the literal branch name, after the branch resource
        githubJson.at("/resource/github_repository_file").forEach(f -> assertEquals("main", f.path("branch").asText()));
    }

    @Test
    void deployKeysAreEcdsaP256AndReadOnly() {
        JsonNode keys = githubJson.at("/resource/tls_private_key");
        assertEquals(2, keys.size());
        keys.forEach(k -> {
            assertEquals("ECDSA", k.path("algorithm").asText());
            assertEquals("P256", k.path("ecdsa_curve").asText());
        });
        JsonNode deployKeys = githubJson.at("/resource/github_repository_deploy_key");
        assertEquals(2, deployKeys.size());
        deployKeys.forEach(k -> {
            assertTrue(k.path("read_only").asBoolean(), k.toString());
            assertTrue(k.path("key").asText().matches("\\$\\{tls_private_key\\.[A-Za-z0-9_]+\\.public_key_openssh}"), k.toString());
            assertTrue(k.path("repository").asText().matches("\\$\\{github_repository\\.[A-Za-z0-9_]+\\.name}"), k.toString());
        });
    }

    @Test
    void oneCommittedFilePerGitOpsFile() {
        JsonNode files = githubJson.at("/resource/github_repository_file");
        Set<String> paths = new TreeSet<>();
        files.forEach(f -> {
            paths.add(f.path("file").asText());
            assertEquals("main", f.path("branch").asText());
            assertTrue(f.path("overwrite_on_create").asBoolean());
            assertTrue(f.path("commit_message").asText().startsWith("bridgeai-infra: update "));
        });
        assertEquals(stacks.github().module().files().keySet(), paths);
        assertTrue(paths.contains("clusters/test/kustomization.yaml"), paths.toString());
    }

    @Test
    void filesAreCommittedOneAfterTheOtherInPathOrder() throws IOException {
        List<String> order = fileChain(githubJson, "github_branch_default." + githubJson.at("/resource/github_branch_default").fieldNames().next());
        assertEquals(new ArrayList<>(stacks.github().module().files().keySet()), order);
        // 23 (with the example DAG) + with the RDS instance (the default): External Secrets, Reloader, the
        // credentials job (18 files)
        assertEquals(41, order.size(), order.toString());
        // an existing repository: nothing to wait for before the first file
        fileChain(JSON.readTree(Files.readString(outdir.resolve("stacks/existing-github/cdk.tf.json"))), null);
        JsonNode renamed = JSON.readTree(Files.readString(outdir.resolve("stacks/renamed-github/cdk.tf.json")));
        fileChain(renamed, "github_branch_default." + renamed.at("/resource/github_branch_default").fieldNames().next());
    }

    /**
     * The files' paths in commit order, after checking that the github_repository_file resources
     * form one chain: the first waits for {@code first} (nothing if null), every other file
     * depends on exactly one other file and on nothing else, no file has two successors, and
     * walking from the first file reaches every file once (no cycle, no second chain).
     */
    static List<String> fileChain(JsonNode stack, String first) {
        JsonNode files = stack.at("/resource/github_repository_file");
        Map<String, String> previous = new HashMap<>();
        Map<String, String> next = new HashMap<>();
        List<String> heads = new ArrayList<>();
        files.fields().forEachRemaining(e -> {
            List<String> deps = new ArrayList<>();
            e.getValue().path("depends_on").forEach(d -> deps.add(d.asText()));
            List<String> fileDeps = deps.stream().filter(d -> d.startsWith("github_repository_file.")).toList();
            if (fileDeps.isEmpty()) {
                heads.add(e.getKey());
                assertEquals(first == null ? List.of() : List.of(first), deps, "the first file waits for " + first);
                return;
            }
            assertEquals(List.of(fileDeps.get(0)), deps, e.getKey() + " depends on exactly one other file and nothing else");
            String before = fileDeps.get(0).substring("github_repository_file.".length());
            assertTrue(files.has(before), e.getKey() + " depends on a file that does not exist: " + before);
            previous.put(e.getKey(), before);
            String other = next.put(before, e.getKey());
            assertEquals(null, other, before + " has two successors: " + other + ", " + e.getKey());
        });
        assertEquals(1, heads.size(), "exactly one file starts the chain: " + heads);
        List<String> order = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String id = heads.get(0); id != null; id = next.get(id)) {
            assertTrue(seen.add(id), "cycle at " + id);
            order.add(files.path(id).path("file").asText());
        }
        assertEquals(files.size(), order.size(), "the chain covers every file: " + order);
        List<String> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertEquals(sorted, order, "commits in path order");
        return order;
    }

    @Test
    void fileContentWithClusterReferencesIsValidYamlOnceTerraformResolvesIt() {
        int references = 0;
        for (JsonNode file : iterable(githubJson.at("/resource/github_repository_file"))) {
            String content = file.path("content").asText();
            Matcher m = INTERPOLATION.matcher(content);
            while (m.find()) {
                references++;
                String expression = m.group(1);
                assertTrue(expression.startsWith("data.terraform_remote_state.cross-stack-reference-input-test-eks.outputs."),
                        "only cluster references from the EKS stack: " + expression);
                // a token sits alone inside double quotes
                assertEquals('"', content.charAt(m.start() - 1), content);
                assertEquals('"', content.charAt(m.end()), content);
            }
            String resolved = INTERPOLATION.matcher(content).replaceAll(r -> Matcher.quoteReplacement(sample(r.group(1))));
            if (file.path("file").asText().endsWith(".yaml")) {
                for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(resolved)) {
                    assertTrue(doc instanceof Map, file.path("file").asText());
                }
            }
        }
        // MLflow's role ARN, bucket, EFS id, the database address (MLflow's backend store), the External
        // Secrets role, the credentials job's role, and the job's DB_HOST and MASTER_SECRET_ARN in each
        // of its three pods (hourly CronJob, rotate-now CronJob, install Job)
        assertEquals(12, references, "the eks stack's references in the GitOps tree");
        String mlflow = contentOf("apps/mlflow/mlflow-helmrelease.yaml");
        String resolved = INTERPOLATION.matcher(mlflow).replaceAll(r -> Matcher.quoteReplacement(sample(r.group(1))));
        assertTrue(resolved.contains("eks.amazonaws.com/role-arn: \"arn:aws:iam::123456789012:role/mlops-test-mlflow\""), resolved);
    }

    @Test
    void crossStackOutputsAreSensitive() {
        JsonNode outputs = githubJson.path("output");
        List<String> crossStack = new ArrayList<>();
        outputs.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("cross-stack-output-")) {
                crossStack.add(name);
                assertTrue(outputs.path(name).path("sensitive").asBoolean(), name + " must be sensitive");
            }
        });
        assertTrue(crossStack.stream().anyMatch(n -> n.contains("private_key_pem")), crossStack.toString());
        assertTrue(crossStack.stream().anyMatch(n -> n.contains("private_key_openssh")), crossStack.toString());
        // the EKS stand-in's outputs too: every cross-stack output cdktf writes is sensitive
        assertTrue(fluxJson.toString().contains("cross-stack-reference-input-test-github"));
    }

    @Test
    void kubernetesAndHelmProvidersUseExecAuthAgainstTheClusterRefs() {
        JsonNode kubernetes = fluxJson.at("/provider/kubernetes/0");
        assertTrue(kubernetes.path("host").asText().startsWith("${data.terraform_remote_state.cross-stack-reference-input-test-eks"));
        assertTrue(kubernetes.path("cluster_ca_certificate").asText().startsWith("${base64decode(data.terraform_remote_state"));
        assertExec(kubernetes.path("exec").get(0));
        JsonNode helmKubernetes = fluxJson.at("/provider/helm/0/kubernetes");
        assertEquals(kubernetes.path("host"), helmKubernetes.path("host"));
        assertEquals(kubernetes.path("cluster_ca_certificate"), helmKubernetes.path("cluster_ca_certificate"));
        assertExec(helmKubernetes.path("exec"));
    }

    private static void assertExec(JsonNode exec) {
        assertEquals("client.authentication.k8s.io/v1beta1", exec.path("api_version").asText());
        assertEquals("aws", exec.path("command").asText());
        List<String> args = new ArrayList<>();
        exec.path("args").forEach(a -> args.add(a.asText()));
        assertEquals(List.of("eks", "get-token", "--cluster-name"), args.subList(0, 3));
        assertTrue(args.get(3).startsWith("${data.terraform_remote_state.cross-stack-reference-input-test-eks"), args.toString());
        assertEquals(List.of("--region", "eu-west-2"), args.subList(4, 6));
        assertEquals("digicat-mlops", exec.path("env").path("AWS_PROFILE").asText(), exec.toString());
    }

    @Test
    void theOperatorIsInstalledThenTheSecretThenTheInstance() {
        JsonNode releases = fluxJson.at("/resource/helm_release");
        JsonNode operator = find(releases, "chart", "flux-operator");
        JsonNode instance = find(releases, "chart", "flux-instance");
        assertEquals("0.49.0", operator.path("version").asText());
        assertEquals("oci://ghcr.io/controlplaneio-fluxcd/charts", operator.path("repository").asText());
        assertEquals("flux-system", operator.path("namespace").asText());
        assertTrue(operator.path("create_namespace").asBoolean());
        assertEquals("0.49.0", instance.path("version").asText());
        assertEquals("oci://ghcr.io/controlplaneio-fluxcd/charts", instance.path("repository").asText());
        assertEquals("flux", instance.path("name").asText());
        assertFalse(instance.path("atomic").asBoolean(false), "a rolled back first install would remove Flux");

        JsonNode secrets = fluxJson.at("/resource/kubernetes_secret_v1");
        JsonNode gitSecret = find(secrets, "/metadata/name", "flux-system");
        assertEquals("flux-system", gitSecret.at("/metadata/namespace").asText());
        assertEquals(Set.of("identity", "identity.pub", "known_hosts"), names(gitSecret.path("data")));
        assertTrue(gitSecret.at("/data/identity").asText().startsWith("${data.terraform_remote_state.cross-stack-reference-input-test-github"));
        assertTrue(gitSecret.at("/data/known_hosts").asText().startsWith("github.com ssh-ed25519 "));
        JsonNode gitSync = find(secrets, "/metadata/name", "airflow-git-sync");
        assertEquals(Set.of("gitSshKey"), names(gitSync.path("data")));

        String operatorRef = "helm_release." + key(releases, operator);
        String secretRef = "kubernetes_secret_v1." + key(secrets, gitSecret);
        String gitSyncRef = "kubernetes_secret_v1." + key(secrets, gitSync);
        assertEquals(Set.of(operatorRef), texts(gitSecret.path("depends_on")));
        assertEquals(Set.of(secretRef, gitSyncRef), texts(instance.path("depends_on")));
    }

    @Test
    void theCommunityChartReleasesAreForgottenNotUninstalled() {
        // removed blocks (Terraform 1.7+): an apply on a cluster the community charts installed forgets
        // those releases instead of uninstalling them (which would delete the Flux CRDs and every object)
        JsonNode removed = fluxJson.path("removed");
        assertEquals(5, removed.size(), removed.toString());
        Set<String> from = new TreeSet<>();
        removed.forEach(r -> {
            from.add(r.path("from").asText());
            assertFalse(r.at("/lifecycle/destroy").asBoolean(true), r.toString());
        });
        Set<String> expected = new TreeSet<>(FluxModule.COMMUNITY_CHART_ADDRESSES);
        expected.addAll(FluxModule.FORMER_DATABASE_SECRET_ADDRESSES);
        assertEquals(expected, from);
        // the addresses the earlier stack gave them, and none that this stack still uses
        assertTrue(from.containsAll(Set.of("helm_release.flux_flux2_AF514612", "helm_release.flux_flux_sync_D5861B02")), from::toString);
        fluxJson.path("resource").fields().forEachRemaining(type -> type.getValue().fieldNames().forEachRemaining(name ->
                assertFalse(from.contains(type.getKey() + "." + name), type.getKey() + "." + name)));
    }

    @Test
    void instanceValuesSyncTheRepositoryPathAndBranch() {
        JsonNode instance = find(fluxJson.at("/resource/helm_release"), "chart", "flux-instance");
        String values = instance.path("values").get(0).asText();
        Map<String, Object> parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(
                INTERPOLATION.matcher(values).replaceAll("digicatapult/mlops-test-gitops"));
        Map<?, ?> sync = (Map<?, ?>) ((Map<?, ?>) parsed.get("instance")).get("sync");
        assertEquals("ssh://git@github.com/digicatapult/mlops-test-gitops.git", sync.get("url"));
        assertEquals("clusters/test", sync.get("path"));
        assertEquals("refs/heads/main", sync.get("ref"));
        assertEquals("flux-system", sync.get("pullSecret"));
        // env/test is Kubernetes 1.30
        assertEquals("2.5.1", ((Map<?, ?>) ((Map<?, ?>) parsed.get("instance")).get("distribution")).get("version"));
    }

    @Test
    void theTokenFormatIsTheOneGitOpsYamlQuotes() {
        assertTrue(GitOpsYaml.TOKEN.matcher(eks.clusterRefs().mlflowRoleArn()).matches(), eks.clusterRefs().mlflowRoleArn());
        assertTrue(GitOpsYaml.containsToken(stacks.github().module().repositorySshUrl()));
    }

    @Test
    void noGitOpsStacksForEmulatedEnvsOrWithoutOwner() {
        EnvConfig emulated = new EnvConfig(env.file(), env.backend(), env.project(), env.network(), env.cluster(),
                env.addons(), env.logRetentionDays(), env.appsDatabase(), env.gitops(), Optional.of("http://127.0.0.1:5000"), env.ci(), List.of());
        EnvConfig withoutOwner = new EnvConfig(env.file(), env.backend(), env.project(), env.network(), env.cluster(),
                env.addons(), env.logRetentionDays(), env.appsDatabase(), Optional.empty(), Optional.empty(), env.ci(), List.of());
        assertTrue(GitOpsStacks.add(null, emulated, eks.clusterRefs(), eks).isEmpty());
        assertTrue(GitOpsStacks.add(null, withoutOwner, eks.clusterRefs(), eks).isEmpty());
    }

    @Test
    void anExistingRepositoryIsLookedUpAndImageAutomationGetsAWritableKey() throws IOException {
        String existing = Files.readString(outdir.resolve("stacks/existing-github/cdk.tf.json"));
        assertFalse(Testing.toHaveResource(existing, "github_repository"));
        // an existing repository's branch is used as it is: no rename of someone else's default branch
        assertFalse(Testing.toHaveResource(existing, "github_branch_default"));
        assertTrue(Testing.toHaveDataSourceWithProperties(existing, "github_repository",
                Map.of("full_name", "digicatapult/fleet")));
        assertTrue(Testing.toHaveResourceWithProperties(existing, "github_repository_deploy_key",
                Map.of("read_only", false, "title", "flux existing (read-write: image automation)")));
        assertTrue(Testing.toHaveResourceWithProperties(existing, "github_repository_deploy_key",
                Map.of("read_only", true, "title", "airflow git-sync existing (read-only)")));
        assertTrue(Testing.toHaveResourceWithProperties(existing, "github_repository_file",
                Map.of("file", "clusters/existing/apps.yaml", "branch", "main")));
        String existingFlux = Files.readString(outdir.resolve("stacks/existing-flux/cdk.tf.json"));
        String values = find(JSON.readTree(existingFlux).at("/resource/helm_release"), "chart", "flux-instance")
                .path("values").get(0).asText();
        assertTrue(values.contains("- image-reflector-controller\n") && values.contains("- image-automation-controller\n"), values);
        assertTrue(values.contains("key: nvidia.com/gpu"), values);
        String operatorValues = find(JSON.readTree(existingFlux).at("/resource/helm_release"), "chart", "flux-operator")
                .path("values").get(0).asText();
        assertTrue(operatorValues.contains("key: nvidia.com/gpu"), operatorValues);
        String airflow = JSON.readTree(existing).at("/resource/github_repository_file").toString();
        assertTrue(airflow.contains("nvidia.com/gpu"), "GPU tolerations in the app values");
    }

    @Test
    void aCreatedRepositoryOnAnotherBranchRenamesItsDefaultBranch() throws IOException {
        String renamed = Files.readString(outdir.resolve("stacks/renamed-github/cdk.tf.json"));
        assertTrue(Testing.toHaveResourceWithProperties(renamed, "github_repository",
                Map.of("name", "fleet-renamed", "visibility", "internal")));
        // renamed from whatever auto_init created (a no-op if that is "release" already)
        assertTrue(Testing.toHaveResourceWithProperties(renamed, "github_branch_default", Map.of("branch", "release",
                "rename", true)));
        JsonNode files = JSON.readTree(renamed).at("/resource/github_repository_file");
        files.forEach(f -> assertEquals("release", f.path("branch").asText(), f.toString()));
        String renamedFlux = Files.readString(outdir.resolve("stacks/renamed-flux/cdk.tf.json"));
        String values = find(JSON.readTree(renamedFlux).at("/resource/helm_release"), "chart", "flux-instance")
                .path("values").get(0).asText();
        assertTrue(values.contains("ref: refs/heads/release") && values.contains("path: clusters/renamed"), values);
    }

    // ------------------------------------------------------------ cdktf matchers, stack by stack
    // On the seed fixture's test-github / test-flux (the same env/test, synthesized once per JVM
    // with the other stack tests): every resource type, data source type and provider of both
    // stacks is matched, and a type added later fails coverage until it is matched here too.

    @Test
    void theGithubStackMatchesTheCdktfMatchers() {
        SynthStack s = F.stack("test-github");
        s.assertProvider("github", Map.of("owner", "digicatapult"));
        s.assertProvider("tls", Map.of());

        Element repo = s.resource("github_repository", "gitops/repository");
        s.assertResource("github_repository", Map.ofEntries(
                Map.entry("name", "mlops-test-gitops"),
                Map.entry("visibility", "private"),
                Map.entry("auto_init", true),
                Map.entry("has_issues", true),
                Map.entry("has_wiki", false),
                Map.entry("has_projects", false),
                Map.entry("has_downloads", false),
                Map.entry("vulnerability_alerts", true),
                Map.entry("delete_branch_on_merge", true),
                Map.entry("archive_on_destroy", true)));
        Element branch = s.resource("github_branch_default", "gitops/default_branch");
        s.assertResource("github_branch_default", Map.of(
                "repository", repo.ref("name"),
                "branch", "main",
                "rename", true));

        s.assertResource("tls_private_key", Map.of("algorithm", "ECDSA", "ecdsa_curve", "P256"));
        assertEquals(2, s.resources("tls_private_key").size());
        for (List<String> k : List.of(List.of("flux_key", "flux test (read-only)"),
                List.of("git_sync_key", "airflow git-sync test (read-only)"))) {
            Element key = s.resource("tls_private_key", "gitops/" + k.get(0));
            assertEquals("ECDSA", key.get("/algorithm").asText(), k.get(0));
            assertEquals("P256", key.get("/ecdsa_curve").asText(), k.get(0));
            s.assertResource("github_repository_deploy_key", Map.of(
                    "repository", repo.ref("name"),
                    "key", key.ref("public_key_openssh"),
                    "title", k.get(1),
                    "read_only", true));
        }
        assertEquals(2, s.resources("github_repository_deploy_key").size());

        // one file per top folder, and the first of the chain waiting for the branch
        for (String file : List.of("clusters/test/kustomization.yaml", "infrastructure/kustomization.yaml",
                "apps/airflow/airflow-helmrelease.yaml", "apps/mlflow/mlflow-helmrelease.yaml", "dags/README.md")) {
            s.assertResource("github_repository_file", Map.of(
                    "repository", repo.ref("name"),
                    "branch", "main",
                    "file", file,
                    "overwrite_on_create", true,
                    "commit_message", "bridgeai-infra: update " + file + " (test)"));
        }
        s.assertResource("github_repository_file", Map.of(
                "file", "apps/airflow/airflow-helmrelease.yaml", "depends_on", List.of(branch.address())));
        s.assertResource("github_repository_file", Map.of(
                "file", "apps/airflow/kustomization.yaml",
                "depends_on", List.of(s.resource("github_repository_file", "gitops/file_apps_airflow_airflow_helmrelease_yaml").address())));

        s.assertDataSource("terraform_remote_state", Map.of("backend", "s3", "config", Map.of(
                "bucket", "tfstate-mlops-test", "key", "test/eks/terraform.tfstate", "region", "eu-west-2", "encrypt", true)));

        // the branch Flux deploys from: pull requests with one review for people, no deletion or
        // force-push; repository admins (the deploying identity) bypass to commit the generated files
        s.assertResource("github_repository_ruleset", Map.of(
                "repository", s.resource("github_repository", "gitops/repository").ref("name"),
                "target", "branch",
                "enforcement", "active",
                "conditions", Map.of("ref_name", Map.of("include", List.of("refs/heads/main"), "exclude", List.of())),
                "bypass_actors", List.of(Map.of("actor_type", "RepositoryRole", "actor_id", 5, "bypass_mode", "always")),
                "rules", Map.of("deletion", true, "non_fast_forward", true, "pull_request", Map.of(
                        "required_approving_review_count", 1, "dismiss_stale_reviews_on_push", true)),
                "depends_on", List.of(branch.address())));

        assertCovered(s, Set.of("github_repository", "github_branch_default", "tls_private_key",
                        "github_repository_deploy_key", "github_repository_file", "github_repository_ruleset"),
                Set.of("terraform_remote_state"), Set.of("github", "tls"));
    }

    @Test
    void theFluxStackMatchesTheCdktfMatchers() {
        SynthStack s = F.stack("test-flux");
        SynthStack eksStack = F.stack("test-eks");
        SynthStack githubStack = F.stack("test-github");
        Element cluster = eksStack.resource("aws_eks_cluster", "eks/cluster");
        String host = "${" + readBy(s, eksStack, cluster.ref("endpoint")) + "}";
        String ca = "${base64decode(" + readBy(s, eksStack, cluster.ref("certificate_authority[0].data")) + ")}";
        List<String> args = List.of("eks", "get-token", "--cluster-name", "${" + readBy(s, eksStack, cluster.ref("name")) + "}",
                "--region", "eu-west-2");
        Map<String, Object> exec = Map.of(
                "api_version", "client.authentication.k8s.io/v1beta1",
                "command", "aws",
                "args", args,
                "env", Map.of("AWS_PROFILE", "digicat-mlops"));
        s.assertProvider("kubernetes", Map.of("host", host, "cluster_ca_certificate", ca, "exec", List.of(exec)));
        s.assertProvider("helm", Map.of("kubernetes", Map.of("host", host, "cluster_ca_certificate", ca, "exec", exec)));

        FluxRelease release = FluxRelease.forKubernetes("1.30").orElseThrow();
        assertEquals("2.5.1", release.fluxVersion());
        Element operator = s.resource("helm_release", "flux/operator");
        s.assertResource("helm_release", Map.of(
                "name", "flux-operator",
                "chart", "flux-operator",
                "version", "0.49.0",
                "repository", "oci://ghcr.io/controlplaneio-fluxcd/charts",
                "namespace", "flux-system",
                "create_namespace", true,
                "atomic", true));
        assertEquals(FluxModule.operatorValues(props(release, "unused")), parseValues(s, operator));

        Element fluxKey = githubStack.resource("tls_private_key", "gitops/flux_key");
        Element gitSyncKey = githubStack.resource("tls_private_key", "gitops/git_sync_key");
        Element gitSecret = s.resource("kubernetes_secret_v1", "flux/git_secret");
        s.assertResource("kubernetes_secret_v1", Map.of(
                "metadata", Map.of("name", "flux-system", "namespace", "flux-system"),
                "type", "Opaque",
                "data", Map.of(
                        "identity", "${" + readBy(s, githubStack, fluxKey.ref("private_key_pem")) + "}",
                        "identity.pub", "${" + readBy(s, githubStack, fluxKey.ref("public_key_openssh")) + "}",
                        "known_hosts", GithubKnownHosts.file()),
                "depends_on", List.of(operator.address())));

        Element namespace = s.resource("kubernetes_namespace_v1", "flux/airflow_namespace");
        s.assertResource("kubernetes_namespace_v1", Map.of(
                "metadata", Map.of("name", "airflow"),
                "lifecycle", Map.of("ignore_changes", List.of("metadata[0].labels", "metadata[0].annotations"))));
        Element gitSync = s.resource("kubernetes_secret_v1", "flux/git_sync_secret");
        s.assertResource("kubernetes_secret_v1", Map.of(
                "metadata", Map.of("name", "airflow-git-sync", "namespace", namespace.ref("metadata[0].name")),
                "type", "Opaque",
                "data", Map.of("gitSshKey", "${" + readBy(s, githubStack, gitSyncKey.ref("private_key_openssh")) + "}")));

        // the instance's values: what FluxModule.instanceValues gives for env/test, with the github
        // stack's repository URL as the cross-stack reference it is in the synthesized stack
        Element repository = githubStack.resource("github_repository", "gitops/repository");
        String url = "ssh://git@github.com/${" + readBy(s, githubStack, repository.ref("full_name")) + "}.git";
        s.assertResource("helm_release", Map.of(
                "name", "flux",
                "chart", "flux-instance",
                "version", "0.49.0",
                "repository", "oci://ghcr.io/controlplaneio-fluxcd/charts",
                "namespace", "flux-system",
                "timeout", 600,
                "depends_on", List.of(gitSecret.address(), gitSync.address())));
        Element instance = s.resource("helm_release", "flux/instance");
        assertEquals(FluxModule.instanceValues(props(release, url)), parseValues(s, instance));

        for (String producer : List.of("eks", "github")) {
            s.assertDataSource("terraform_remote_state", Map.of("backend", "s3", "config", Map.of(
                    "bucket", "tfstate-mlops-test", "key", "test/" + producer + "/terraform.tfstate", "region", "eu-west-2")));
        }

        // no AWS provider and no Secrets Manager read: the apps' database logins come through External Secrets
        assertCovered(s, Set.of("helm_release", "kubernetes_secret_v1", "kubernetes_namespace_v1"),
                Set.of("terraform_remote_state"), Set.of("kubernetes", "helm"));
    }

    /** env/test's Flux settings (the key values stand for tokens, which the values do not contain). */
    private static FluxModuleProps props(FluxRelease release, String repositoryUrl) {
        return new FluxModuleProps(release, "mlops-test-cluster", "endpoint", "ca", "eu-west-2", Optional.of("digicat-mlops"),
                repositoryUrl, "main", "clusters/test", "key", "pub", "gitsync", false, false, false);
    }

    /** The release's one values document, parsed. */
    private static Map<String, Object> parseValues(SynthStack s, Element release) {
        JsonNode values = s.tree().at("/resource/helm_release/" + release.address().substring("helm_release.".length()) + "/values");
        assertEquals(1, values.size(), values.toString());
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(values.get(0).asText());
    }

    /** The stack has exactly these resource types, data source types and providers (the matched ones). */
    private static void assertCovered(SynthStack s, Set<String> resources, Set<String> data, Set<String> providers) {
        assertEquals(new TreeSet<>(resources), names(s.tree().path("resource")), s + ": resource types");
        assertEquals(new TreeSet<>(data), names(s.tree().path("data")), s + ": data source types");
        assertEquals(new TreeSet<>(providers), names(s.tree().path("provider")), s + ": providers");
    }

    /**
     * {@code data.terraform_remote_state.<producer>.outputs.<name>}: how {@code consumer} reads the
     * producer's cross-stack output whose value is {@code producerRef}.
     */
    private static String readBy(SynthStack consumer, SynthStack producer, String producerRef) {
        List<String> outputs = new ArrayList<>();
        producer.tree().path("output").fields().forEachRemaining(o -> {
            if (o.getKey().startsWith("cross-stack-output-") && o.getValue().path("value").asText().equals(producerRef)) {
                outputs.add(o.getKey());
            }
        });
        assertEquals(1, outputs.size(), () -> producer + ": one cross-stack output with value " + producerRef + ", found " + outputs);
        String input = "cross-stack-reference-input-" + producer.name();
        assertTrue(consumer.tree().path("data").path("terraform_remote_state").has(input), consumer + " reads " + producer);
        return "data.terraform_remote_state." + input + ".outputs." + outputs.get(0);
    }

    /** The test env under another name, with other GitOps settings and optionally a GPU taint. */
    static EnvConfig variant(String name, EnvConfig.GitOps gitops, boolean gpuTaint) {
        EnvConfig.Project p = env.project();
        EnvConfig.Cluster c = env.cluster();
        EnvConfig.NodeGroup n = c.nodeGroup();
        return new EnvConfig(env.file(), env.backend(),
                new EnvConfig.Project(p.project(), name, p.stage(), p.region(), p.profile()),
                env.network(),
                new EnvConfig.Cluster(c.kubernetesVersion(), c.supportType(), c.endpointPublicAccess(), c.endpointPrivateAccess(),
                        c.publicAccessCidrs(), c.publicAccessOpenToWorld(), c.logTypes(), new EnvConfig.NodeGroup(n.amiType(), n.capacityType(),
                                n.instanceTypes(), n.minSize(), n.desiredSize(), n.maxSize(), n.diskSizeGib(), gpuTaint), c.karpenter()),
                env.addons(), env.logRetentionDays(), env.appsDatabase(), Optional.of(gitops), Optional.empty(), env.ci(), List.of());
    }

    /** Sample apply-time values for the cluster references (by the output they read). */
    static String sample(String expression) {
        if (expression.contains("aws_iam_role")) {
            return "arn:aws:iam::123456789012:role/mlops-test-mlflow";
        }
        if (expression.contains("aws_s3_bucket")) {
            return "mlops-test-cluster-mlflow";
        }
        if (expression.contains("aws_efs_file_system")) {
            return "fs-0123456789abcdef0";
        }
        if (expression.contains("aws_db_instance")) {
            return "mlops-test-apps.abcdefghijkl.eu-west-2.rds.amazonaws.com";
        }
        throw new AssertionError("unexpected reference in a GitOps file: " + expression);
    }

    private static String contentOf(String path) {
        for (JsonNode file : iterable(githubJson.at("/resource/github_repository_file"))) {
            if (file.path("file").asText().equals(path)) {
                return file.path("content").asText();
            }
        }
        throw new AssertionError(path + " not committed");
    }

    private static JsonNode find(JsonNode resources, String field, String value) {
        for (JsonNode r : iterable(resources)) {
            if ((field.startsWith("/") ? r.at(field) : r.path(field)).asText().equals(value)) {
                return r;
            }
        }
        throw new AssertionError("no resource with " + field + " = " + value + " in " + resources);
    }

    private static String key(JsonNode resources, JsonNode resource) {
        Iterator<Map.Entry<String, JsonNode>> it = resources.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue() == resource) {
                return e.getKey();
            }
        }
        throw new AssertionError("not found");
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    private static Set<String> names(JsonNode node) {
        Set<String> out = new TreeSet<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            node.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
