package com.bridgeai.infra.modules.gitops;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The GPU capacity Karpenter provides ({@code gpu_capacity: karpenter}): what the GitOps tree renders
 * Karpenter's HelmRelease, the GPU NodePool and its EC2NodeClass from. The AWS names may be cdktf
 * tokens of the eks stack (role ARN, role name, queue name); the rest comes from env.yaml.
 *
 * @param clusterName           the EKS cluster (Karpenter's {@code settings.clusterName}; the value of the
 *                              {@code karpenter.sh/discovery} tags on the private subnets and the node security group)
 * @param controllerRoleArn     IRSA role of Karpenter's controller (kube-system/karpenter)
 * @param nodeRoleName          IAM role of the nodes Karpenter starts (the EC2NodeClass {@code role}; it has an EC2_LINUX access entry)
 * @param interruptionQueueName SQS queue of the spot interruption / rebalance / state-change / scheduled-change events
 * @param instanceTypes         the pool's {@code node.kubernetes.io/instance-type} values (env {@code instance_types})
 * @param capacityType          {@code on-demand} or {@code spot} (env {@code capacity_type}, Karpenter's spelling)
 * @param amiAlias              the node class's pinned image alias, e.g. {@code al2023@v20260714}
 * @param architecture          {@code amd64} or {@code arm64}
 * @param diskSizeGib           the encrypted gp3 root volume (env {@code node_disk_size})
 * @param consolidateAfter      how long an empty GPU node stays (env {@code gpu_consolidate_after})
 * @param gpuLimit              the pool's limit in {@code nvidia.com/gpu} (env {@code max_size} × the largest type's GPUs)
 * @param nvidiaDevicePlugin    the image needs NVIDIA's device plugin from the cluster (AL2023 NVIDIA; not Bottlerocket)
 * @param tags                  the env's tags, for the instances, volumes and network interfaces Karpenter creates
 * @param systemNodeCount       nodes of the system node group (env {@code system_node_count}): Karpenter runs
 *                              one replica per node, at most two
 */
public record GpuNodePool(
        String clusterName,
        String controllerRoleArn,
        String nodeRoleName,
        String interruptionQueueName,
        List<String> instanceTypes,
        String capacityType,
        String amiAlias,
        String architecture,
        int diskSizeGib,
        String consolidateAfter,
        int gpuLimit,
        boolean nvidiaDevicePlugin,
        Map<String, String> tags,
        int systemNodeCount) {
    public GpuNodePool {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(controllerRoleArn, "controllerRoleArn");
        Objects.requireNonNull(nodeRoleName, "nodeRoleName");
        Objects.requireNonNull(interruptionQueueName, "interruptionQueueName");
        instanceTypes = List.copyOf(instanceTypes);
        tags = Map.copyOf(tags);
        if (!capacityType.equals("on-demand") && !capacityType.equals("spot")) {
            throw new IllegalArgumentException("capacityType: expected on-demand or spot, found " + capacityType);
        }
        if (systemNodeCount < 1) {
            throw new IllegalArgumentException("systemNodeCount: expected 1 or more, found " + systemNodeCount);
        }
        if (gpuLimit < 1) {
            throw new IllegalArgumentException("gpuLimit: expected 1 or more GPUs, found " + gpuLimit);
        }
        if (instanceTypes.isEmpty()) {
            throw new IllegalArgumentException("instanceTypes: expected at least one GPU instance type, found none");
        }
        if (!architecture.equals("amd64") && !architecture.equals("arm64")) {
            throw new IllegalArgumentException("architecture: expected amd64 or arm64, found " + architecture);
        }
        if (amiAlias.endsWith("@latest")) {
            throw new IllegalArgumentException("amiAlias: expected a pinned version, found " + amiAlias);
        }
        if (!amiAlias.matches("(al2023|bottlerocket)@v[0-9.]+")) {
            throw new IllegalArgumentException("amiAlias: expected al2023@v<release> or bottlerocket@v<release>, found " + amiAlias);
        }
    }

    /** The node image family, {@code al2023} or {@code bottlerocket} (the alias's part before {@code @}). */
    public String amiFamily() {
        return amiAlias.substring(0, amiAlias.indexOf('@'));
    }
}
