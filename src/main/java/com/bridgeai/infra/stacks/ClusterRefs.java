package com.bridgeai.infra.stacks;

/**
 * What the EKS stack hands to the GitOps stacks. Every value is a cdktf token of the EKS
 * stack (a cross-stack reference: cdktf turns it into an output there and a
 * terraform_remote_state read in the consumer), never a copied id.
 *
 * @param clusterName            e.g. mlops-test-cluster
 * @param endpoint               the Kubernetes API server URL
 * @param certificateAuthority   the cluster CA, base64 (as EKS returns it)
 * @param oidcProviderArn        the IAM OIDC provider of the cluster (for IRSA)
 * @param oidcIssuer             the issuer URL without https:// (IRSA trust condition prefix)
 * @param mlflowArtifactBucket   the S3 bucket MLflow stores artifacts in
 * @param mlflowRoleArn          the IRSA role of MLflow's service account (mlflow/mlflow)
 * @param efsFileSystemId        the EFS file system for the EFS CSI storage class ("" when the
 *                               aws-efs-csi-driver add-on is not configured)
 * @param appsDatabase           the RDS instance of the apps' metadata and where their credentials
 *                               live (apps_database: rds), else empty
 * @param karpenter              Karpenter's AWS side (gpu_capacity: karpenter), else empty
 */
public record ClusterRefs(
        String clusterName,
        String endpoint,
        String certificateAuthority,
        String oidcProviderArn,
        String oidcIssuer,
        String mlflowArtifactBucket,
        String mlflowRoleArn,
        String efsFileSystemId,
        java.util.Optional<com.bridgeai.infra.modules.gitops.DatabaseAccess> appsDatabase,
        java.util.Optional<KarpenterRefs> karpenter) {
    /**
     * What the GitOps tree needs of Karpenter's AWS side (tokens of the eks stack).
     *
     * @param controllerRoleArn     IRSA role of the controller (kube-system/karpenter)
     * @param nodeRoleName          role of the nodes Karpenter starts (EC2NodeClass {@code role})
     * @param interruptionQueueName SQS interruption queue (Karpenter's {@code settings.interruptionQueue})
     */
    public record KarpenterRefs(String controllerRoleArn, String nodeRoleName, String interruptionQueueName) {}
}

