package com.bridgeai.infra.modules.apps;

import static com.bridgeai.infra.modules.gitops.GitOpsYaml.map;

import java.util.Map;

/** Pieces of Helm values every app's chart spells the same way. */
public final class HelmValues {
    private HelmValues() {}

    /** Requests (what the scheduler reserves) and a memory limit (no CPU limit: no throttling). */
    public static Map<String, Object> resources(String cpu, String memory, String memoryLimit) {
        return map("requests", map("cpu", cpu, "memory", memory), "limits", map("memory", memoryLimit));
    }
}
