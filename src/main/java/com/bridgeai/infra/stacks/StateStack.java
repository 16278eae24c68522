package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.guardrails.CheckovSkips;
import com.bridgeai.infra.modules.aws.kms.AwsAccount;
import com.bridgeai.infra.modules.aws.kms.CustomerKey;
import com.bridgeai.infra.modules.aws.s3.HardenedBucket;
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
import com.hashicorp.cdktf.providers.aws.s3_bucket_policy.S3BucketPolicy;
import com.hashicorp.cdktf.providers.aws.s3_bucket_policy.S3BucketPolicyConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_public_access_block.S3BucketPublicAccessBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.constructs.Construct;

/**
 * What Terragrunt's remote_state block created for free: the env's state bucket and lock
 * table, hardened — plus the env's access-log bucket, which records every request to the state
 * bucket (it holds Flux's and git-sync's private keys) and to MLflow's artifact bucket. Its own state is local ({@code .state/<env>/terraform.tfstate} in the
 * project root, git-ignored) because the bucket cannot hold the state of its own creation.
 * Deploy it first; adopt an existing bucket/table with {@code terraform import} (README).
 */
public final class StateStack extends EnvStack {
    /** Old state versions are kept this long, then expire (versioning still protects against mistakes). */
    static final int NONCURRENT_VERSION_DAYS = 90;
    /** Key prefix of the state bucket's server access logs in the log bucket. */
    static final String STATE_ACCESS_LOG_PREFIX = "state/";
    /** Old versions of log objects (logs are written once; a version only appears by mistake). */
    static final int LOG_NONCURRENT_VERSION_DAYS = 30;
    /**
     * Why the access-log bucket is SSE-S3, not SSE-KMS: checkov's CKV_AWS_145 ("encrypted with KMS by
     * default") is waived for that bucket alone with the S3 user guide's own sentence.
     */
    static final String LOG_BUCKET_SSE_S3_REASON = "S3 user guide, Enabling Amazon S3 server access logging: "
            + "\"Default server-side encryption with AWS KMS keys (SSE-KMS) is not supported\" on the target bucket;"
            + " the access-log bucket is SSE-S3 (AES256)";

    private final String bucketId; // read once: each attribute read is a round trip to the jsii kernel
    private final AwsAccount account;

    public StateStack(Construct scope, EnvConfig env) {
        super(scope, env, StackUnit.STATE);
        // relative to the stack's working directory cdktf.out/stacks/<env>-state
        new LocalBackend(this, LocalBackendConfig.builder()
                .path("../../../.state/" + env.name() + "/terraform.tfstate").build());
        awsProvider();
        account = account(this, env);

        // the log bucket first: S3 checks, when the state bucket's logging is set, that the log
        // bucket's policy lets the logging service write
        S3BucketPolicy logBucketPolicy = accessLogBucket();
        // the state objects' own customer key, named by the alias every backend of the env sends
        // as kms_key_id (EnvStack.useRemoteState): the S3 backend with encrypt = true and no
        // kms_key_id puts every state object as AES256 (SSE-S3), overriding the bucket's default
        // (hashicorp/terraform internal/backend/remote-state/s3/client.go); the bucket default
        // covers whatever else is written (a manual copy, a state pushed by hand)
        CustomerKey stateKey = new CustomerKey(this, "state_key", env.stateKeyAlias().substring("alias/".length()),
                "Encryption of the Terraform state of the " + env.name() + " environment", account, List.of());
        HardenedBucket bucket = new HardenedBucket(this, HardenedBucket.Ids.prefixed("state_bucket"), new HardenedBucket.Props(
                new HardenedBucket.Exactly(env.backend().bucket()), new HardenedBucket.SseKms(Optional.of(stateKey.arn())),
                "expire-old-state-versions", NONCURRENT_VERSION_DAYS, Optional.empty(), Optional.of(new HardenedBucket.AccessLogs(
                        env.backend().accessLogBucket(), STATE_ACCESS_LOG_PREFIX, List.of(logBucketPolicy)))));
        bucketId = bucket.id();
        if (!env.emulated()) {
            // the emulator is reached over plain http, so a TLS-only policy would (rightly) deny
            // every request to the emulated bucket; real S3 gets it always
            tlsOnlyPolicy(bucket.arn(), bucket.publicAccessBlock());
        }

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

        new TerraformOutput(this, "state_bucket_name", TerraformOutputConfig.builder().value(bucket.bucket().getBucket()).build());
        new TerraformOutput(this, "state_key_arn", TerraformOutputConfig.builder().value(stateKey.arn()).build());
        new TerraformOutput(this, "lock_table_name", TerraformOutputConfig.builder().value(lockTableName).build());
    }

    /**
     * The env's access-log bucket ({@code <state bucket>-logs}): private, SSE-S3 (S3 server access
     * logging delivers into no SSE-KMS bucket: S3 user guide, "Enabling Amazon S3 server access
     * logging"), versioned, logs expire after {@code log_retention_days}. It is itself not logged:
     * its own access logs would have to go to a bucket that logs again (S3 warns against the loop),
     * and a log bucket's reads are rare and in CloudTrail. Its policy lets only S3 log delivery of
     * this account write, and only for the state bucket and the env's MLflow buckets.
     */
    private S3BucketPolicy accessLogBucket() {
        String name = env.backend().accessLogBucket();
        HardenedBucket bucket = new HardenedBucket(this, HardenedBucket.Ids.prefixed("access_log_bucket"),
                new HardenedBucket.Props(new HardenedBucket.Exactly(name), new HardenedBucket.SseS3(), "expire-access-logs",
                        LOG_NONCURRENT_VERSION_DAYS, Optional.of(env.logRetentionDays()), Optional.empty()));
        CheckovSkips.skip(bucket.bucket(), Map.of("CKV_AWS_145", LOG_BUCKET_SSE_S3_REASON));
        String id = bucket.id();
        String arn = bucket.arn();
        S3BucketPublicAccessBlock publicAccess = bucket.publicAccessBlock();

        String stateArn = "arn:" + account.partition() + ":s3:::" + env.backend().bucket();
        String mlflowArns = "arn:" + account.partition() + ":s3:::" + env.project().project() + "-" + env.name() + "-mlflow-*";
        List<DataAwsIamPolicyDocumentStatement> statements = new ArrayList<>();
        statements.add(DataAwsIamPolicyDocumentStatement.builder()
                .sid("S3AccessLogDelivery")
                .effect("Allow")
                .actions(List.of("s3:PutObject"))
                .resources(List.of(arn + "/*"))
                .principals(List.of(DataAwsIamPolicyDocumentStatementPrincipals.builder()
                        .type("Service").identifiers(List.of("logging.s3.amazonaws.com")).build()))
                .condition(List.of(
                        DataAwsIamPolicyDocumentStatementCondition.builder()
                                .test("StringEquals").variable("aws:SourceAccount").values(List.of(account.accountId())).build(),
                        DataAwsIamPolicyDocumentStatementCondition.builder()
                                .test("ArnLike").variable("aws:SourceArn").values(List.of(stateArn, mlflowArns)).build()))
                .build());
        if (!env.emulated()) {
            statements.add(HardenedBucket.denyInsecureTransport(arn)); // plain http to the emulator (see the state bucket)
        }
        DataAwsIamPolicyDocument policy = new DataAwsIamPolicyDocument(this, "access_log_bucket_policy_document",
                DataAwsIamPolicyDocumentConfig.builder().statement(statements).build());
        return new S3BucketPolicy(this, "access_log_bucket_policy", S3BucketPolicyConfig.builder()
                .bucket(id)
                .policy(policy.getJson())
                .dependsOn(List.of(publicAccess))
                .build());
    }

    /** Denies every request to the state bucket that does not use TLS. */
    private void tlsOnlyPolicy(String bucketArn, S3BucketPublicAccessBlock publicAccess) {
        DataAwsIamPolicyDocument tlsOnly = new DataAwsIamPolicyDocument(this, "state_bucket_tls_only",
                DataAwsIamPolicyDocumentConfig.builder()
                        .statement(List.of(HardenedBucket.denyInsecureTransport(bucketArn)))
                        .build());
        new S3BucketPolicy(this, "state_bucket_policy", S3BucketPolicyConfig.builder()
                .bucket(bucketId)
                .policy(tlsOnly.getJson())
                // a policy put before the public access block can be refused as "public"
                .dependsOn(List.of(publicAccess))
                .build());
    }
}
