package com.bridgeai.infra.modules.aws.eks;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * EKS add-ons this project knows how to wire. Those with an {@link IrsaSpec} get an IRSA
 * role created for them (what the seed's manual {@code eksctl create iamserviceaccount}
 * step did); those in {@link #NO_ROLE_NEEDED} run on the node role or need no AWS access.
 */
public final class AddonCatalog {

    /**
     * The service account(s) an add-on runs as, how the role's trust matches them, and the AWS
     * managed policy it needs.
     */
    public record IrsaSpec(String namespace, String serviceAccount, IrsaRole.Subject subject, String managedPolicy) {}

    static final Map<String, IrsaSpec> IRSA = Map.of(
            // EKS user guide, "Amazon EBS CSI driver" add-on (required IAM permissions): the controller's account
            "aws-ebs-csi-driver",
            new IrsaSpec("kube-system", "ebs-csi-controller-sa", IrsaRole.Subject.EXACTLY,
                    "service-role/AmazonEBSCSIDriverPolicy"),
            // EKS user guide, "Amazon EFS CSI driver" add-on (required IAM permissions): the role's
            // trust is rewritten to StringLike "system:serviceaccount:kube-system:efs-csi-*" (sed
            // 's/efs-csi-controller-sa/efs-csi-*/' 's/StringEquals/StringLike/' there): the
            // controller (efs-csi-controller-sa) and the node DaemonSet (efs-csi-node-sa) use the role
            "aws-efs-csi-driver",
            new IrsaSpec("kube-system", "efs-csi-*", IrsaRole.Subject.LIKE, "service-role/AmazonEFSCSIDriverPolicy"),
            // EKS user guide, "Amazon CloudWatch Observability agent" add-on (required IAM permissions):
            // eksctl create iamserviceaccount --name cloudwatch-agent --namespace amazon-cloudwatch with
            // CloudWatchAgentServerPolicy. The agent DaemonSet and Fluent Bit both run as that account
            // (the chart, aws-observability/helm-charts amazon-cloudwatch-observability). The guide also
            // attaches AWSXrayWriteOnlyAccess, for Application Signals traces: nothing here is
            // instrumented for them, so the role stays without it (least privilege)
            "amazon-cloudwatch-observability",
            new IrsaSpec("amazon-cloudwatch", "cloudwatch-agent", IrsaRole.Subject.EXACTLY, "CloudWatchAgentServerPolicy"));

    /** vpc-cni uses the node role's AmazonEKS_CNI_Policy; the others call no AWS API. */
    public static final Set<String> NO_ROLE_NEEDED =
            Set.of("vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "snapshot-controller");

    /**
     * Add-ons installed right after the cluster, without waiting for the node group (the anchor's
     * {@code before_compute}, terraform-aws-eks {@code aws_eks_addon.before_compute}): node-level
     * DaemonSets that become ACTIVE with no node at all and that nodes need from their first boot
     * (pod networking, service routing, pod identity credentials). Every other add-on runs a
     * Deployment (coredns, the CSI controllers, snapshot-controller) and only becomes ACTIVE once
     * pods are scheduled, so it waits for the node group.
     */
    static final Set<String> BEFORE_COMPUTE = Set.of("vpc-cni", "kube-proxy", "eks-pod-identity-agent");

    private AddonCatalog() {}

    /** True if the add-on is created before the node group instead of after it. */
    public static boolean beforeCompute(String addonName) {
        return BEFORE_COMPUTE.contains(addonName);
    }

    public static Optional<IrsaSpec> irsa(String addonName) {
        return Optional.ofNullable(IRSA.get(addonName));
    }

    /** True if the add-on can be installed without an explicit service_account_role_arn. */
    public static boolean known(String addonName) {
        return IRSA.containsKey(addonName) || NO_ROLE_NEEDED.contains(addonName);
    }

    /** Every known add-on name, sorted (for error messages). */
    public static List<String> names() {
        return Stream.concat(IRSA.keySet().stream(), NO_ROLE_NEEDED.stream()).sorted().toList();
    }
}
