package com.bridgeai.infra.modules.aws.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link HardenedBucket} on its own: props records built into a bare stack (one App for the class). */
class HardenedBucketTest {
    static final App APP = Testing.app();
    private static int stacks;

    static String synth(HardenedBucket.Ids ids, HardenedBucket.Props props) {
        TerraformStack stack = new TerraformStack(APP, "s3_" + (++stacks));
        new HardenedBucket(stack, ids, props);
        return Testing.synth(stack);
    }

    @Test
    void privateEncryptedVersionedWithExpiringOldVersionsAndAccessLogs() {
        String json = synth(HardenedBucket.Ids.prefixed("state_bucket"), new HardenedBucket.Props(
                new HardenedBucket.Exactly("mlops-test-state"), new HardenedBucket.SseKms(Optional.empty()), "expire-old-state-versions", 90,
                Optional.empty(), Optional.of(new HardenedBucket.AccessLogs("mlops-test-state-logs", "state/", List.of()))));
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_s3_bucket", Map.of("bucket", "mlops-test-state")), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_s3_bucket_public_access_block", Map.of(
                "block_public_acls", true, "block_public_policy", true, "ignore_public_acls", true,
                "restrict_public_buckets", true)), json);
        assertTrue(json.contains("\"sse_algorithm\": \"aws:kms\""), json);
        assertTrue(json.contains("\"bucket_key_enabled\": true"), json);
        assertFalse(json.contains("kms_master_key_id"), json); // the account's aws/s3 key
        assertTrue(json.contains("\"status\": \"Enabled\""), json);
        assertTrue(json.contains("\"noncurrent_days\": 90"), json);
        assertTrue(json.contains("\"days_after_initiation\": " + HardenedBucket.ABORT_INCOMPLETE_UPLOAD_DAYS), json);
        assertFalse(json.contains("\"expiration\""), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_s3_bucket_logging", Map.of(
                "target_bucket", "mlops-test-state-logs", "target_prefix", "state/")), json);
        // the ids the caller names are the resources' addresses (no scope of its own)
        for (String id : List.of("state_bucket", "state_bucket_versioning", "state_bucket_encryption",
                "state_bucket_public_access", "state_bucket_lifecycle", "state_bucket_logging")) {
            assertTrue(json.contains("\"" + id + "\": {"), id + " in " + json);
        }
    }

    @Test
    void aLogBucketIsSseS3ExpiresItsObjectsAndIsNotLoggedItself() {
        String json = synth(HardenedBucket.Ids.prefixed("logs"), new HardenedBucket.Props(
                new HardenedBucket.Prefix("mlops-test-logs-"), new HardenedBucket.SseS3(), "expire-access-logs",
                30, Optional.of(365), Optional.empty()));
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_s3_bucket", Map.of("bucket_prefix", "mlops-test-logs-")), json);
        // S3 server access logging delivers into SSE-S3 targets only (S3 user guide, "Enabling Amazon
        // S3 server access logging": SSE-KMS default encryption is not supported)
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_s3_bucket_server_side_encryption_configuration", Map.of(
                "rule", List.of(Map.of("apply_server_side_encryption_by_default", Map.of("sse_algorithm", "AES256"))))), json);
        assertFalse(json.contains("aws:kms"), json);
        assertFalse(json.contains("kms_master_key_id"), json);
        assertFalse(json.contains("bucket_key_enabled"), json);
        assertTrue(json.contains("\"days\": 365"), json);
        assertFalse(Testing.toHaveResource(json, "aws_s3_bucket_logging"), json);
        assertThrows(IllegalArgumentException.class, () -> new HardenedBucket.Props(new HardenedBucket.Exactly("x"),
                new HardenedBucket.SseS3(), "r", 0, Optional.empty(), Optional.empty()));
    }

    @Test
    void aCustomerKeyIsTheBucketsDefault() {
        String json = synth(HardenedBucket.Ids.prefixed("b"), new HardenedBucket.Props(
                new HardenedBucket.Exactly("b"), new HardenedBucket.SseKms(Optional.of("arn:aws:kms:eu-west-2:1:key/k")),
                "r", 30, Optional.empty(), Optional.empty()));
        assertTrue(json.contains("\"kms_master_key_id\": \"arn:aws:kms:eu-west-2:1:key/k\""), json);
        assertTrue(json.contains("\"sse_algorithm\": \"aws:kms\""), json);
    }

    @Test
    void theTlsOnlyStatementDeniesEveryNonTlsRequestToTheBucketAndItsObjects() {
        var statement = HardenedBucket.denyInsecureTransport("arn:aws:s3:::b");
        assertEquals("Deny", statement.getEffect());
        assertEquals(List.of("s3:*"), statement.getActions());
        assertEquals(List.of("arn:aws:s3:::b", "arn:aws:s3:::b/*"), statement.getResources());
        assertEquals("aws:SecureTransport", statement.getCondition() instanceof List<?> l
                ? ((com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementCondition) l.get(0)).getVariable()
                : null);
    }
}
