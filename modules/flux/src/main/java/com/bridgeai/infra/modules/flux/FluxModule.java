package com.bridgeai.infra.modules.flux;

import static com.bridgeai.infra.modules.gitops.GitOpsYaml.map;

import com.bridgeai.infra.modules.apps.airflow.Airflow;
import com.bridgeai.infra.modules.gitops.ChartPin;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.GitOpsYaml;
import com.bridgeai.infra.modules.gitops.GithubKnownHosts;
import com.bridgeai.infra.modules.gitops.Manifests;
import com.bridgeai.infra.modules.gitops.Pinned;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.helm.provider.HelmProvider;
import com.hashicorp.cdktf.providers.helm.provider.HelmProviderKubernetes;
import com.hashicorp.cdktf.providers.helm.provider.HelmProviderKubernetesExec;
import com.hashicorp.cdktf.providers.helm.release.Release;
import com.hashicorp.cdktf.providers.kubernetes.provider.KubernetesProvider;
import com.hashicorp.cdktf.providers.kubernetes.provider.KubernetesProviderExec;
import com.hashicorp.cdktf.providers.kubernetes.secret_v1.SecretV1;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * Installs Flux on the cluster the way the Flux project supports for Terraform without the flux
 * provider: the Flux Operator and a FluxInstance, each a pinned chart ({@link FluxOperator}),
 * with the Flux version the cluster's Kubernetes version calls for ({@link FluxRelease}):
 * <ol>
 *   <li>{@code helm_release flux-operator}: the operator and its CRDs in flux-system;</li>
 *   <li>{@code kubernetes_secret_v1 flux-system}: the deploy key + pinned github.com known_hosts;</li>
 *   <li>{@code helm_release flux}: the FluxInstance "flux" (flux-instance chart). The operator
 *       installs the Flux controllers and CRDs from it and creates the GitRepository and the root
 *       Kustomization named flux-system (the names flux bootstrap and the earlier flux2-sync chart
 *       used, so the GitOps tree's Kustomizations that refer to them work unchanged). A chart,
 *       not {@code kubernetes_manifest}: the latter needs the CRD on a live cluster at plan time.</li>
 * </ol>
 * Plus the airflow namespace with git-sync's read-only key, which Airflow's pods mount; the
 * instance waits for it so that Flux never installs Airflow before its secret exists. The apps'
 * database logins are not here: they live in Secrets Manager and reach the cluster through
 * External Secrets (modules/apps, database), so no database password is in this stack's state.
 * The kubernetes/helm providers authenticate with {@code aws eks get-token} (exec), so a fresh
 * cluster needs no kubeconfig; the AWS CLI must be on the PATH of whoever runs Terraform.
 */
public final class FluxModule extends Construct {
    /** hashicorp/kubernetes and hashicorp/helm, exactly the releases the Java bindings were generated from. */
    @Pinned(name = "hashicorp/kubernetes", renovate = "terraform-provider", source = "https://registry.terraform.io/providers/hashicorp/kubernetes",
            verified = "2026-11-30")
    public static final String KUBERNETES_PROVIDER_VERSION = "2.38.0";
    @Pinned(name = "hashicorp/helm", renovate = "terraform-provider", source = "https://registry.terraform.io/providers/hashicorp/helm",
            verified = "2026-11-30")
    public static final String HELM_PROVIDER_VERSION = "2.17.0";
    public static final String KUBERNETES_PROVIDER_SOURCE = "hashicorp/kubernetes";
    public static final String HELM_PROVIDER_SOURCE = "hashicorp/helm";
    /** Secret the GitRepository authenticates with (the name flux bootstrap uses). */
    public static final String GIT_SECRET = "flux-system";
    /**
     * Helm release names. The operator chart names its service account after the release, and the
     * instance chart's health check job runs as "flux-operator" (its default); the instance chart
     * names its FluxInstance "flux" (the only name the CRD accepts) whatever the release is called.
     */
    public static final String OPERATOR_RELEASE = "flux-operator";
    public static final String INSTANCE_RELEASE = "flux";
    /**
     * The community-chart releases (flux2, flux2-sync) earlier versions of this stack managed, at
     * their Terraform addresses. {@code removed} blocks with {@code destroy = false} make the next
     * apply forget them instead of uninstalling them: uninstalling flux2 would delete the Flux
     * CRDs (the chart does not keep them) and with them every Flux object, and uninstalling the
     * sync release would delete the root Kustomization, whose prune removes everything Flux
     * applied. A no-op on a cluster that never had them. See README "Moving a cluster from the community charts".
     */
    public static final List<String> COMMUNITY_CHART_ADDRESSES = List.of(
            "helm_release.flux_flux2_AF514612", "helm_release.flux_flux_sync_D5861B02");
    /**
     * What earlier versions of this stack wrote for the apps' database (the master password copied
     * at apply time into two Kubernetes secrets, and MLflow's namespace to hold one): forgotten,
     * not deleted ({@code removed}, {@code destroy = false}). The apps now read their own logins
     * from secrets External Secrets keeps current under other names, so the running pods keep the
     * old secrets until they have rolled onto the new ones, and deleting the namespace would delete
     * MLflow. Remove the two old secrets by hand afterwards (README "Moving to the apps' own
     * database logins"). A no-op on a cluster that never had them.
     */
    public static final List<String> FORMER_DATABASE_SECRET_ADDRESSES = List.of(
            "kubernetes_secret_v1.apps_database_airflow_metadata", "kubernetes_secret_v1.apps_database_mlflow_database",
            "kubernetes_namespace_v1.apps_database_mlflow_namespace_74950F97");

    private final Release operator;
    private final SecretV1 gitSecret;
    private final Release instance;
    private final KubernetesProvider kubernetes;
    private final String airflowNamespace; // its name, a token: read once (each read is a jsii round trip)

    public FluxModule(Construct scope, String id, FluxModuleProps props) {
        super(scope, id);
        String caPem = Fn.base64decode(props.certificateAuthority());
        List<String> getToken = List.of("eks", "get-token", "--cluster-name", props.clusterName(), "--region", props.region());

        kubernetes = KubernetesProvider.Builder.create(this, "kubernetes")
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
        // integrations/github and hashicorp/tls, and the versions pinned exactly (one override per
        // provider: each addOverride is a round trip to the jsii kernel)
        stack.addOverride("terraform.required_providers.kubernetes",
                new TreeMap<>(Map.of("source", KUBERNETES_PROVIDER_SOURCE, "version", KUBERNETES_PROVIDER_VERSION)));
        stack.addOverride("terraform.required_providers.helm",
                new TreeMap<>(Map.of("source", HELM_PROVIDER_SOURCE, "version", HELM_PROVIDER_VERSION)));
        // Terraform 1.7+ "removed" blocks (neither cdktf 0.19 nor 0.21 has a construct for them: a raw override)
        stack.addOverride("removed", java.util.stream.Stream.concat(COMMUNITY_CHART_ADDRESSES.stream(),
                        FORMER_DATABASE_SECRET_ADDRESSES.stream())
                .map(address -> (Object) map("from", address, "lifecycle", map("destroy", false)))
                .toList());

        // 1. the operator + its CRDs (FluxInstance, ...)
        ChartPin operatorChart = FluxOperator.OPERATOR_CHART;
        operator = Release.Builder.create(this, "operator")
                .provider(helm)
                .name(OPERATOR_RELEASE)
                .repository(operatorChart.repositoryUrl())
                .chart(operatorChart.chart())
                .version(operatorChart.version())
                .namespace(Manifests.FLUX_NAMESPACE)
                .createNamespace(true)
                .atomic(true)
                .cleanupOnFail(true)
                .timeout(600)
                .maxHistory(5)
                .values(List.of(GitOpsYaml.dump(operatorValues(props))))
                .build();

        // 2. Git credentials: identity (+ .pub) and the pinned host keys, the format of flux bootstrap
        Map<String, String> gitData = new LinkedHashMap<>();
        gitData.put("identity", props.identityPrivateKey());
        gitData.put("identity.pub", props.identityPublicKey());
        gitData.put("known_hosts", GithubKnownHosts.file());
        gitSecret = KubernetesObjects.opaqueSecret(this, "git_secret", kubernetes, GIT_SECRET, Manifests.FLUX_NAMESPACE,
                gitData, List.of(operator));

        // Airflow's git-sync key, in the namespace Terraform creates for it (before Flux installs Airflow)
        airflowNamespace = KubernetesObjects.namespaceSharedWithFlux(this, "airflow_namespace", kubernetes,
                Airflow.NAMESPACE).getMetadata().getName();
        SecretV1 gitSyncSecret = KubernetesObjects.opaqueSecret(this, "git_sync_secret", kubernetes,
                Airflow.GIT_SYNC_SECRET, airflowNamespace,
                Map.of(Airflow.GIT_SYNC_SECRET_KEY, props.gitSyncPrivateKey()), List.of());

        // 3. the FluxInstance, once the operator and both keys are in place. Not atomic: a rollback
        // of a first install uninstalls the FluxInstance, and the operator then removes Flux; a
        // failed release stays for the next apply to upgrade. The chart's health check job
        // (flux-operator-cli "wait instance") makes the apply wait until Flux is Ready.
        ChartPin instanceChart = FluxOperator.INSTANCE_CHART;
        instance = Release.Builder.create(this, "instance")
                .provider(helm)
                .name(INSTANCE_RELEASE)
                .repository(instanceChart.repositoryUrl())
                .chart(instanceChart.chart())
                .version(instanceChart.version())
                .namespace(Manifests.FLUX_NAMESPACE)
                .timeout(600)
                .maxHistory(5)
                .values(List.of(GitOpsYaml.dump(instanceValues(props))))
                .dependsOn(List.of(gitSecret, gitSyncSecret))
                .build();
    }

    /** GPU-taint toleration for every pod Flux runs, when the node group is tainted (else none). */
    static List<Object> tolerations(FluxModuleProps props) {
        return ClusterContract.tolerations(props.gpuTainted());
    }

    /** The system node group's selector for every pod Flux runs (gpu_capacity: karpenter), else null (any node). */
    static Map<String, String> nodeSelector(FluxModuleProps props) {
        return props.systemNodeGroup() ? ClusterContract.systemNodeSelector() : null;
    }

    /**
     * The operator chart: tolerations and node selector as the Flux controllers get them; the
     * operator's web UI off (without an authentication config it serves Flux's state with the
     * operator's permissions to whoever reaches its service; nothing here exposes it, so it is not
     * run at all).
     */
    public static Map<String, Object> operatorValues(FluxModuleProps props) {
        return map(
                "tolerations", tolerations(props),
                "nodeSelector", nodeSelector(props),
                "web", map("enabled", false));
    }

    /** The Flux controllers; the image automation pair only when the deploy key may push. */
    public static List<Object> components(boolean imageAutomation) {
        List<Object> components = new ArrayList<>(List.of(
                "source-controller", "kustomize-controller", "helm-controller", "notification-controller"));
        if (imageAutomation) {
            components.add("image-reflector-controller");
            components.add("image-automation-controller");
        }
        return components;
    }

    /**
     * The instance chart: the pinned distribution, the components, and the sync from the GitOps
     * repository over SSH (pinned host keys in the secret) at the cluster path; with the GPU
     * taint, a kustomize patch gives every Flux Deployment the toleration; on the system node group
     * (Karpenter), one gives them its node selector (Flux must never keep a GPU node from going away).
     */
    public static Map<String, Object> instanceValues(FluxModuleProps props) {
        List<Object> tolerations = tolerations(props);
        Map<String, String> nodeSelector = nodeSelector(props);
        List<Object> patches = new ArrayList<>();
        if (!tolerations.isEmpty()) {
            patches.add(map(
                    "target", map("kind", "Deployment"),
                    "patch", GitOpsYaml.dump(List.of(map(
                            "op", "add", "path", "/spec/template/spec/tolerations", "value", tolerations)))));
        }
        if (nodeSelector != null) {
            patches.add(map(
                    "target", map("kind", "Deployment"),
                    "patch", GitOpsYaml.dump(List.of(map(
                            "op", "add", "path", "/spec/template/spec/nodeSelector", "value", nodeSelector)))));
        }
        return map(
                "instance", map(
                        "distribution", map(
                                "version", props.release().fluxVersion(),
                                "registry", FluxOperator.REGISTRY,
                                "artifact", FluxOperator.MANIFESTS_ARTIFACT),
                        "components", components(props.imageAutomation()),
                        // "aws": what the cluster is (EKS); networkPolicy as the flux2 chart had it
                        "cluster", map("type", "aws", "networkPolicy", true),
                        "sync", map(
                                "kind", "GitRepository",
                                "url", props.repositoryUrl(),
                                "ref", "refs/heads/" + props.branch(),
                                "path", props.path(),
                                "pullSecret", GIT_SECRET,
                                "interval", "1m"),
                        "kustomize", map("patches", patches)),
                "healthcheck", map("enabled", true, "tolerations", tolerations, "nodeSelector", nodeSelector));
    }

    public Release operatorRelease() {
        return operator;
    }

    public SecretV1 gitSecret() {
        return gitSecret;
    }

    public Release instanceRelease() {
        return instance;
    }

    /** The cluster's kubernetes provider (exec auth), for other constructs of the flux stack. */
    public KubernetesProvider kubernetesProvider() {
        return kubernetes;
    }

    /**
     * The name of the airflow namespace Terraform creates (git-sync's key):
     * a reference token, so that what goes into it depends on the namespace.
     */
    public String airflowNamespace() {
        return airflowNamespace;
    }
}
