package com.bridgeai.infra.modules.aws.eks;

import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicy;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicyConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3BucketConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_public_access_block.S3BucketPublicAccessBlock;
import com.hashicorp.cdktf.providers.aws.s3_bucket_public_access_block.S3BucketPublicAccessBlockConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationAConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * The S3 bucket MLflow keeps its artifacts in (private, encrypted) and the IRSA role of
 * MLflow's service account that may read and write it — nothing else. The GitOps tree
 * annotates the service account with the role ARN.
 */
public final class MlflowArtifactStore extends Construct {
    public static final String NAMESPACE = "mlflow";
    public static final String SERVICE_ACCOUNT = "mlflow";

    private final String bucketName;
    private final String roleArn;

    public MlflowArtifactStore(Construct scope, String id, EksModule cluster, String namePrefix) {
        super(scope, id);
        // a prefix, not a fixed name: bucket names are global across all AWS accounts
        S3Bucket bucket = new S3Bucket(this, "bucket", S3BucketConfig.builder()
                .bucketPrefix(namePrefix + "-mlflow-").build());
        // attribute references read once: each read is a round trip to the jsii kernel
        String bucketId = bucket.getId();
        String bucketArn = bucket.getArn();
        bucketName = bucket.getBucket();
        new S3BucketPublicAccessBlock(this, "public_access", S3BucketPublicAccessBlockConfig.builder()
                .bucket(bucketId)
                .blockPublicAcls(true).blockPublicPolicy(true).ignorePublicAcls(true).restrictPublicBuckets(true)
                .build());
        new S3BucketServerSideEncryptionConfigurationA(this, "encryption",
                S3BucketServerSideEncryptionConfigurationAConfig.builder()
                        .bucket(bucketId)
                        .rule(List.of(S3BucketServerSideEncryptionConfigurationRuleA.builder()
                                .applyServerSideEncryptionByDefault(
                                        S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA
                                                .builder().sseAlgorithm("AES256").build())
                                .build()))
                        .build());
        IrsaRole role = new IrsaRole(this, "role", namePrefix + "-mlflow", cluster.oidcProviderArn(), cluster.oidcIssuer(),
                NAMESPACE, SERVICE_ACCOUNT);
        roleArn = role.arn();
        new IamRolePolicy(this, "access", IamRolePolicyConfig.builder()
                .name("mlflow-artifacts")
                .role(role.role().getId())
                // TreeMaps: jsonencode keeps Map.of's per-JVM random key order in the expression text
                .policy(Fn.jsonencode(new TreeMap<>(Map.of("Version", "2012-10-17", "Statement", List.of(
                        new TreeMap<>(Map.of("Effect", "Allow", "Action", List.of("s3:ListBucket", "s3:GetBucketLocation"),
                                "Resource", bucketArn)),
                        new TreeMap<>(Map.of("Effect", "Allow", "Action", List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                                "Resource", bucketArn + "/*")))))))
                .build());
    }

    public String bucketName() {
        return bucketName;
    }

    public String roleArn() {
        return roleArn;
    }
}
