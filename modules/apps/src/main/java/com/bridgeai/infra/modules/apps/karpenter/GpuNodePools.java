package com.bridgeai.infra.modules.apps.karpenter;

import static com.bridgeai.infra.modules.gitops.GitOpsYaml.map;

import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.GpuNodePool;
import com.bridgeai.infra.modules.gitops.Manifests.KubernetesObject;
import com.bridgeai.infra.modules.gitops.Manifests.Manifest;
import com.bridgeai.infra.modules.gitops.Manifests.ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The GPU capacity Karpenter provides, as the GitOps tree's {@code node-pools/} folder: one
 * EC2NodeClass (how a GPU node is built in AWS) and one NodePool (which nodes Karpenter may start,
 * their labels and taint, the GPU cap, when they go away), both named
 * {@value ClusterContract#GPU_NODE_POOL}, in Karpenter's v1 API (karpenter.k8s.aws/v1, karpenter.sh/v1
 * of the pinned release, {@link Karpenter#CHART}). Applied by the node-pools Kustomization after the
 * infrastructure one (Karpenter's CRDs come with its HelmRelease there).
 */
public final class GpuNodePools {
    /**
     * How long a GPU node may live at most: Karpenter's own default (30 days). GPU nodes here live
     * while work runs (they are removed {@code gpu_consolidate_after} after they empty), so this only
     * replaces a node a queue of tasks never lets empty. Expiry is forceful (it ignores disruption
     * budgets): a much shorter value would cut long training tasks for nothing, since image updates
     * arrive by changing the pinned AMI alias anyway (drift).
     */
    public static final String EXPIRE_AFTER = "720h";
    /**
     * How long a draining GPU node waits for its pods (tasks annotated {@code karpenter.sh/do-not-disrupt}
     * included) before they are deleted: a day-long task can finish, and an expired or drifted node
     * cannot stay half-drained and billed indefinitely (Karpenter's docs advise setting it with expireAfter).
     */
    public static final String TERMINATION_GRACE_PERIOD = "24h";
    /** The NodePool's node class kind and group (Karpenter's AWS provider). */
    static final String NODE_CLASS_GROUP = "karpenter.k8s.aws";
    static final String NODE_CLASS_KIND = "EC2NodeClass";
    /** The subnets and security group the eks stack tags for Karpenter: {@code karpenter.sh/discovery: <cluster>}. */
    public static final String DISCOVERY_TAG = "karpenter.sh/discovery";
    /** Bottlerocket's OS volume (Karpenter's default size for it); images and pods use the data volume. */
    static final String BOTTLEROCKET_OS_VOLUME = "4Gi";

    private GpuNodePools() {}

    /** The EC2NodeClass and the NodePool, in file order (the class first: the pool refers to it). */
    public static List<Manifest> manifests(GitOpsSpec spec) {
        GpuNodePool pool = spec.gpuNodePool();
        if (pool == null) {
            throw new IllegalArgumentException("gpuNodePool: expected the Karpenter GPU pool (gpu_capacity: karpenter), found none");
        }
        return List.of(nodeClass(pool), nodePool(pool));
    }

    static Manifest nodeClass(GpuNodePool pool) {
        Map<String, Object> discovery = map("tags", map(DISCOVERY_TAG, pool.clusterName()));
        return new KubernetesObject("karpenter.k8s.aws/v1", NODE_CLASS_KIND, ObjectMeta.named(ClusterContract.GPU_NODE_POOL),
                map("spec", map(
                        // the node role (EC2_LINUX access entry): Karpenter makes the instance profile for it
                        "role", pool.nodeRoleName(),
                        // pinned: "@latest" would roll every GPU node whenever AWS publishes an image
                        "amiSelectorTerms", List.of(map("alias", pool.amiAlias())),
                        "subnetSelectorTerms", List.of(discovery),
                        "securityGroupSelectorTerms", List.of(discovery),
                        // IMDSv2 only, and a hop limit of 1: pods cannot reach the node role's credentials
                        "metadataOptions", map(
                                "httpEndpoint", "enabled",
                                "httpProtocolIPv6", "disabled",
                                "httpPutResponseHopLimit", 1,
                                "httpTokens", "required"),
                        "blockDeviceMappings", blockDevices(pool),
                        // sorted: the file must not change between runs
                        "tags", new TreeMap<>(pool.tags()))));
    }

    /**
     * Encrypted gp3 of {@code node_disk_size} where images and pods live: AL2023's root volume
     * (/dev/xvda); for Bottlerocket its data volume (/dev/xvdb), next to its small OS volume, which
     * is written out too so that it is encrypted gp3 as well (a list given here replaces Karpenter's defaults).
     */
    static List<Object> blockDevices(GpuNodePool pool) {
        Map<String, Object> data = ebs(pool.diskSizeGib() + "Gi");
        return switch (pool.amiFamily()) {
            case "al2023" -> List.of(map("deviceName", "/dev/xvda", "ebs", data));
            case "bottlerocket" -> List.of(
                    map("deviceName", "/dev/xvda", "ebs", ebs(BOTTLEROCKET_OS_VOLUME)),
                    map("deviceName", "/dev/xvdb", "ebs", data));
            default -> throw new IllegalArgumentException("amiAlias: expected the al2023 or bottlerocket family, found "
                    + pool.amiAlias());
        };
    }

    private static Map<String, Object> ebs(String size) {
        return map("volumeSize", size, "volumeType", "gp3", "encrypted", true, "deleteOnTermination", true);
    }

    static Manifest nodePool(GpuNodePool pool) {
        ClusterContract.Taint taint = ClusterContract.gpuTaint();
        return new KubernetesObject("karpenter.sh/v1", "NodePool", ObjectMeta.named(ClusterContract.GPU_NODE_POOL),
                map("spec", map(
                        "template", map(
                                // bridgeai.io/node-group: gpu, and nvidia.com/gpu.present: "true", which the
                                // NVIDIA device plugin's affinity selects (AL2023 NVIDIA nodes)
                                "metadata", map("labels", ClusterContract.nodeLabels(ClusterContract.GPU_NODE_POOL, true)),
                                "spec", map(
                                        "nodeClassRef", map("group", NODE_CLASS_GROUP, "kind", NODE_CLASS_KIND,
                                                "name", ClusterContract.GPU_NODE_POOL),
                                        // only pods that tolerate it (GPU tasks) start or use a GPU node
                                        "taints", List.of(map("key", taint.key(), "value", taint.value(), "effect", taint.effect())),
                                        "requirements", List.of(
                                                requirement("node.kubernetes.io/instance-type", pool.instanceTypes()),
                                                requirement("karpenter.sh/capacity-type", List.of(pool.capacityType())),
                                                requirement("kubernetes.io/arch", List.of(pool.architecture())),
                                                requirement("kubernetes.io/os", List.of("linux"))),
                                        "expireAfter", EXPIRE_AFTER,
                                        "terminationGracePeriod", TERMINATION_GRACE_PERIOD)),
                        // the cost cap: at most max_size nodes of the pool's largest type, counted in GPUs
                        "limits", map("nvidia.com/gpu", pool.gpuLimit()),
                        "disruption", map(
                                // only empty nodes are removed: a GPU task is never moved to consolidate
                                "consolidationPolicy", "WhenEmpty",
                                "consolidateAfter", pool.consolidateAfter(),
                                "budgets", List.of(
                                        // an empty GPU node serves nobody: all of them may go at once
                                        map("nodes", "100%", "reasons", List.of("Empty")),
                                        // a new AMI pin replaces busy nodes one at a time
                                        map("nodes", "1", "reasons", List.of("Drifted")))))));
    }

    private static Map<String, Object> requirement(String key, List<String> values) {
        return map("key", key, "operator", "In", "values", values);
    }
}
