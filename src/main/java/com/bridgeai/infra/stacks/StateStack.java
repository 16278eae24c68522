package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import com.hashicorp.cdktf.LocalBackend;
import com.hashicorp.cdktf.LocalBackendConfig;
import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocument;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatement;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementCondition;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementPrincipals;
import com.hashicorp.cdktf.providers.aws.data_aws_dynamodb_table.DataAwsDynamodbTable;
import com.hashicorp.cdktf.providers.aws.data_aws_dynamodb_table.DataAwsDynamodbTableConfig;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTable;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTableAttribute;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTableConfig;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTablePointInTimeRecovery;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTableServerSideEncryption;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3BucketConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfiguration;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRule;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleFilter;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration;
import com.hashicorp.cdktf.providers.aws.s3_bucket_policy.S3BucketPolicy;
import com.hashicorp.cdktf.providers.aws.s3_bucket_policy.S3BucketPolicyConfig;
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
import software.constructs.Construct;

/**
 * What Terragrunt's remote_state block created for free: the env's state bucket and lock
 * table, hardened. Its own state is local ({@code .state/<env>/terraform.tfstate} in the
 * project root, git-ignored) because the bucket cannot hold the state of its own creation.
 * Deploy it first; adopt an existing bucket/table with {@code terraform import} (README).
 */
public final class StateStack extends EnvStack {
    /** Old state versions are kept this long, then expire (versioning still protects against mistakes). */
    static final int NONCURRENT_VERSION_DAYS = 90;

    private final String bucketId; // read once: each attribute read is a round trip to the jsii kernel

    public StateStack(Construct scope, EnvConfig env) {
        super(scope, env, StackUnit.STATE);
        // relative to the stack's working directory cdktf.out/stacks/<env>-state
        new LocalBackend(this, LocalBackendConfig.builder()
                .path("../../../.state/" + env.name() + "/terraform.tfstate").build());
        awsProvider();

        String name = env.backend().bucket();
        S3Bucket bucket = new S3Bucket(this, "state_bucket", S3BucketConfig.builder().bucket(name).build());
        bucketId = bucket.getId();
        new S3BucketVersioningA(this, "state_bucket_versioning", S3BucketVersioningAConfig.builder()
                .bucket(bucketId)
                .versioningConfiguration(S3BucketVersioningVersioningConfiguration.builder().status("Enabled").build())
                .build());
        new S3BucketServerSideEncryptionConfigurationA(this, "state_bucket_encryption",
                S3BucketServerSideEncryptionConfigurationAConfig.builder()
                        .bucket(bucketId)
                        .rule(List.of(S3BucketServerSideEncryptionConfigurationRuleA.builder()
                                .applyServerSideEncryptionByDefault(
                                        S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA
                                                .builder().sseAlgorithm("aws:kms").build())
                                .bucketKeyEnabled(true)
                                .build()))
                        .build());
        S3BucketPublicAccessBlock publicAccess = new S3BucketPublicAccessBlock(this, "state_bucket_public_access",
                S3BucketPublicAccessBlockConfig.builder()
                        .bucket(bucketId)
                        .blockPublicAcls(true).blockPublicPolicy(true)
                        .ignorePublicAcls(true).restrictPublicBuckets(true)
                        .build());
        if (!env.emulated()) {
            // the emulator is reached over plain http, so a TLS-only policy would (rightly) deny
            // every request to the emulated bucket; real S3 gets it always
            tlsOnlyPolicy(bucket.getArn(), publicAccess);
        }
        new S3BucketLifecycleConfiguration(this, "state_bucket_lifecycle", S3BucketLifecycleConfigurationConfig.builder()
                .bucket(bucketId)
                .rule(List.of(S3BucketLifecycleConfigurationRule.builder()
                        .id("expire-old-state-versions")
                        .status("Enabled")
                        .filter(List.of(S3BucketLifecycleConfigurationRuleFilter.builder().build())) // every object
                        .noncurrentVersionExpiration(List.of(S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration
                                .builder().noncurrentDays(NONCURRENT_VERSION_DAYS).build()))
                        .abortIncompleteMultipartUpload(List.of(S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload
                                .builder().daysAfterInitiation(7).build()))
                        .build()))
                .build());

        String lockTableName;
        if (env.backend().createLockTable()) {
            lockTableName = new DynamodbTable(this, "lock_table", DynamodbTableConfig.builder()
                    .name(env.backend().lockTable())
                    .billingMode("PAY_PER_REQUEST")
                    .hashKey("LockID")
                    .attribute(List.of(DynamodbTableAttribute.builder().name("LockID").type("S").build()))
                    .pointInTimeRecovery(DynamodbTablePointInTimeRecovery.builder().enabled(true).build())
                    .serverSideEncryption(DynamodbTableServerSideEncryption.builder().enabled(true).build())
                    // every env's state locks depend on it; a destroy must be a deliberate two-step act
                    .deletionProtectionEnabled(true)
                    .build()).getName();
        } else {
            // another env's state stack owns the shared table: only check that it exists
            lockTableName = new DataAwsDynamodbTable(this, "lock_table", DataAwsDynamodbTableConfig.builder()
                    .name(env.backend().lockTable()).build()).getName();
        }

        new TerraformOutput(this, "state_bucket_name", TerraformOutputConfig.builder().value(bucket.getBucket()).build());
        new TerraformOutput(this, "lock_table_name", TerraformOutputConfig.builder().value(lockTableName).build());
    }

    /** Denies every request to the state bucket that does not use TLS. */
    private void tlsOnlyPolicy(String bucketArn, S3BucketPublicAccessBlock publicAccess) {
        DataAwsIamPolicyDocument tlsOnly = new DataAwsIamPolicyDocument(this, "state_bucket_tls_only",
                DataAwsIamPolicyDocumentConfig.builder()
                        .statement(List.of(DataAwsIamPolicyDocumentStatement.builder()
                                .sid("DenyInsecureTransport")
                                .effect("Deny")
                                .actions(List.of("s3:*"))
                                .resources(List.of(bucketArn, bucketArn + "/*"))
                                .principals(List.of(DataAwsIamPolicyDocumentStatementPrincipals.builder()
                                        .type("*").identifiers(List.of("*")).build()))
                                .condition(List.of(DataAwsIamPolicyDocumentStatementCondition.builder()
                                        .test("Bool").variable("aws:SecureTransport").values(List.of("false")).build()))
                                .build()))
                        .build());
        new S3BucketPolicy(this, "state_bucket_policy", S3BucketPolicyConfig.builder()
                .bucket(bucketId)
                .policy(tlsOnly.getJson())
                // a policy put before the public access block can be refused as "public"
                .dependsOn(List.of(publicAccess))
                .build());
    }
}
