package com.bridgeai.infra.modules.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link GithubModule} on its own: props records built into a bare stack (one App for the class),
 * checked with the cdktf matchers. The GitOps tree's content is tested in src/test (GitOpsTreeTest).
 */
class GithubModuleTest {
    static final App APP = Testing.app();
    static final GithubModuleProps.ClusterInputs CLUSTER = new GithubModuleProps.ClusterInputs(
            "eu-west-2", "mlops-test-mlflow-x", "arn:aws:iam::123456789012:role/mlops-test-mlflow", "", false, true, null, null);
    private static int stacks;

    static GithubModuleProps props(boolean createRepository, boolean imageAutomation) {
        return new GithubModuleProps("test", "digicatapult", "mlops-test-gitops", "main", "private", createRepository,
                imageAutomation, "clusters/test", CLUSTER);
    }

    record Synth(GithubModule module, String json) {}

    static Synth synth(GithubModuleProps props) {
        TerraformStack stack = new TerraformStack(APP, "github_" + (++stacks));
        GithubModule module = new GithubModule(stack, "github", props);
        return new Synth(module, Testing.synth(stack));
    }

    @Test
    void aCreatedRepositoryWithAnExplicitDefaultBranchAndAProtectedBranch() {
        String json = synth(props(true, false)).json();
        assertTrue(Testing.toHaveResourceWithProperties(json, "github_repository", Map.of(
                "name", "mlops-test-gitops", "visibility", "private", "auto_init", true, "archive_on_destroy", true,
                "vulnerability_alerts", true)), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "github_branch_default", Map.of("branch", "main", "rename", true)), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "github_repository_ruleset", Map.of(
                "target", "branch", "enforcement", "active")), json);
        assertTrue(json.contains("\"refs/heads/main\""), json);
        assertTrue(json.contains("\"required_approving_review_count\": 1"), json);
    }

    @Test
    void anExistingRepositoryIsLookedUpNotCreated() {
        String json = synth(props(false, false)).json();
        assertFalse(Testing.toHaveResource(json, "github_repository"), json);
        assertFalse(Testing.toHaveResource(json, "github_branch_default"), json);
        assertTrue(Testing.toHaveDataSourceWithProperties(json, "github_repository",
                Map.of("full_name", "digicatapult/mlops-test-gitops")), json);
    }

    @Test
    void gitSyncsKeyIsAlwaysReadOnlyFluxsOnlyWithoutImageAutomation() {
        String readOnly = synth(props(true, false)).json();
        assertTrue(Testing.toHaveResourceWithProperties(readOnly, "github_repository_deploy_key", Map.of(
                "title", "flux test (read-only)", "read_only", true)), readOnly);
        assertTrue(Testing.toHaveResourceWithProperties(readOnly, "github_repository_deploy_key", Map.of(
                "title", "airflow git-sync test (read-only)", "read_only", true)), readOnly);
        String pushing = synth(props(true, true)).json();
        assertTrue(Testing.toHaveResourceWithProperties(pushing, "github_repository_deploy_key", Map.of(
                "title", "flux test (read-write: image automation)", "read_only", false)), pushing);
        assertTrue(Testing.toHaveResourceWithProperties(pushing, "github_repository_deploy_key", Map.of(
                "title", "airflow git-sync test (read-only)", "read_only", true)), pushing);
        assertTrue(Testing.toHaveResourceWithProperties(pushing, "tls_private_key", Map.of(
                "algorithm", "ECDSA", "ecdsa_curve", "P256")), pushing);
    }

    @Test
    void everyFileIsCommittedAfterThePreviousOne() {
        Synth synth = synth(props(true, false));
        String json = synth.json();
        int files = synth.module().files().size();
        assertTrue(files > 10, "the GitOps tree has " + files + " files");
        // each file's depends_on names one resource: the default branch for the first file, the previous
        // file for every other one, so that no two commits race for the branch
        Matcher m = Pattern.compile("\"depends_on\": \\[\\s*\"([^\"]+)\"\\s*]").matcher(json);
        List<String> dependsOn = new ArrayList<>();
        while (m.find()) {
            dependsOn.add(m.group(1));
        }
        List<String> previousFiles = dependsOn.stream().filter(d -> d.startsWith("github_repository_file.")).toList();
        assertEquals(files - 1, previousFiles.size(), dependsOn.toString());
        assertEquals(files - 1, previousFiles.stream().distinct().count(), "no two files wait for the same file: " + dependsOn);
        // the first file and the ruleset wait for the renamed default branch
        assertEquals(2, dependsOn.stream().filter(d -> d.startsWith("github_branch_default.")).count(), dependsOn.toString());
        assertTrue(Testing.toHaveResourceWithProperties(json, "github_repository_file", Map.of(
                "file", "clusters/test/kustomization.yaml", "branch", "main", "overwrite_on_create", true)), json);
    }

    @Test
    void anUnknownVisibilityIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GithubModuleProps("test",
                "o", "r", "main", "secret", true, false, "clusters/test", CLUSTER));
        assertTrue(e.getMessage().contains("private, internal or public"), e.getMessage());
    }
}
