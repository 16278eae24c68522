package com.bridgeai.infra.modules.apps.mlflow;

import com.bridgeai.infra.modules.aws.eks.EksModule;
import com.bridgeai.infra.modules.aws.eks.IrsaRole;
import com.bridgeai.infra.modules.aws.s3.HardenedBucket;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocument;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicy;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicyConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_policy.S3BucketPolicy;
import com.hashicorp.cdktf.providers.aws.s3_bucket_policy.S3BucketPolicyConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * The S3 bucket MLflow keeps its artifacts in — private, SSE-KMS (the account's aws/s3 key, so
 * the IRSA role needs no KMS permission of its own), versioned (an overwritten or deleted model
 * can be restored for {@value #NONCURRENT_VERSION_DAYS} days), access logs into the env's log
 * bucket, a bucket policy that denies every request without TLS (as the env's other buckets) —
 * and the IRSA role of MLflow's service account that may read and write it, nothing
 * else. The GitOps tree annotates the service account with the role ARN.
 */
public final class MlflowArtifactStore extends Construct {
    /** The ids the bucket's resources had before HardenedBucket existed (their Terraform addresses). */
    static final HardenedBucket.Ids IDS = new HardenedBucket.Ids(
            "bucket", "versioning", "encryption", "public_access", "lifecycle", "access_logs");
    /** How long a replaced or deleted artifact version stays restorable. */
    static final int NONCURRENT_VERSION_DAYS = 90;
    /** Key prefix of this bucket's server access logs in the log bucket. */
    public static final String ACCESS_LOG_PREFIX = "mlflow/";
    /** The AWS provider's limit on {@code bucket_prefix}: 37 characters + its 26-character unique suffix = 63. */
    public static final int MAX_BUCKET_PREFIX = 37;

    private final String bucketName;
    private final String roleArn;

    /**
     * @param accessLogBucket the env's access-log bucket (created by the state stack, deployed first)
     * @param tlsOnly         the bucket policy denying requests without TLS; false only against an
     *                        emulator reached over plain http (it would deny every request there)
     */
    public MlflowArtifactStore(Construct scope, String id, EksModule cluster, String namePrefix, String accessLogBucket,
                               boolean tlsOnly) {
        super(scope, id);
        // a prefix, not a fixed name: bucket names are global across all AWS accounts
        HardenedBucket bucket = new HardenedBucket(this, IDS, new HardenedBucket.Props(
                new HardenedBucket.Prefix(bucketPrefix(namePrefix)), new HardenedBucket.SseKms(Optional.empty()),
                "expire-old-artifact-versions",
                NONCURRENT_VERSION_DAYS, Optional.empty(),
                Optional.of(new HardenedBucket.AccessLogs(accessLogBucket, ACCESS_LOG_PREFIX, List.of()))));
        String bucketArn = bucket.arn();
        bucketName = bucket.bucket().getBucket();
        if (tlsOnly) {
            // the artifacts (models, datasets) are read and written only over TLS, like the state
            // and access-log buckets: a request with aws:SecureTransport false is denied for everyone
            DataAwsIamPolicyDocument policy = new DataAwsIamPolicyDocument(this, "tls_only", DataAwsIamPolicyDocumentConfig.builder()
                    .statement(List.of(HardenedBucket.denyInsecureTransport(bucketArn)))
                    .build());
            new S3BucketPolicy(this, "bucket_policy", S3BucketPolicyConfig.builder()
                    .bucket(bucket.id())
                    .policy(policy.getJson())
                    // a policy put before the public access block can be refused as "public"
                    .dependsOn(List.of(bucket.publicAccessBlock()))
                    .build());
        }
        IrsaRole role = new IrsaRole(this, "role", namePrefix + "-mlflow", cluster.oidcProviderArn(), cluster.oidcIssuer(),
                Mlflow.NAMESPACE, Mlflow.SERVICE_ACCOUNT);
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

    /**
     * The bucket's name prefix: Terraform appends a unique suffix (bucket names are global), and
     * accepts at most {@value #MAX_BUCKET_PREFIX} characters ({@code bin/preflight} checks it).
     */
    public static String bucketPrefix(String namePrefix) {
        return namePrefix + "-mlflow-";
    }

    public String bucketName() {
        return bucketName;
    }

    public String roleArn() {
        return roleArn;
    }
}
