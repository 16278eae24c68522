package com.bridgeai.infra.stacks;

import com.hashicorp.cdktf.providers.aws.eks_access_entry.EksAccessEntry;
import com.hashicorp.cdktf.providers.aws.eks_access_entry.EksAccessEntryConfig;
import com.hashicorp.cdktf.providers.aws.eks_access_policy_association.EksAccessPolicyAssociation;
import com.hashicorp.cdktf.providers.aws.eks_access_policy_association.EksAccessPolicyAssociationAccessScope;
import com.hashicorp.cdktf.providers.aws.eks_access_policy_association.EksAccessPolicyAssociationConfig;
import java.util.List;
import software.constructs.Construct;

/**
 * Read access to the cluster's Kubernetes API for the CI plan role (an EKS access entry with
 * {@code AmazonEKSAdminViewPolicy}, cluster-wide): planning the flux stack reads its Helm releases
 * and secrets. The apply role needs no entry when CI creates the cluster (the creator is cluster
 * admin through {@code bootstrap_cluster_creator_admin_permissions}); for a cluster created from a
 * laptop, README "Running it from CI" gives the one command that adds it.
 *
 * <p>The policy association depends on the entry explicitly: both name the principal by its ARN,
 * so without it Terraform could associate the policy before the entry exists (and EKS refuses that).
 */
final class CiClusterAccess extends Construct {
    static final String VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy";

    CiClusterAccess(Construct scope, String id, String clusterName, String principalArn) {
        super(scope, id);
        EksAccessEntry entry = new EksAccessEntry(this, "plan_entry", EksAccessEntryConfig.builder()
                .clusterName(clusterName)
                .principalArn(principalArn)
                .type("STANDARD")
                .build());
        new EksAccessPolicyAssociation(this, "plan_view", EksAccessPolicyAssociationConfig.builder()
                .clusterName(clusterName)
                .principalArn(principalArn)
                .policyArn(VIEW_POLICY)
                .accessScope(EksAccessPolicyAssociationAccessScope.builder().type("cluster").build())
                .dependsOn(List.of(entry))
                .build());
    }
}
