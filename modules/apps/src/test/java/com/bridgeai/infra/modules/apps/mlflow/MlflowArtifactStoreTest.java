package com.bridgeai.infra.modules.apps.mlflow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.aws.eks.EksModule;
import com.bridgeai.infra.modules.aws.eks.EksProps;
import com.bridgeai.infra.modules.aws.kms.AwsAccount;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MLflow's AWS part on its own: built next to a cluster in a bare stack (one App for the class). */
class MlflowArtifactStoreTest {
    static final App APP = Testing.app();

    @Test
    void aHardenedBucketAndARoleOnlyMlflowsServiceAccountCanAssume() {
        String json = synth("mlflow", true);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_s3_bucket", Map.of("bucket_prefix", "mlops-test-mlflow-")), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_s3_bucket_public_access_block", Map.of(
                "block_public_acls", true, "restrict_public_buckets", true)), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_s3_bucket_logging", Map.of(
                "target_bucket", "mlops-test-state-logs", "target_prefix", MlflowArtifactStore.ACCESS_LOG_PREFIX)), json);
        assertTrue(json.contains("\"noncurrent_days\": " + MlflowArtifactStore.NONCURRENT_VERSION_DAYS), json);
        // the trust: exactly the namespace and service account the Mlflow unit's values create
        assertTrue(json.contains("system:serviceaccount:" + Mlflow.NAMESPACE + ":" + Mlflow.SERVICE_ACCOUNT), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_iam_role", Map.of("name", "mlops-test-mlflow")), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_iam_role_policy", Map.of("name", "mlflow-artifacts")), json);
        // the bucket's resources keep the ids they had in the eks module (their Terraform addresses)
        for (String id : List.of("bucket", "versioning", "encryption", "public_access", "lifecycle", "access_logs")) {
            assertTrue(json.matches("(?s).*\"mlflow_" + id + "_[0-9A-F]{8}\": \\{.*"), id + " in " + json);
        }
    }

    @Test
    void theBucketDeniesEveryRequestWithoutTlsLikeTheEnvsOtherBuckets() {
        String json = synth("mlflow_tls", true);
        assertTrue(Testing.toHaveDataSourceWithProperties(json, "aws_iam_policy_document", Map.of("statement", List.of(Map.of(
                "effect", "Deny",
                "actions", List.of("s3:*"),
                "principals", List.of(Map.of("type", "*", "identifiers", List.of("*"))),
                "condition", List.of(Map.of("test", "Bool", "variable", "aws:SecureTransport", "values", List.of("false"))))))),
                json);
        // on the artifact bucket and its objects, put after the public access block
        java.util.regex.Matcher bucket = java.util.regex.Pattern.compile("\"(mlflow_bucket_[0-9A-F]{8})\": \\{").matcher(json);
        assertTrue(bucket.find(), json);
        String arn = "${aws_s3_bucket." + bucket.group(1) + ".arn}";
        assertTrue(Testing.toHaveDataSourceWithProperties(json, "aws_iam_policy_document", Map.of("statement", List.of(Map.of(
                "resources", List.of(arn, arn + "/*"))))), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_s3_bucket_policy", Map.of(
                "bucket", "${aws_s3_bucket." + bucket.group(1) + ".id}")), json);
        assertTrue(json.matches("(?s).*\"depends_on\": \\[\\s*\"aws_s3_bucket_public_access_block\\.mlflow_public_access_[0-9A-F]{8}\".*"),
                json);
    }

    @Test
    void againstAnEmulatorOverPlainHttpThereIsNoTlsPolicy() {
        String json = synth("mlflow_plain", false);
        assertFalse(Testing.toHaveResource(json, "aws_s3_bucket_policy"), json);
    }

    private static String synth(String id, boolean tlsOnly) {
        TerraformStack stack = new TerraformStack(APP, id);
        EksModule cluster = new EksModule(stack, "eks", new EksProps("mlops-test-cluster", "1.33", List.of("subnet-a", "subnet-b"),
                true, true, List.of("203.0.113.0/24"), List.of("api"), 30,
                new EksProps.NodeGroup("AL2023_x86_64_STANDARD", "ON_DEMAND", List.of("m6i.large"), 1, 1, 1, 50, false),
                List.of(), true, new AwsAccount("aws", "123456789012", "eu-west-2"), "advice"));
        new MlflowArtifactStore(stack, "mlflow", cluster, "mlops-test", "mlops-test-state-logs", tlsOnly);
        return Testing.synth(stack);
    }
}
