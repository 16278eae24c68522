package com.bridgeai.infra.modules.apps;

import static com.bridgeai.infra.modules.gitops.GitOpsYaml.map;

import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import java.util.Map;

/** Pieces of Helm values every app's chart spells the same way. */
public final class HelmValues {
    private HelmValues() {}

    /** Requests (what the scheduler reserves) and a memory limit (no CPU limit: no throttling). */
    public static Map<String, Object> resources(String cpu, String memory, String memoryLimit) {
        return map("requests", map("cpu", cpu, "memory", memory), "limits", map("memory", memoryLimit));
    }

    /**
     * The node selector of a system workload: the system node group with {@code gpu_capacity: karpenter}
     * (so no server pod ever keeps a GPU node from going away), null (no key: the chart's default,
     * any node) with the managed GPU node group, whose values stay as they were.
     */
    public static Map<String, String> systemNodeSelector(GitOpsSpec spec) {
        return spec.karpenter() ? ClusterContract.systemNodeSelector() : null;
    }
}
