package com.bridgeai.infra.modules.flux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.GitOpsYaml;
import com.bridgeai.infra.modules.gitops.GithubKnownHosts;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link FluxModule} on its own: the props records built into a
 * bare stack (one App for the class: the jsii kernel starts once), checked with the cdktf matchers;
 * the Helm values as plain maps. The flux stack as a whole (remote state, providers, the GitOps
 * tree) is tested in src/test (GitOpsStacksTest, snapshots).
 */
class FluxModuleTest {
    static final App APP = Testing.app();
    private static int stacks;

    static FluxModuleProps props(boolean imageAutomation, boolean gpuTainted) {
        return props(FluxRelease.PINNED.get(0), imageAutomation, gpuTainted, Optional.of("digicat-mlops"));
    }

    static FluxModuleProps props(FluxRelease release, boolean imageAutomation, boolean gpuTainted, Optional<String> profile) {
        return new FluxModuleProps(release, "mlops-test-cluster", "https://example.eks.amazonaws.com", "Q0E=", "eu-west-2",
                profile, "ssh://git@github.com/digicatapult/mlops-test-gitops.git", "main",
                "clusters/test", "key", "pub", "gitsync", imageAutomation, gpuTainted, false);
    }

    static TerraformStack stack() {
        return new TerraformStack(APP, "flux_" + (++stacks));
    }

    /** A dotted path into nested maps. */
    static Object path(Map<String, Object> root, String dotted) {
        Object node = root;
        for (String key : dotted.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    @Test
    void theOperatorThenTheKeysThenTheInstance() {
        TerraformStack stack = stack();
        new FluxModule(stack, "flux", props(false, false));
        String json = Testing.synth(stack);
        assertTrue(Testing.toHaveResourceWithProperties(json, "helm_release", Map.of(
                "name", "flux-operator", "chart", "flux-operator", "version", FluxOperator.VERSION,
                "repository", FluxOperator.CHARTS, "namespace", "flux-system", "create_namespace", true, "atomic", true)), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "helm_release", Map.of(
                "name", "flux", "chart", "flux-instance", "version", FluxOperator.VERSION, "namespace", "flux-system")), json);
        // the deploy key with the pinned github.com host keys (never ssh-keyscan at deploy time)
        assertTrue(Testing.toHaveResourceWithProperties(json, "kubernetes_secret_v1", Map.of(
                "metadata", Map.of("name", FluxModule.GIT_SECRET, "namespace", "flux-system"),
                "data", Map.of("identity", "key", "identity.pub", "pub", "known_hosts", GithubKnownHosts.file()))), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "kubernetes_secret_v1", Map.of(
                "metadata", Map.of("name", "airflow-git-sync"), "data", Map.of("gitSshKey", "gitsync"))), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "kubernetes_namespace_v1", Map.of(
                "metadata", Map.of("name", "airflow"))), json);
        // ordering: the secret after the operator, the instance after both secrets
        assertTrue(json.matches("(?s).*\"depends_on\": \\[\\s*\"helm_release\\.flux_operator_[0-9A-F]{8}\"\\s*].*"), json);
        assertTrue(json.matches("(?s).*\"depends_on\": \\[\\s*\"kubernetes_secret_v1\\.flux_git_secret_[0-9A-F]{8}\",\\s*"
                + "\"kubernetes_secret_v1\\.flux_git_sync_secret_[0-9A-F]{8}\"\\s*].*"), json);
    }

    @Test
    void theProvidersArePinnedAndTheCommunityChartReleasesForgotten() {
        TerraformStack stack = stack();
        new FluxModule(stack, "flux", props(false, false));
        String json = Testing.synth(stack);
        assertTrue(json.contains("\"source\": \"" + FluxModule.KUBERNETES_PROVIDER_SOURCE + "\""), json);
        assertTrue(json.contains("\"version\": \"" + FluxModule.KUBERNETES_PROVIDER_VERSION + "\""), json);
        assertTrue(json.contains("\"version\": \"" + FluxModule.HELM_PROVIDER_VERSION + "\""), json);
        for (String address : FluxModule.COMMUNITY_CHART_ADDRESSES) {
            assertTrue(json.contains("\"from\": \"" + address + "\""), json);
        }
        assertTrue(json.contains("\"destroy\": false"), json);
        // exec auth with the env's AWS profile, spelt as the AWS CLI reads it (not snake_cased)
        assertTrue(json.contains("\"AWS_PROFILE\": \"digicat-mlops\""), json);
        assertTrue(Testing.toHaveProviderWithProperties(json, "kubernetes", Map.of("host", "https://example.eks.amazonaws.com")), json);
    }

    @Test
    void withoutAProfileTheCallersEnvironmentIsUsed() {
        TerraformStack stack = stack();
        new FluxModule(stack, "flux", props(FluxRelease.PINNED.get(0), false, false, Optional.empty()));
        String json = Testing.synth(stack);
        assertFalse(json.contains("AWS_PROFILE"), json);
    }

    @Test
    void theFormerDatabaseSecretsAreForgottenNotDeletedAndNoPasswordIsRead() {
        TerraformStack stack = stack();
        new FluxModule(stack, "flux", props(false, false));
        String json = Testing.synth(stack);
        for (String address : FluxModule.FORMER_DATABASE_SECRET_ADDRESSES) {
            assertTrue(json.contains("\"from\": \"" + address + "\""), json);
        }
        // the addresses earlier versions of the stack gave them (their snapshots: prod-flux.json)
        assertEquals(List.of("kubernetes_secret_v1.apps_database_airflow_metadata",
                "kubernetes_secret_v1.apps_database_mlflow_database",
                "kubernetes_namespace_v1.apps_database_mlflow_namespace_74950F97"), FluxModule.FORMER_DATABASE_SECRET_ADDRESSES);
        assertFalse(json.contains("aws_secretsmanager_secret_version"), json);
        assertFalse(json.contains("\"mlflow\""), "MLflow's namespace is Flux's now: " + json);
    }

    @Test
    @SuppressWarnings("unchecked")
    void gpuTaintGivesEveryFluxPodTheToleration() {
        List<Object> tolerations = ClusterContract.tolerations(true);
        // the operator, the chart's health check job, and every Deployment of the instance (a patch)
        assertEquals(tolerations, FluxModule.operatorValues(props(true, true)).get("tolerations"));
        Map<String, Object> instance = FluxModule.instanceValues(props(true, true));
        assertEquals(tolerations, path(instance, "healthcheck.tolerations"));
        List<Map<String, Object>> patches = (List<Map<String, Object>>) path(instance, "instance.kustomize.patches");
        assertEquals(1, patches.size(), patches.toString());
        assertEquals(Map.of("kind", "Deployment"), patches.get(0).get("target"));
        assertEquals(GitOpsYaml.dump(List.of(GitOpsYaml.map("op", "add", "path", "/spec/template/spec/tolerations",
                "value", tolerations))), patches.get(0).get("patch"));
        // untainted: no toleration anywhere, no patch
        assertEquals(List.of(), FluxModule.operatorValues(props(true, false)).get("tolerations"));
        assertEquals(List.of(), path(FluxModule.instanceValues(props(true, false)), "instance.kustomize.patches"));
    }

    @Test
    void theClusterVersionPicksTheNewestFluxThatSupportsIt() {
        assertEquals("2.5.1", FluxRelease.forKubernetes("1.30").orElseThrow().fluxVersion());
        assertEquals("2.6.4", FluxRelease.forKubernetes("1.31").orElseThrow().fluxVersion());
        assertEquals("2.7.5", FluxRelease.forKubernetes("1.32").orElseThrow().fluxVersion());
        assertEquals("2.8.7", FluxRelease.forKubernetes("1.33").orElseThrow().fluxVersion());
        assertEquals("2.8.7", FluxRelease.forKubernetes("1.35").orElseThrow().fluxVersion());
        assertTrue(FluxRelease.forKubernetes("1.29").isEmpty());
        assertTrue(FluxRelease.forKubernetes("1.36").isEmpty());
        assertTrue(FluxRelease.forKubernetes("1.3").isEmpty());
        // ranges in order, without gap or overlap
        for (int i = 1; i < FluxRelease.PINNED.size(); i++) {
            assertEquals(FluxRelease.PINNED.get(i - 1).maxKubernetesMinor() + 1, FluxRelease.PINNED.get(i).minKubernetesMinor());
        }
        // exact versions only: a range ("2.8.x") would let the operator upgrade Flux on its own
        assertThrows(IllegalArgumentException.class, () -> new FluxRelease("2.8.x", 33, 35));
        assertEquals("0.49.0", FluxOperator.OPERATOR_CHART.version());
        assertEquals(FluxOperator.OPERATOR_CHART.version(), FluxOperator.INSTANCE_CHART.version());
        assertEquals("oci://ghcr.io/controlplaneio-fluxcd/flux-operator-manifests:v0.49.0", FluxOperator.MANIFESTS_ARTIFACT);
    }

    @Test
    void theInstanceSyncsTheClusterPathOverSshWithThePinnedDistribution() {
        Map<String, Object> values = FluxModule.instanceValues(props(false, false));
        assertEquals(Map.of("kind", "GitRepository", "url", "ssh://git@github.com/digicatapult/mlops-test-gitops.git",
                "ref", "refs/heads/main", "path", "clusters/test", "pullSecret", "flux-system", "interval", "1m"),
                path(values, "instance.sync"));
        assertEquals(Map.of("version", "2.5.1", "registry", "ghcr.io/fluxcd",
                "artifact", "oci://ghcr.io/controlplaneio-fluxcd/flux-operator-manifests:v0.49.0"), path(values, "instance.distribution"));
        assertEquals(List.of("source-controller", "kustomize-controller", "helm-controller", "notification-controller"),
                path(values, "instance.components"));
        assertEquals(true, path(values, "healthcheck.enabled"));
        assertEquals(List.of("source-controller", "kustomize-controller", "helm-controller", "notification-controller",
                "image-reflector-controller", "image-automation-controller"),
                path(FluxModule.instanceValues(props(true, false)), "instance.components"));
        assertEquals(false, path(FluxModule.operatorValues(props(false, false)), "web.enabled"));
    }
}
