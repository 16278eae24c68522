package com.bridgeai.infra.modules.aws.eks;

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
 * @param nodeGroup            the managed node group
 * @param addons               add-ons to install (empty when add-ons are disabled)
 * @param emulated             true only against the AWS emulator: no aws_eks_addon resources (the
 *                             emulator lacks the API; IRSA roles are still created), no live
 *                             version check, and the attributes the emulator echoes back
 *                             differently are ignored for drift
 * @param versionAdvice        what to do when AWS does not offer {@code kubernetesVersion} (the end
 *                             of the plan-time error message), e.g. which file and key to change
 */
public record EksProps(
        String clusterName,
        String kubernetesVersion,
        List<String> privateSubnetIds,
        boolean endpointPublicAccess,
        boolean endpointPrivateAccess,
        List<String> publicAccessCidrs,
        List<String> logTypes,
        NodeGroup nodeGroup,
        List<Addon> addons,
        boolean emulated,
        String versionAdvice) {

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
     * {@code /path/}), or neither (the add-on needs no role).
     */
    public record Addon(String name, String version, Optional<String> existingRoleArn, Optional<String> createRoleName) {
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
        privateSubnetIds = List.copyOf(privateSubnetIds);
        publicAccessCidrs = List.copyOf(publicAccessCidrs);
        logTypes = List.copyOf(logTypes);
        addons = List.copyOf(addons);
    }
}
