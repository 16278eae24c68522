package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_efs_file_system.DataAwsEfsFileSystem;
import com.hashicorp.cdktf.providers.aws.data_aws_eks_cluster.DataAwsEksCluster;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_role.DataAwsIamRole;
import com.hashicorp.cdktf.providers.aws.data_aws_s3_bucket.DataAwsS3Bucket;
import software.constructs.Construct;

/**
 * Test-only producer of {@link ClusterRefs} until the real EKS stack is merged: a stack named
 * like it ({@code <env>-eks}, same backend) whose values are tokens of its own data sources, so
 * the github/flux stacks get genuine cross-stack references.
 */
final class StandInEksStack extends EnvStack {
    final ClusterRefs refs;

    StandInEksStack(Construct scope, EnvConfig env, boolean withEfs) {
        super(scope, env, StackUnit.EKS);
        useRemoteState();
        awsProvider();
        DataAwsEksCluster cluster = DataAwsEksCluster.Builder.create(this, "cluster").name(env.clusterName()).build();
        DataAwsS3Bucket bucket = DataAwsS3Bucket.Builder.create(this, "mlflow_bucket")
                .bucket(env.clusterName() + "-mlflow").build();
        DataAwsIamRole role = DataAwsIamRole.Builder.create(this, "mlflow_role").name(env.clusterName() + "-mlflow").build();
        String efs = withEfs
                ? DataAwsEfsFileSystem.Builder.create(this, "efs").creationToken(env.clusterName()).build().getId()
                : "";
        refs = new ClusterRefs(
                cluster.getName(),
                cluster.getEndpoint(),
                cluster.getCertificateAuthority().get(0).getData(),
                "arn:aws:iam::123456789012:oidc-provider/stand-in",
                cluster.getIdentity().get(0).getOidc().get(0).getIssuer(),
                bucket.getBucket(),
                role.getArn(),
                efs);
    }
}
