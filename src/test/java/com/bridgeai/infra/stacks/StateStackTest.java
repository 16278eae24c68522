package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.stacks.SynthStack.Element;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code <env>-state}: the hardened state bucket and lock table Terragrunt used to create. */
class StateStackTest {
    static final SynthFixture F = SynthFixture.seed();

    @ParameterizedTest(name = "{0}")
    @CsvSource({"test-state, tfstate-mlops-test", "local-state, tfstate-mlops-local"})
    void stateBucketIsVersionedEncryptedPrivateAndExpiresOldVersions(String stack, String bucketName) {
        SynthStack s = F.stack(stack);
        s.assertResource("aws_s3_bucket", Map.of("bucket", bucketName));
        String bucket = s.resource("aws_s3_bucket", "state_bucket").ref("id");

        s.assertResource("aws_s3_bucket_versioning", Map.of(
                "bucket", bucket, "versioning_configuration", Map.of("status", "Enabled")));
        // the state key (the same one every backend names, EnvStack) is the bucket's default too
        Element stateKey = s.resource("aws_kms_key", "state_key/key");
        s.assertResource("aws_s3_bucket_server_side_encryption_configuration", Map.of(
                "bucket", bucket,
                "rule", List.of(Map.of(
                        "apply_server_side_encryption_by_default",
                        Map.of("sse_algorithm", "aws:kms", "kms_master_key_id", stateKey.ref("arn")),
                        "bucket_key_enabled", true))));
        assertEquals(true, stateKey.get("/enable_key_rotation").asBoolean());
        String env = stack.replace("-state", "");
        s.assertResource("aws_kms_alias", Map.of("name", "alias/mlops-" + env + "-tfstate",
                "target_key_id", stateKey.ref("key_id")));
        assertEquals(stateKey.ref("arn"), s.output("state_key_arn").path("value").asText());
        s.assertResource("aws_s3_bucket_public_access_block", Map.of(
                "bucket", bucket,
                "block_public_acls", true, "block_public_policy", true,
                "ignore_public_acls", true, "restrict_public_buckets", true));

        Element lifecycle = s.resource("aws_s3_bucket_lifecycle_configuration", "state_bucket_lifecycle");
        assertEquals(bucket, lifecycle.get("/bucket").asText());
        assertEquals(1, lifecycle.get("/rule").size(), "one lifecycle rule");
        s.assertResource("aws_s3_bucket_lifecycle_configuration", Map.of("rule", List.of(Map.of(
                "status", "Enabled",
                "noncurrent_version_expiration", List.of(Map.of("noncurrent_days", StateStack.NONCURRENT_VERSION_DAYS)),
                "abort_incomplete_multipart_upload", List.of(Map.of("days_after_initiation", 7))))));
        // an empty filter is "every object"; a missing one makes the provider warn and pick for us.
        // (provider-aws 20.x writes these blocks as one-element lists, like the provider's schema)
        JsonNode filter = lifecycle.get("/rule/0/filter");
        assertTrue(filter.isArray() && filter.size() == 1 && filter.get(0).isObject() && filter.get(0).isEmpty(),
                () -> "filter: " + filter);
        assertTrue(lifecycle.get("/rule/0/noncurrent_version_expiration/0/noncurrent_days").asInt() > 0);

        assertEquals(s.resource("aws_s3_bucket", "state_bucket").ref("bucket"), s.output("state_bucket_name").path("value").asText());
        // every request to the bucket that holds the GitOps private keys is logged
        s.assertResource("aws_s3_bucket_logging", Map.of("bucket", bucket, "target_bucket", bucketName + "-logs",
                "target_prefix", StateStack.STATE_ACCESS_LOG_PREFIX));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"test-state, tfstate-mlops-test-logs", "local-state, tfstate-mlops-local-logs"})
    void accessLogBucketIsPrivateSseS3VersionedExpiringAndNotItselfLogged(String stack, String logBucketName) {
        SynthStack s = F.stack(stack);
        Element logBucket = s.resource("aws_s3_bucket", "access_log_bucket");
        assertEquals(logBucketName, logBucket.get("/bucket").asText());
        String bucket = logBucket.ref("id");
        // S3 user guide, "Enabling Amazon S3 server access logging": "Default server-side encryption
        // with AWS KMS keys (SSE-KMS) is not supported" on the target bucket: SSE-S3, no key
        Element encryption = s.resources("aws_s3_bucket_server_side_encryption_configuration").stream()
                .filter(e -> e.get("/bucket").asText().equals(bucket)).findFirst().orElseThrow();
        assertEquals("AES256", encryption.get("/rule/0/apply_server_side_encryption_by_default/sse_algorithm").asText(),
                encryption.config()::toString);
        assertTrue(encryption.get("/rule/0/apply_server_side_encryption_by_default/kms_master_key_id").isMissingNode());
        assertTrue(encryption.get("/rule/0/bucket_key_enabled").isMissingNode());
        assertEquals(1, s.resources("aws_kms_key").size(), "the state key only: the log bucket has none");
        // checkov's KMS check is waived for this bucket alone, with the S3 user guide's sentence
        JsonNode skip = s.tree().path("resource").path("aws_s3_bucket").path(logBucket.id()).path("//").path("checkov").path("skip");
        assertEquals(1, skip.size(), skip::toString);
        assertEquals("CKV_AWS_145", skip.get(0).path("id").asText());
        assertTrue(skip.get(0).path("comment").asText().contains(
                "Default server-side encryption with AWS KMS keys (SSE-KMS) is not supported"), skip::toString);
        JsonNode stateSkip = s.tree().path("resource").path("aws_s3_bucket").path(s.resource("aws_s3_bucket", "state_bucket").id())
                .path("//").path("checkov");
        assertTrue(stateSkip.isMissingNode(), "the state bucket waives nothing: " + stateSkip);
        s.assertResource("aws_s3_bucket_versioning", Map.of("bucket", bucket, "versioning_configuration", Map.of("status", "Enabled")));
        s.assertResource("aws_s3_bucket_public_access_block", Map.of("bucket", bucket,
                "block_public_acls", true, "block_public_policy", true, "ignore_public_acls", true, "restrict_public_buckets", true));
        s.assertResource("aws_s3_bucket_lifecycle_configuration", Map.of("bucket", bucket, "rule", List.of(Map.of(
                "status", "Enabled",
                "expiration", List.of(Map.of("days", 365)),
                "noncurrent_version_expiration", List.of(Map.of("noncurrent_days", StateStack.LOG_NONCURRENT_VERSION_DAYS)),
                "abort_incomplete_multipart_upload", List.of(Map.of("days_after_initiation", 7))))));
        // the log bucket does not log (a loop); the state bucket is the only one this stack logs
        assertEquals(1, s.resources("aws_s3_bucket_logging").size());
        assertTrue(s.resources("aws_s3_bucket_logging").stream().noneMatch(l -> l.get("/bucket").asText().equals(bucket)));

        // only S3 log delivery of this account writes, for the state bucket and the env's MLflow buckets
        Element policy = s.resource("aws_s3_bucket_policy", "access_log_bucket_policy");
        assertEquals(bucket, policy.get("/bucket").asText());
        Element document = s.target(policy.get("/policy").asText(), "json");
        JsonNode delivery = document.get("/statement/0");
        assertEquals("S3AccessLogDelivery", delivery.path("sid").asText());
        assertEquals("logging.s3.amazonaws.com", delivery.path("principals").get(0).path("identifiers").get(0).asText());
        assertEquals(List.of(logBucket.ref("arn") + "/*"), EnvStackTest.textList(delivery.path("resources")));
        assertEquals("aws:SourceAccount", delivery.path("condition").get(0).path("variable").asText());
        assertEquals(List.of("arn:${data.aws_partition.partition.partition}:s3:::" + logBucketName.replace("-logs", ""),
                        "arn:${data.aws_partition.partition.partition}:s3:::mlops-" + stack.replace("-state", "") + "-mlflow-*"),
                EnvStackTest.textList(delivery.path("condition").get(1).path("values")));
        // TLS-only on real S3; the emulator is plain http
        assertEquals(stack.startsWith("local") ? 1 : 2, document.get("/statement").size());
        // S3 checks the log bucket's policy when logging is turned on
        assertEquals(List.of(policy.address()), EnvStackTest.textList(s.only("aws_s3_bucket_logging").get("/depends_on")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test-state", "local-state"})
    void lockTableHasTheLockIdKeyOnDemandBillingPitrAndEncryption(String stack) {
        SynthStack s = F.stack(stack);
        s.assertResource("aws_dynamodb_table", Map.of(
                "name", Seed.LOCK_TABLE,
                "hash_key", "LockID",
                "attribute", List.of(Map.of("name", "LockID", "type", "S")),
                "billing_mode", "PAY_PER_REQUEST",
                "point_in_time_recovery", Map.of("enabled", true),
                "server_side_encryption", Map.of("enabled", true),
                "deletion_protection_enabled", true));
        assertEquals(s.only("aws_dynamodb_table").ref("name"), s.output("lock_table_name").path("value").asText());
        assertEquals(List.of(), s.dataSources("aws_dynamodb_table"));
    }

    @Test
    void aSharedLockTableIsOnlyReadNotCreated() {
        // the variant sets create_lock_table: false (another env's state stack owns the table)
        SynthStack s = SynthFixture.variant().stack("test-state");
        s.assertNoResource("aws_dynamodb_table");
        s.assertDataSource("aws_dynamodb_table", Map.of("name", Seed.LOCK_TABLE));
        List<Element> table = s.dataSources("aws_dynamodb_table");
        assertEquals(1, table.size());
        assertEquals(table.get(0).ref("name"), s.output("lock_table_name").path("value").asText());
        s.assertResource("aws_s3_bucket", Map.of("bucket", Seed.BUCKET));
    }

    @Test
    void testStateBucketDeniesEveryRequestWithoutTls() {
        SynthStack s = F.stack("test-state");
        Element bucket = s.resource("aws_s3_bucket", "state_bucket");
        Element policy = s.resource("aws_s3_bucket_policy", "state_bucket_policy");
        assertEquals(bucket.ref("id"), policy.get("/bucket").asText());
        Element document = s.target(policy.get("/policy").asText(), "json");
        assertEquals("aws_iam_policy_document", document.type());
        s.assertDataSource("aws_iam_policy_document", Map.of("statement", List.of(Map.of(
                "effect", "Deny",
                "actions", List.of("s3:*"),
                "resources", List.of(bucket.ref("arn"), bucket.ref("arn") + "/*"),
                "principals", List.of(Map.of("type", "*", "identifiers", List.of("*"))),
                "condition", List.of(Map.of("test", "Bool", "variable", "aws:SecureTransport", "values", List.of("false")))))));
        assertEquals(1, document.get("/statement").size(), "the TLS statement only");
        // S3 can refuse the policy as "public" if it lands before the public access block
        assertEquals(List.of(s.resource("aws_s3_bucket_public_access_block", "state_bucket_public_access").address()),
                EnvStackTest.textList(policy.get("/depends_on")));
    }

    @Test
    void emulatedStateBucketHasNoTlsPolicy() {
        // the emulator is reached over plain http: a TLS-only policy would deny every request
        SynthStack s = F.stack("local-state");
        Element state = s.resource("aws_s3_bucket", "state_bucket");
        assertTrue(s.resources("aws_s3_bucket_policy").stream().noneMatch(p -> p.get("/bucket").asText().equals(state.ref("id"))));
        assertTrue(s.dataSources("aws_iam_policy_document").stream().noneMatch(d -> d.config().toString().contains("SecureTransport")));
    }
}
