package com.bridgeai.infra.modules.aws.s3;

import com.hashicorp.cdktf.ITerraformDependable;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatement;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementCondition;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementPrincipals;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3BucketConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfiguration;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRule;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleExpiration;
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
import java.util.Optional;
import software.constructs.Construct;

/**
 * An S3 bucket with the hardening every bucket of this project gets, written once: all public
 * access blocked, default encryption ({@link SseKms} with a bucket key — one data key per bucket,
 * not a KMS call per object — or, for the one bucket S3 itself writes logs into, {@link SseS3}),
 * versioning, a lifecycle rule that expires old versions (and, for logs, the objects themselves)
 * and aborts incomplete uploads after {@value #ABORT_INCOMPLETE_UPLOAD_DAYS} days, and server access
 * logs into the env's log bucket where asked. A bucket policy is the caller's (what it says
 * differs per bucket); it should depend on {@link #publicAccessBlock()}, since a policy put before
 * the block can be refused as "public"; every bucket policy should carry
 * {@link #denyInsecureTransport(String)}.
 *
 * <p>Not a construct scope of its own: the resources are created in the caller's scope under the
 * ids {@link Ids} names, so the Terraform addresses of the buckets deployed before this class
 * existed (the state stack's, MLflow's) stay what they were.
 */
public final class HardenedBucket {
    /** Incomplete multipart uploads are aborted (and their parts deleted) after this many days. */
    public static final int ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

    /** The construct ids of the bucket's resources in the caller's scope. */
    public record Ids(String bucket, String versioning, String encryption, String publicAccess, String lifecycle,
            String logging) {
        /** {@code <prefix>}, {@code <prefix>_versioning}, ... (the state stack's buckets). */
        public static Ids prefixed(String prefix) {
            return new Ids(prefix, prefix + "_versioning", prefix + "_encryption", prefix + "_public_access",
                    prefix + "_lifecycle", prefix + "_logging");
        }
    }

    /** Name: exactly {@code name}, or unique names starting with {@code prefix} (bucket names are global). */
    public sealed interface Name permits Exactly, Prefix {}

    public record Exactly(String name) implements Name {}

    public record Prefix(String prefix) implements Name {}

    /** The bucket's default encryption. */
    public sealed interface Encryption permits SseKms, SseS3 {}

    /**
     * SSE-KMS with an S3 bucket key. {@code keyArn}: a customer key; empty: the account's
     * AWS-managed {@code aws/s3} key (readers need no KMS permission beyond S3's own).
     */
    public record SseKms(Optional<String> keyArn) implements Encryption {}

    /**
     * SSE-S3 ({@code AES256}, keys owned by S3). Only for the target bucket of S3 server access
     * logging: S3 user guide, "Enabling Amazon S3 server access logging": "You can use default
     * bucket encryption on the destination bucket only if you use server-side encryption with
     * Amazon S3 managed keys (SSE-S3), which uses the 256-bit Advanced Encryption Standard
     * (AES-256). Default server-side encryption with AWS KMS keys (SSE-KMS) is not supported."
     */
    public record SseS3() implements Encryption {}

    /**
     * Server access logs into {@code targetBucket} under {@code prefix}; {@code after}: what S3 must
     * see first (the log bucket's policy that lets the logging service write), may be empty.
     */
    public record AccessLogs(String targetBucket, String prefix, List<ITerraformDependable> after) {}

    /**
     * @param name             exact name or prefix
     * @param encryption       the default encryption ({@link SseKms} for every bucket but a log target)
     * @param lifecycleRuleId  the lifecycle rule's id (says what expires)
     * @param noncurrentDays   how long an overwritten or deleted version stays restorable
     * @param expirationDays   objects themselves expire after this many days (log buckets); empty: never
     * @param accessLogs       where this bucket's access logs go; empty: not logged (the log bucket itself)
     */
    public record Props(Name name, Encryption encryption, String lifecycleRuleId, int noncurrentDays,
            Optional<Integer> expirationDays, Optional<AccessLogs> accessLogs) {
        public Props {
            if (noncurrentDays < 1) {
                throw new IllegalArgumentException("noncurrentDays: expected at least 1, found " + noncurrentDays);
            }
        }
    }

    private final S3Bucket bucket;
    private final String id;
    private final String arn;
    private final S3BucketPublicAccessBlock publicAccessBlock;

    public HardenedBucket(Construct scope, Ids ids, Props props) {
        S3BucketConfig.Builder config = S3BucketConfig.builder();
        if (props.name() instanceof Exactly exactly) {
            config.bucket(exactly.name());
        } else if (props.name() instanceof Prefix prefix) {
            config.bucketPrefix(prefix.prefix());
        }
        bucket = new S3Bucket(scope, ids.bucket(), config.build());
        // attribute references read once: each read is a round trip to the jsii kernel
        id = bucket.getId();
        arn = bucket.getArn();
        publicAccessBlock = new S3BucketPublicAccessBlock(scope, ids.publicAccess(), S3BucketPublicAccessBlockConfig.builder()
                .bucket(id)
                .blockPublicAcls(true).blockPublicPolicy(true).ignorePublicAcls(true).restrictPublicBuckets(true)
                .build());
        S3BucketServerSideEncryptionConfigurationRuleA.Builder encryption = S3BucketServerSideEncryptionConfigurationRuleA.builder();
        if (props.encryption() instanceof SseKms kms) {
            encryption.applyServerSideEncryptionByDefault(
                            S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA
                                    .builder().sseAlgorithm("aws:kms").kmsMasterKeyId(kms.keyArn().orElse(null)).build())
                    .bucketKeyEnabled(true);
        } else {
            // a bucket key only applies to SSE-KMS
            encryption.applyServerSideEncryptionByDefault(
                    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA
                            .builder().sseAlgorithm("AES256").build());
        }
        new S3BucketServerSideEncryptionConfigurationA(scope, ids.encryption(),
                S3BucketServerSideEncryptionConfigurationAConfig.builder()
                        .bucket(id)
                        .rule(List.of(encryption.build()))
                        .build());
        new S3BucketVersioningA(scope, ids.versioning(), S3BucketVersioningAConfig.builder()
                .bucket(id)
                .versioningConfiguration(S3BucketVersioningVersioningConfiguration.builder().status("Enabled").build())
                .build());
        S3BucketLifecycleConfigurationRule.Builder rule = S3BucketLifecycleConfigurationRule.builder()
                .id(props.lifecycleRuleId())
                .status("Enabled")
                .filter(List.of(S3BucketLifecycleConfigurationRuleFilter.builder().build())) // every object
                .noncurrentVersionExpiration(List.of(S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration
                        .builder().noncurrentDays(props.noncurrentDays()).build()))
                .abortIncompleteMultipartUpload(List.of(S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload
                        .builder().daysAfterInitiation(ABORT_INCOMPLETE_UPLOAD_DAYS).build()));
        props.expirationDays().ifPresent(days -> rule.expiration(List.of(
                S3BucketLifecycleConfigurationRuleExpiration.builder().days(days).build())));
        new S3BucketLifecycleConfiguration(scope, ids.lifecycle(), S3BucketLifecycleConfigurationConfig.builder()
                .bucket(id)
                .rule(List.of(rule.build()))
                .build());
        props.accessLogs().ifPresent(logs -> {
            S3BucketLoggingAConfig.Builder logging = S3BucketLoggingAConfig.builder()
                    .bucket(id)
                    .targetBucket(logs.targetBucket())
                    .targetPrefix(logs.prefix());
            if (!logs.after().isEmpty()) {
                logging.dependsOn(logs.after());
            }
            new S3BucketLoggingA(scope, ids.logging(), logging.build());
        });
    }

    /**
     * The bucket-policy statement every bucket of this project carries: deny any request to the
     * bucket or its objects that does not use TLS (S3 user guide, "Security best practices for
     * Amazon S3", encryption of data in transit: a bucket policy that denies requests whose
     * {@code aws:SecureTransport} is false; no checkov check used here looks for it, so the
     * tests assert it).
     */
    public static DataAwsIamPolicyDocumentStatement denyInsecureTransport(String bucketArn) {
        return DataAwsIamPolicyDocumentStatement.builder()
                .sid("DenyInsecureTransport")
                .effect("Deny")
                .actions(List.of("s3:*"))
                .resources(List.of(bucketArn, bucketArn + "/*"))
                .principals(List.of(DataAwsIamPolicyDocumentStatementPrincipals.builder()
                        .type("*").identifiers(List.of("*")).build()))
                .condition(List.of(DataAwsIamPolicyDocumentStatementCondition.builder()
                        .test("Bool").variable("aws:SecureTransport").values(List.of("false")).build()))
                .build();
    }

    public S3Bucket bucket() {
        return bucket;
    }

    /** The bucket's id (its name), a token. */
    public String id() {
        return id;
    }

    public String arn() {
        return arn;
    }

    /** What the caller's bucket policy waits for. */
    public S3BucketPublicAccessBlock publicAccessBlock() {
        return publicAccessBlock;
    }
}
