package com.bridgeai.infra.modules.apps.nvidia;

import static com.bridgeai.infra.modules.gitops.GitOpsYaml.map;

import com.bridgeai.infra.modules.apps.AppUnit;
import com.bridgeai.infra.modules.gitops.ChartPin;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.Manifests.ChartRef;
import com.bridgeai.infra.modules.gitops.Manifests.HelmRelease;
import com.bridgeai.infra.modules.gitops.Manifests.ObjectMeta;
import com.bridgeai.infra.modules.gitops.Pinned;
import java.util.List;
import java.util.Map;

/**
 * NVIDIA's device plugin: without it no pod can request {@code nvidia.com/gpu} on the GPU nodes.
 * Only where the node image lacks one (AL2 GPU, AL2023 NVIDIA): Bottlerocket NVIDIA runs its own
 * device plugin (a second would fight it over the GPUs), and a node group without GPUs needs none.
 * Installed by the infrastructure Kustomization, into kube-system.
 */
public final class NvidiaDevicePlugin implements AppUnit {
    @Pinned(released = "2026-08-19") // tag v0.20.0
    public static final ChartPin CHART =
            new ChartPin("nvidia-device-plugin", "0.20.0", "nvidia", "https://nvidia.github.io/k8s-device-plugin");

    @Override
    public String name() {
        return "nvidia-device-plugin";
    }

    @Override
    public ChartPin chart() {
        return CHART;
    }

    @Override
    public String namespace() {
        return "kube-system";
    }

    @Override
    public boolean ownsNamespace() {
        return false;
    }

    @Override
    public Placement placement() {
        return Placement.infrastructure("gpu");
    }

    @Override
    public boolean enabled(GitOpsSpec spec) {
        return spec.nvidiaDevicePlugin();
    }

    @Override
    public HelmRelease release(GitOpsSpec spec) {
        return new HelmRelease(ObjectMeta.named(name(), namespace()), name(), new ChartRef(CHART), "1h", "5m", values(spec));
    }

    /**
     * The device plugin advertises the nodes' GPUs as nvidia.com/gpu. Its default affinity wants
     * labels from GPU feature discovery, which this cluster does not run; the EKS stack labels its
     * GPU nodes {@value ClusterContract#GPU_PRESENT_LABEL}=true instead, so the plugin runs exactly
     * there. The chart's default tolerations already cover the nvidia.com/gpu taint.
     */
    public static Map<String, Object> values(GitOpsSpec spec) {
        return map("affinity", map("nodeAffinity", map("requiredDuringSchedulingIgnoredDuringExecution", map(
                "nodeSelectorTerms", List.of(map("matchExpressions", List.of(
                        map("key", ClusterContract.GPU_PRESENT_LABEL, "operator", "In", "values", List.of("true")))))))));
    }
}
