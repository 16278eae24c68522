package com.bridgeai.infra.modules.apps.karpenter;

import static com.bridgeai.infra.modules.apps.HelmValues.resources;
import static com.bridgeai.infra.modules.gitops.GitOpsYaml.map;

import com.bridgeai.infra.modules.apps.AppUnit;
import com.bridgeai.infra.modules.gitops.ChartPin;
import com.bridgeai.infra.modules.gitops.Pinned;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.GpuNodePool;
import com.bridgeai.infra.modules.gitops.Manifests.ChartRef;
import com.bridgeai.infra.modules.gitops.Manifests.CrdPolicy;
import com.bridgeai.infra.modules.gitops.Manifests.HelmRelease;
import com.bridgeai.infra.modules.gitops.Manifests.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Karpenter's controller ({@code gpu_capacity: karpenter}): starts a GPU node when a pod asks for a
 * GPU and removes it when it is empty ({@link GpuNodePools}: the NodePool and EC2NodeClass it acts
 * on). Installed by Flux, not by a {@code helm_release} of the flux stack: it belongs to what the
 * GitOps repository describes (its HelmRelease, the node pools, the device plugin change together in
 * one commit, reconciled and drift-corrected by Flux), the flux stack keeps to what Flux itself needs,
 * and its CRDs come with the chart ({@code install.crds: Create}, {@code upgrade.crds: CreateReplace}),
 * so the node-pools Kustomization, which waits for the infrastructure one, applies its objects after
 * them. Its AWS side (the controller's IRSA role, the node role, the interruption queue and its
 * EventBridge rules, the {@code karpenter.sh/discovery} tags) is the eks stack's.
 */
public final class Karpenter implements AppUnit {
    /**
     * aws/karpenter-provider-aws v1.14.1 (tag commit bde00654cd316fddb3dccfba3f5ac07039865429,
     * 2026-08-20: the newest release in the repository snapshot checked on 2026-12-05). Kubernetes
     * 1.26-1.36 (hack/docs/compatibilitymatrix_gen/compatibility.yaml at the tag: 1.14.x), so both
     * 1.35 and 1.36 are covered. The release job publishes the chart at
     * {@code oci://public.ecr.aws/karpenter/karpenter} with the tag as its version ({@code helm package
     * --version}, hack/release/common.sh): charts/karpenter/Chart.yaml in git still says 1.13.0.
     */
    @Pinned(released = "2026-08-20") // tag v1.14.1
    public static final ChartPin CHART = new ChartPin("karpenter", "1.14.1", "karpenter", "oci://public.ecr.aws/karpenter");
    /** Where the controller runs (Karpenter's documented install namespace; its IRSA role trusts this service account). */
    public static final String NAMESPACE = "kube-system";
    public static final String SERVICE_ACCOUNT = "karpenter";
    /** Replicas of the controller (one leader, one standby), never more than the system group has nodes. */
    static final int MAX_REPLICAS = 2;

    @Override
    public String name() {
        return "karpenter";
    }

    @Override
    public ChartPin chart() {
        return CHART;
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public boolean ownsNamespace() {
        return false;
    }

    @Override
    public Placement placement() {
        return Placement.infrastructure("karpenter");
    }

    @Override
    public boolean enabled(GitOpsSpec spec) {
        return spec.karpenter();
    }

    @Override
    public HelmRelease release(GitOpsSpec spec) {
        // the chart carries its CRDs in crds/: created on install and replaced on every upgrade, so the
        // NodePool/EC2NodeClass API always matches the controller's version (Helm alone never updates them)
        return new HelmRelease(ObjectMeta.named(name(), NAMESPACE), name(), new ChartRef(CHART), "1h", "10m", values(spec),
                CrdPolicy.CREATE_REPLACE);
    }

    /**
     * The controller's settings and where it runs. Left at the chart's defaults on purpose: its
     * affinity ({@code karpenter.sh/nodepool DoesNotExist}, so it never runs on a node it manages and
     * could remove; one replica per node), its topology spread over zones, its PodDisruptionBudget and
     * the {@code system-cluster-critical} priority class.
     */
    public static Map<String, Object> values(GitOpsSpec spec) {
        GpuNodePool pool = spec.gpuNodePool();
        if (pool == null) {
            throw new IllegalArgumentException("gpuNodePool: expected Karpenter's settings (gpu_capacity: karpenter), found none");
        }
        Map<String, String> nodeSelector = new LinkedHashMap<>();
        nodeSelector.put("kubernetes.io/os", "linux"); // the chart's default, kept (Helm would merge it in anyway)
        nodeSelector.putAll(ClusterContract.systemNodeSelector());
        return map(
                "settings", map(
                        "clusterName", pool.clusterName(),
                        // spot interruption, rebalance, state-change and scheduled-change events: Karpenter
                        // drains the node before EC2 takes it
                        "interruptionQueue", pool.interruptionQueueName()),
                "serviceAccount", map(
                        "create", true,
                        "name", SERVICE_ACCOUNT,
                        "annotations", map("eks.amazonaws.com/role-arn", pool.controllerRoleArn())),
                // the chart's anti-affinity wants one replica per node: a one-node system group runs one
                "replicas", Math.min(MAX_REPLICAS, pool.systemNodeCount()),
                "nodeSelector", nodeSelector,
                // Karpenter's docs size it at 1 CPU / 1 GiB for large clusters; this one watches a few
                // GPU nodes next to the system pods on two small nodes
                "controller", map("resources", resources("250m", "512Mi", "1Gi")));
    }
}
