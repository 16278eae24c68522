package com.bridgeai.infra.modules.aws.eks;

/**
 * How a node image family brings NVIDIA GPUs to Kubernetes, which decides what the cluster
 * must install on top (awslabs/amazon-eks-ami, bottlerocket-os docs):
 * <ul>
 *   <li>{@link #NVIDIA_DEVICE_PLUGIN}: the image has the driver but not the device plugin
 *       (AL2 GPU, AL2023 NVIDIA) — the cluster runs NVIDIA's device plugin DaemonSet;</li>
 *   <li>{@link #OS_DEVICE_PLUGIN}: the OS runs the device plugin itself (Bottlerocket NVIDIA) —
 *       a second one from a chart would fight it over the same devices;</li>
 *   <li>{@link #NONE}: no GPU — neither plugin nor GPU labels or taint.</li>
 * </ul>
 */
public enum GpuFamily {
    NVIDIA_DEVICE_PLUGIN,
    OS_DEVICE_PLUGIN,
    NONE;

    /** From the EKS amiType (AL2_x86_64_GPU, AL2023_x86_64_NVIDIA, BOTTLEROCKET_x86_64_NVIDIA, ...). */
    public static GpuFamily of(String amiType) {
        boolean gpu = amiType.contains("GPU") || amiType.contains("NVIDIA");
        if (!gpu) {
            return NONE;
        }
        return amiType.startsWith("BOTTLEROCKET") ? OS_DEVICE_PLUGIN : NVIDIA_DEVICE_PLUGIN;
    }
}
