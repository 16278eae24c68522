package com.bridgeai.infra.modules.aws.eks;

import com.bridgeai.infra.modules.aws.kms.AwsAccount;
import java.util.List;
import java.util.Optional;

/**
 * Inputs of {@link EksModule} (the seed's aws/eks module: Cloud Posse eks-cluster + eks-node-group).
 *
 * @param clusterName          e.g. {@code mlops-test-cluster}
 * @param kubernetesVersion    "1.NN"
 * @param privateSubnetIds     subnets for the control-plane ENIs and the nodes (tokens of the VPC stack)
 * @param endpointPublicAccess / endpointPrivateAccess / publicAccessCidrs  API server reachability
 * @param logTypes             control-plane log types sent to CloudWatch
 * @param logRetentionDays     how long the control-plane logs are kept
 * @param nodeGroup            the managed GPU node group {@code workers} ({@code gpu_capacity: node_group}); with
 *                             {@code karpenter} present it describes the Karpenter GPU pool, which the GitOps
 *                             tree renders, and this module creates no group from it
 * @param addons               add-ons to install (empty when add-ons are disabled)
 * @param emulated             true only against the AWS emulator: no aws_eks_addon resources (the
 *                             emulator lacks the API; IRSA roles are still created), no live
 *                             version check, and the attributes the emulator echoes back
 *                             differently are ignored for drift
 * @param versionAdvice        what to do when AWS does not offer {@code kubernetesVersion} (the end
 *                             of the plan-time error message), e.g. which file and key to change
 * @param account              partition, account and region, for the key policies
 * @param supportType          the cluster's upgrade policy, {@value #STANDARD} or {@value #EXTENDED}:
 *                             what EKS does when the version's standard support ends (EKS API
 *                             UpgradePolicyRequest: STANDARD "will be automatically upgraded at the end
 *                             of standard support", EXTENDED enters extended support at a higher price;
 *                             "The default value is EXTENDED", so it is always written)
 * @param karpenter            {@code gpu_capacity: karpenter}: a CPU node group {@code system} instead of the GPU
 *                             group, and Karpenter's AWS side ({@link KarpenterAws}); empty: the seed's one GPU group
 */
public record EksProps(
        String clusterName,
        String kubernetesVersion,
        List<String> privateSubnetIds,
        boolean endpointPublicAccess,
        boolean endpointPrivateAccess,
        List<String> publicAccessCidrs,
        List<String> logTypes,
        int logRetentionDays,
        NodeGroup nodeGroup,
        List<Addon> addons,
        boolean emulated,
        AwsAccount account,
        String versionAdvice,
        String supportType,
        Optional<KarpenterCapacity> karpenter) {
    /** supportType: auto-upgraded by EKS at the end of standard support (no extended-support price). */
    public static final String STANDARD = "STANDARD";
    /** supportType: stays on its version into extended support, at the extended-support price. */
    public static final String EXTENDED = "EXTENDED";

    /** As the canonical constructor, without Karpenter (the seed's one GPU node group). */
    public EksProps(String clusterName, String kubernetesVersion, List<String> privateSubnetIds, boolean endpointPublicAccess,
                    boolean endpointPrivateAccess, List<String> publicAccessCidrs, List<String> logTypes, int logRetentionDays,
                    NodeGroup nodeGroup, List<Addon> addons, boolean emulated, AwsAccount account, String versionAdvice,
                    String supportType) {
        this(clusterName, kubernetesVersion, privateSubnetIds, endpointPublicAccess, endpointPrivateAccess, publicAccessCidrs,
                logTypes, logRetentionDays, nodeGroup, addons, emulated, account, versionAdvice, supportType, Optional.empty());
    }

    /** As the canonical constructor, with the {@value #STANDARD} upgrade policy. */
    public EksProps(String clusterName, String kubernetesVersion, List<String> privateSubnetIds, boolean endpointPublicAccess,
                    boolean endpointPrivateAccess, List<String> publicAccessCidrs, List<String> logTypes, int logRetentionDays,
                    NodeGroup nodeGroup, List<Addon> addons, boolean emulated, AwsAccount account, String versionAdvice) {
        this(clusterName, kubernetesVersion, privateSubnetIds, endpointPublicAccess, endpointPrivateAccess, publicAccessCidrs,
                logTypes, logRetentionDays, nodeGroup, addons, emulated, account, versionAdvice, STANDARD);
    }

    /** The managed node group; GPU AMI types get GPU labels, {@code gpuTaint} adds the nvidia.com/gpu taint. */
    public record NodeGroup(
            String amiType,
            String capacityType,
            List<String> instanceTypes,
            int minSize,
            int desiredSize,
            int maxSize,
            int diskSizeGib,
            boolean gpuTaint) {

        public boolean gpu() {
            return gpuFamily() != GpuFamily.NONE;
        }

        public GpuFamily gpuFamily() {
            return GpuFamily.of(amiType);
        }
    }

    /**
     * {@code gpu_capacity: karpenter}: the system node group that replaces the GPU group (CPU, on
     * demand, a fixed size: min = desired = max, nothing scales it), and Karpenter's AWS side for the
     * GPU nodes Karpenter starts.
     *
     * @param systemInstanceTypes CPU instance types of the group {@code system}
     * @param systemAmiType       its EKS amiType, an AL2023 standard image ({@code AL2023_x86_64_STANDARD} / {@code _ARM_64_})
     * @param systemNodeCount     its fixed size
     * @param systemDiskSizeGib   its encrypted gp3 root volume
     */
    public record KarpenterCapacity(List<String> systemInstanceTypes, String systemAmiType, int systemNodeCount,
                                    int systemDiskSizeGib) {
        /**
         * The system nodes' root volume: the system pods' images (Airflow, MLflow, Flux, Karpenter,
         * the CSI drivers, the CloudWatch agent) are a few GiB and EKS's own 20 GiB fills up after a
         * few image versions; 50 GiB of gp3 costs ~USD 4 a month per node.
         */
        public static final int DEFAULT_SYSTEM_DISK_SIZE_GIB = 50;
        /** On demand: a spot reclaim would take Karpenter, Flux and the Airflow scheduler down with it. */
        public static final String SYSTEM_CAPACITY_TYPE = "ON_DEMAND";

        public KarpenterCapacity {
            systemInstanceTypes = List.copyOf(systemInstanceTypes);
            if (systemInstanceTypes.isEmpty() || systemNodeCount < 1) {
                throw new IllegalArgumentException("system node group: expected instance types and at least one node, found "
                        + systemInstanceTypes + " x " + systemNodeCount);
            }
            if (GpuFamily.of(systemAmiType) != GpuFamily.NONE) {
                throw new IllegalArgumentException("system node group: expected a CPU image, found " + systemAmiType);
            }
        }

        /** With the {@link #DEFAULT_SYSTEM_DISK_SIZE_GIB} root volume. */
        public KarpenterCapacity(List<String> systemInstanceTypes, String systemAmiType, int systemNodeCount) {
            this(systemInstanceTypes, systemAmiType, systemNodeCount, DEFAULT_SYSTEM_DISK_SIZE_GIB);
        }

        /** The group {@code system} as a node group spec: fixed size, no GPU, no taint. */
        public NodeGroup systemGroup() {
            return new NodeGroup(systemAmiType, SYSTEM_CAPACITY_TYPE, systemInstanceTypes, systemNodeCount, systemNodeCount,
                    systemNodeCount, systemDiskSizeGib, false);
        }
    }

    /**
     * One add-on. Exactly one way to get its service-account role:
     * {@code existingRoleArn} (used as is), {@code createRoleName} (an IRSA role of that name is
     * created from the {@link AddonCatalog}; {@code path/Name} creates Name under IAM path
     * {@code /path/}), or neither (the add-on needs no role). {@code configurationValues}: the
     * add-on's JSON configuration (EKS {@code configurationValues}), e.g. vpc-cni's network policy.
     */
    public record Addon(String name, String version, Optional<String> existingRoleArn, Optional<String> createRoleName,
                        Optional<String> configurationValues) {
        /** Without configuration values (the add-on's defaults). */
        public Addon(String name, String version, Optional<String> existingRoleArn, Optional<String> createRoleName) {
            this(name, version, existingRoleArn, createRoleName, Optional.empty());
        }

        /** version: AWS's default for the cluster's Kubernetes version, read at plan time. */
        public static final String DEFAULT = "default";
        /** version: the newest AWS offers for the cluster's Kubernetes version, read at plan time. */
        public static final String LATEST = "latest";

        /** True for {@link #DEFAULT} / {@link #LATEST}; false for a pinned vX.Y.Z-eksbuild.N. */
        public boolean resolvedAtPlan() {
            return version.equals(DEFAULT) || version.equals(LATEST);
        }

        public Addon {
            if (existingRoleArn.isPresent() && createRoleName.isPresent()) {
                throw new IllegalArgumentException("add-on " + name + ": either an existing role or a role to create");
            }
            if (createRoleName.isPresent() && AddonCatalog.irsa(name).isEmpty()) {
                throw new IllegalArgumentException("add-on " + name + ": no known IRSA policy to create a role from");
            }
        }
    }

    public EksProps {
        if (!supportType.equals(STANDARD) && !supportType.equals(EXTENDED)) {
            throw new IllegalArgumentException("supportType: expected STANDARD or EXTENDED, found " + supportType);
        }
        privateSubnetIds = List.copyOf(privateSubnetIds);
        publicAccessCidrs = List.copyOf(publicAccessCidrs);
        logTypes = List.copyOf(logTypes);
        addons = List.copyOf(addons);
    }
}
