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
 * @param nodeGroup            the managed node group
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
        String supportType) {
    /** supportType: auto-upgraded by EKS at the end of standard support (no extended-support price). */
    public static final String STANDARD = "STANDARD";
    /** supportType: stays on its version into extended support, at the extended-support price. */
    public static final String EXTENDED = "EXTENDED";

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
