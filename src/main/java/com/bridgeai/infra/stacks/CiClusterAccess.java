package com.bridgeai.infra.stacks;

import com.hashicorp.cdktf.TerraformProviderGeneratorMetadata;
import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformResourceConfig;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * Read access to the cluster's Kubernetes API for the CI plan role (an EKS access entry with
 * {@code AmazonEKSAdminViewPolicy}, cluster-wide): planning the flux stack reads its Helm releases
 * and secrets. The apply role needs no entry when CI creates the cluster (the creator is cluster
 * admin through {@code bootstrap_cluster_creator_admin_permissions}); for a cluster created from a
 * laptop, README "Running it from CI" gives the one command that adds it.
 *
 * <p>Escape hatch: {@code aws_eks_access_entry} and {@code aws_eks_access_policy_association} came
 * with hashicorp/aws 5.33, after the 18.0.3 bindings (5.23.1); the pinned 5.100.0 provider has them.
 * Typed once #12's bindings land.
 */
final class CiClusterAccess extends Construct {
    static final String VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy";

    CiClusterAccess(Construct scope, String id, String clusterName, String principalArn) {
        super(scope, id);
        TerraformResource entry = resource("plan_entry", "aws_eks_access_entry");
        entry.addOverride("cluster_name", clusterName);
        entry.addOverride("principal_arn", principalArn);
        entry.addOverride("type", "STANDARD");
        TerraformResource view = resource("plan_view", "aws_eks_access_policy_association");
        view.addOverride("cluster_name", clusterName);
        view.addOverride("principal_arn", principalArn);
        view.addOverride("policy_arn", VIEW_POLICY);
        view.addOverride("access_scope", Map.of("type", "cluster"));
        view.addOverride("depends_on", List.of("aws_eks_access_entry." + entry.getFriendlyUniqueId()));
    }

    private TerraformResource resource(String id, String type) {
        return new TerraformResource(this, id, TerraformResourceConfig.builder()
                .terraformResourceType(type)
                .terraformGeneratorMetadata(TerraformProviderGeneratorMetadata.builder().providerName("aws").build())
                .build());
    }
}
