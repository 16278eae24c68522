package com.bridgeai.infra.modules.flux;

import static com.bridgeai.infra.modules.github.GitOpsYaml.map;

import com.bridgeai.infra.modules.github.AppValues;
import com.bridgeai.infra.modules.github.ChartPin;
import com.bridgeai.infra.modules.github.GitOpsSpec;
import com.bridgeai.infra.modules.github.GitOpsYaml;
import com.bridgeai.infra.modules.github.GithubKnownHosts;
import com.bridgeai.infra.modules.github.Manifests;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.helm.provider.HelmProvider;
import com.hashicorp.cdktf.providers.helm.provider.HelmProviderKubernetes;
import com.hashicorp.cdktf.providers.helm.provider.HelmProviderKubernetesExec;
import com.hashicorp.cdktf.providers.helm.release.Release;
import com.hashicorp.cdktf.providers.kubernetes.namespace_v1.NamespaceV1;
import com.hashicorp.cdktf.providers.kubernetes.namespace_v1.NamespaceV1Metadata;
import com.hashicorp.cdktf.providers.kubernetes.provider.KubernetesProvider;
import com.hashicorp.cdktf.providers.kubernetes.provider.KubernetesProviderExec;
import com.hashicorp.cdktf.providers.kubernetes.secret_v1.SecretV1;
import com.hashicorp.cdktf.providers.kubernetes.secret_v1.SecretV1Metadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * Bootstraps Flux2 on the cluster, the Terraform way instead of {@code flux bootstrap}, with
 * the pinned {@link FluxRelease} that supports the cluster's Kubernetes version:
 * <ol>
 *   <li>{@code helm_release flux2}: the controllers and CRDs (fluxcd-community chart) in flux-system;</li>
 *   <li>{@code kubernetes_secret_v1 flux-system}: the deploy key + pinned github.com known_hosts;</li>
 *   <li>{@code helm_release flux-system}: the GitRepository and the root Kustomization
 *       (fluxcd-community flux2-sync chart). A chart, not {@code kubernetes_manifest}: the latter
 *       needs the Flux CRDs on a live cluster already at plan time.</li>
 * </ol>
 * Plus the airflow namespace with git-sync's read-only key, which Airflow's pods mount.
 * The kubernetes/helm providers authenticate with {@code aws eks get-token} (exec), so a fresh
 * cluster needs no kubeconfig; the AWS CLI must be on the PATH of whoever runs Terraform.
 */
public final class FluxModule extends Construct {
    /** hashicorp/kubernetes and hashicorp/helm, exactly the releases the Java bindings were generated from. */
    public static final String KUBERNETES_PROVIDER_VERSION = "2.38.0";
    public static final String HELM_PROVIDER_VERSION = "2.17.0";
    public static final String KUBERNETES_PROVIDER_SOURCE = "hashicorp/kubernetes";
    public static final String HELM_PROVIDER_SOURCE = "hashicorp/helm";
    /** Secret the GitRepository authenticates with (the name flux bootstrap uses). */
    public static final String GIT_SECRET = "flux-system";

    private final Release flux;
    private final SecretV1 gitSecret;
    private final Release sync;

    public FluxModule(Construct scope, String id, FluxModuleProps props) {
        super(scope, id);
        String caPem = Fn.base64decode(props.certificateAuthority());
        List<String> getToken = List.of("eks", "get-token", "--cluster-name", props.clusterName(), "--region", props.region());

        KubernetesProvider kubernetes = KubernetesProvider.Builder.create(this, "kubernetes")
                .host(props.endpoint())
                .clusterCaCertificate(caPem)
                .exec(List.of(KubernetesProviderExec.builder()
                        .apiVersion("client.authentication.k8s.io/v1beta1")
                        .command("aws").args(getToken)
                        .build()))
                .build();
        HelmProvider helm = HelmProvider.Builder.create(this, "helm")
                .kubernetes(HelmProviderKubernetes.builder()
                        .host(props.endpoint())
                        .clusterCaCertificate(caPem)
                        .exec(HelmProviderKubernetesExec.builder()
                                .apiVersion("client.authentication.k8s.io/v1beta1")
                                .command("aws").args(getToken)
                                .build())
                        .build())
                .build();
        // the exec's AWS_PROFILE as a raw override: cdktf (0.19 and still 0.21) snake_cases every
        // key inside a provider block, also the typed exec env map's, and an env var named
        // aws_profile would be ignored by the AWS CLI
        props.awsProfile().ifPresent(profile -> {
            kubernetes.addOverride("exec.0.env", Map.of("AWS_PROFILE", profile));
            helm.addOverride("kubernetes.exec.env", Map.of("AWS_PROFILE", profile));
        });
        TerraformStack stack = TerraformStack.of(this);
        // cdktf writes the bindings' bare "kubernetes"/"helm" as source (and "~> 2.0"/"~> 2.3" as
        // version); Terraform reads a bare name as hashicorp/<name>, spelled out here like
        // integrations/github and hashicorp/tls, and the versions pinned exactly
        stack.addOverride("terraform.required_providers.kubernetes.source", KUBERNETES_PROVIDER_SOURCE);
        stack.addOverride("terraform.required_providers.kubernetes.version", KUBERNETES_PROVIDER_VERSION);
        stack.addOverride("terraform.required_providers.helm.source", HELM_PROVIDER_SOURCE);
        stack.addOverride("terraform.required_providers.helm.version", HELM_PROVIDER_VERSION);

        // 1. controllers + CRDs
        ChartPin flux2 = props.release().flux2();
        flux = Release.Builder.create(this, "flux2")
                .provider(helm)
                .name("flux2")
                .repository(flux2.repositoryUrl())
                .chart(flux2.chart())
                .version(flux2.version())
                .namespace(Manifests.FLUX_NAMESPACE)
                .createNamespace(true)
                .atomic(true)
                .cleanupOnFail(true)
                .timeout(600)
                .maxHistory(5)
                .values(List.of(GitOpsYaml.dump(fluxValues(props))))
                .build();

        // 2. Git credentials: identity (+ .pub) and the pinned host keys, the format of flux bootstrap
        Map<String, String> gitData = new LinkedHashMap<>();
        gitData.put("identity", props.identityPrivateKey());
        gitData.put("identity.pub", props.identityPublicKey());
        gitData.put("known_hosts", GithubKnownHosts.file());
        gitSecret = SecretV1.Builder.create(this, "git_secret")
                .provider(kubernetes)
                .metadata(SecretV1Metadata.builder().name(GIT_SECRET).namespace(Manifests.FLUX_NAMESPACE).build())
                .type("Opaque")
                .data(gitData)
                .dependsOn(List.of(flux))
                .build();

        // Airflow's git-sync key. Terraform creates the namespace because the secret must exist
        // before Flux installs Airflow; Flux applies the same Namespace later and owns its labels.
        NamespaceV1 airflowNamespace = NamespaceV1.Builder.create(this, "airflow_namespace")
                .provider(kubernetes)
                .metadata(NamespaceV1Metadata.builder().name(AppValues.AIRFLOW_NAMESPACE).build())
                .lifecycle(TerraformResourceLifecycle.builder()
                        .ignoreChanges(List.of("metadata[0].labels", "metadata[0].annotations"))
                        .build())
                .build();
        SecretV1 gitSyncSecret = SecretV1.Builder.create(this, "git_sync_secret")
                .provider(kubernetes)
                .metadata(SecretV1Metadata.builder()
                        .name(GitOpsSpec.GIT_SYNC_SECRET)
                        .namespace(airflowNamespace.getMetadata().getName())
                        .build())
                .type("Opaque")
                .data(Map.of(GitOpsSpec.GIT_SYNC_SECRET_KEY, props.gitSyncPrivateKey()))
                .build();

        // 3. GitRepository + root Kustomization, once the controllers and both keys are in place
        ChartPin flux2Sync = props.release().flux2Sync();
        sync = Release.Builder.create(this, "flux_sync")
                .provider(helm)
                .name(Manifests.FLUX_SOURCE)
                .repository(flux2Sync.repositoryUrl())
                .chart(flux2Sync.chart())
                .version(flux2Sync.version())
                .namespace(Manifests.FLUX_NAMESPACE)
                .atomic(true)
                .cleanupOnFail(true)
                .maxHistory(5)
                .values(List.of(GitOpsYaml.dump(syncValues(props))))
                .dependsOn(List.of(gitSecret, gitSyncSecret))
                .build();
    }

    /** Controllers; the image automation pair only when the deploy key may push. */
    public static Map<String, Object> fluxValues(FluxModuleProps props) {
        List<Object> tolerations = props.gpuTainted()
                ? List.of(map("key", GitOpsSpec.GPU_TAINT_KEY, "operator", "Exists", "effect", "NoSchedule"))
                : List.of();
        return map(
                "cli", map("tolerations", tolerations),
                "helmController", map("tolerations", tolerations),
                "kustomizeController", map("tolerations", tolerations),
                "notificationController", map("tolerations", tolerations),
                "sourceController", map("tolerations", tolerations),
                "imageAutomationController", map("create", props.imageAutomation(), "tolerations", tolerations),
                "imageReflectionController", map("create", props.imageAutomation(), "tolerations", tolerations));
    }

    /** The GitRepository (SSH, pinned host keys in the secret) and the root Kustomization at the cluster path. */
    public static Map<String, Object> syncValues(FluxModuleProps props) {
        return map(
                "gitRepository", map("spec", map(
                        "url", props.repositoryUrl(),
                        "secretRef", map("name", GIT_SECRET),
                        "ref", map("branch", props.branch()),
                        "interval", "1m")),
                "kustomization", map("spec", map(
                        "path", "./" + props.path(),
                        "prune", true,
                        "interval", "10m")));
    }

    public Release fluxRelease() {
        return flux;
    }

    public SecretV1 gitSecret() {
        return gitSecret;
    }

    public Release syncRelease() {
        return sync;
    }
}
