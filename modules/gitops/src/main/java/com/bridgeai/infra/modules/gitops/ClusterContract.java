package com.bridgeai.infra.modules.gitops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the EKS stack promises the workloads about its nodes, written once: the labels GPU nodes
 * carry and the taint that keeps other pods off them. The eks module puts them on the node
 * group; the GitOps values (Airflow, MLflow, the device plugin's affinity) and Flux's controllers
 * select or tolerate exactly these; the storage classes the GitOps tree provides. The taint and
 * the label sets are methods and records, not bare {@code static final} constants: javac copies
 * such constants into the reading class, which would hide the eks module's use of this module
 * from the build's dependency analysis (modules/pom.xml).
 */
public final class ClusterContract {
    /** Label on every node of the managed node group, naming its group. */
    public static final String NODE_GROUP_LABEL = "bridgeai.io/node-group";
    /**
     * The {@value #NODE_GROUP_LABEL} value of the small CPU system node group ({@code gpu_capacity:
     * karpenter}): kube-system, Flux, Karpenter and the apps' servers select it, never the GPU nodes
     * Karpenter starts. A String constant like the labels: the eks module also calls
     * {@link #nodeLabels}, so the build's dependency analysis still sees it use this module.
     */
    public static final String SYSTEM_NODE_GROUP = "system";
    /**
     * The {@value #NODE_GROUP_LABEL} value (and the NodePool's name) of the GPU nodes Karpenter starts
     * ({@code gpu_capacity: karpenter}).
     */
    public static final String GPU_NODE_POOL = "gpu";
    /** Label on GPU nodes; the NVIDIA device plugin's affinity selects it (no GPU feature discovery runs). */
    public static final String GPU_PRESENT_LABEL = "nvidia.com/gpu.present";
    /** Label on GPU nodes naming the accelerator vendor. */
    public static final String ACCELERATOR_LABEL = "bridgeai.io/accelerator";
    /** The storage classes the GitOps tree's infrastructure provides. EBS gp3 (RWO, one AZ, the default): databases, the triggerer. */
    public static final String EBS_CLASS = "gp3";
    /** EFS access points (RWX, all AZs), when the cluster has EFS: task logs shared by many pods. */
    public static final String EFS_CLASS = "efs-ap";

    /**
     * A node taint: {@code key=value:effect}. Kubernetes spells the effect {@code NoSchedule}; the
     * EKS node group API spells it {@code NO_SCHEDULE} ({@link #eksEffect()}).
     */
    public record Taint(String key, String value, String effect) {
        public String eksEffect() {
            return effect.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
        }

        /** The toleration a pod needs for this taint (any value: {@code operator: Exists}). */
        public Map<String, Object> toleration() {
            Map<String, Object> toleration = new LinkedHashMap<>();
            toleration.put("key", key);
            toleration.put("operator", "Exists");
            toleration.put("effect", effect);
            return toleration;
        }
    }

    /** The taint a GPU node group gets with {@code gpu_taint: true}: only pods that tolerate it land there. */
    private static final Taint GPU_TAINT = new Taint("nvidia.com/gpu", "true", "NoSchedule");

    private ClusterContract() {}

    public static Taint gpuTaint() {
        return GPU_TAINT;
    }

    /** The labels of a node group's nodes, in a fixed order; the GPU ones only for a GPU node image. */
    public static Map<String, String> nodeLabels(String nodeGroup, boolean gpu) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NODE_GROUP_LABEL, nodeGroup);
        if (gpu) {
            labels.put(GPU_PRESENT_LABEL, "true");
            labels.put(ACCELERATOR_LABEL, "nvidia");
        }
        return labels;
    }

    /**
     * The node selector of the pods that run on the system node group ({@code gpu_capacity: karpenter}):
     * never on a GPU node Karpenter starts, which would then never be empty and never go away.
     */
    public static Map<String, String> systemNodeSelector() {
        return Map.of(NODE_GROUP_LABEL, SYSTEM_NODE_GROUP);
    }

    /**
     * The tolerations every pod of the cluster needs: the GPU taint's when the (only) node group
     * is tainted, else none (the charts' default).
     */
    public static List<Object> tolerations(boolean gpuTainted) {
        return gpuTainted ? List.of(GPU_TAINT.toleration()) : List.of();
    }
}
