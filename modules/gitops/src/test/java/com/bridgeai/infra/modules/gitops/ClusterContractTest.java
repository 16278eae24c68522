package com.bridgeai.infra.modules.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterContractTest {
    @Test
    void theGpuTaintIsSpelledForKubernetesAndForTheEksApi() {
        ClusterContract.Taint taint = ClusterContract.gpuTaint();
        assertEquals("nvidia.com/gpu", taint.key());
        assertEquals("NoSchedule", taint.effect());
        assertEquals("NO_SCHEDULE", taint.eksEffect());
        assertEquals("PREFER_NO_SCHEDULE", new ClusterContract.Taint("k", "v", "PreferNoSchedule").eksEffect());
    }

    @Test
    void podsTolerateTheTaintOnlyWhenTheNodeGroupHasIt() {
        assertEquals(List.of(Map.of("key", "nvidia.com/gpu", "operator", "Exists", "effect", "NoSchedule")),
                ClusterContract.tolerations(true));
        assertEquals(List.of(), ClusterContract.tolerations(false));
    }

    @Test
    void gpuNodesCarryTheLabelsTheDevicePluginSelects() {
        assertEquals(List.of("bridgeai.io/node-group", "nvidia.com/gpu.present", "bridgeai.io/accelerator"),
                List.copyOf(ClusterContract.nodeLabels("workers", true).keySet()));
        assertEquals(Map.of("bridgeai.io/node-group", "workers", "nvidia.com/gpu.present", "true",
                "bridgeai.io/accelerator", "nvidia"), ClusterContract.nodeLabels("workers", true));
        assertEquals(Map.of("bridgeai.io/node-group", "cpu"), ClusterContract.nodeLabels("cpu", false));
    }

    @Test
    void theSystemNodeGroupIsSelectedByItsLabel() {
        assertEquals(Map.of("bridgeai.io/node-group", "system"), ClusterContract.systemNodeSelector());
        assertEquals(ClusterContract.nodeLabels(ClusterContract.SYSTEM_NODE_GROUP, false), ClusterContract.systemNodeSelector());
        assertEquals("gpu", ClusterContract.GPU_NODE_POOL);
    }
}
