package com.bridgeai.infra.modules.aws.eks;

import com.bridgeai.infra.modules.gitops.AppValues;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicy;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicyConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3BucketConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfiguration;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRule;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleFilter;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration;
import com.hashicorp.cdktf.providers.aws.s3_bucket_logging.S3BucketLoggingA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_logging.S3BucketLoggingAConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_public_access_block.S3BucketPublicAccessBlock;
import com.hashicorp.cdktf.providers.aws.s3_bucket_public_access_block.S3BucketPublicAccessBlockConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationAConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningAConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningVersioningConfiguration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * The S3 bucket MLflow keeps its artifacts in — private, SSE-KMS (the account's aws/s3 key, so
 * the IRSA role needs no KMS permission of its own), versioned (an overwritten or deleted model
 * can be restored for {@value #NONCURRENT_VERSION_DAYS} days), access logs into the env's log
 * bucket — and the IRSA role of MLflow's service account that may read and write it, nothing
 * else. The GitOps tree annotates the service account with the role ARN.
 */
public final class MlflowArtifactStore extends Construct {
    /** How long a replaced or deleted artifact version stays restorable. */
    static final int NONCURRENT_VERSION_DAYS = 90;
    /** Key prefix of this bucket's server access logs in the log bucket. */
    public static final String ACCESS_LOG_PREFIX = "mlflow/";

    private final String bucketName;
    private final String roleArn;

    /**
     * @param accessLogBucket the env's access-log bucket (created by the state stack, deployed first)
     */
    public MlflowArtifactStore(Construct scope, String id, EksModule cluster, String namePrefix, String accessLogBucket) {
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
                                                .builder().sseAlgorithm("aws:kms").build())
                                .bucketKeyEnabled(true) // one data key per bucket, not a KMS call per object
                                .build()))
                        .build());
        new S3BucketVersioningA(this, "versioning", S3BucketVersioningAConfig.builder()
                .bucket(bucketId)
                .versioningConfiguration(S3BucketVersioningVersioningConfiguration.builder().status("Enabled").build())
                .build());
        new S3BucketLifecycleConfiguration(this, "lifecycle", S3BucketLifecycleConfigurationConfig.builder()
                .bucket(bucketId)
                .rule(List.of(S3BucketLifecycleConfigurationRule.builder()
                        .id("expire-old-artifact-versions")
                        .status("Enabled")
                        .filter(List.of(S3BucketLifecycleConfigurationRuleFilter.builder().build())) // every object
                        .noncurrentVersionExpiration(List.of(S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration
                                .builder().noncurrentDays(NONCURRENT_VERSION_DAYS).build()))
                        .abortIncompleteMultipartUpload(List.of(S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload
                                .builder().daysAfterInitiation(7).build()))
                        .build()))
                .build());
        new S3BucketLoggingA(this, "access_logs", S3BucketLoggingAConfig.builder()
                .bucket(bucketId)
                .targetBucket(accessLogBucket)
                .targetPrefix(ACCESS_LOG_PREFIX)
                .build());
        IrsaRole role = new IrsaRole(this, "role", namePrefix + "-mlflow", cluster.oidcProviderArn(), cluster.oidcIssuer(),
                AppValues.MLFLOW_NAMESPACE, AppValues.MLFLOW_SERVICE_ACCOUNT);
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
