package com.bridgeai.infra.modules.aws.kms;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link CustomerKey} on its own: one bare stack per case, one App for the class (jsii start-up once). */
class CustomerKeyTest {
    static final App APP = Testing.app();
    static final AwsAccount ACCOUNT = new AwsAccount("aws", "123456789012", "eu-west-2");
    private static int stacks;

    static String synth(List<CustomerKey.Service> services) {
        TerraformStack stack = new TerraformStack(APP, "kms_" + (++stacks));
        new CustomerKey(stack, "key", "mlops-test-logs", "test key", ACCOUNT, services);
        return Testing.synth(stack);
    }

    @Test
    void aRotatedKeyWithAnAliasAndAnExplicitPolicy() {
        String json = synth(List.of());
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_kms_key", Map.of(
                "enable_key_rotation", true, "deletion_window_in_days", 30, "description", "test key")), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_kms_alias", Map.of("name", "alias/mlops-test-logs")), json);
        // the account administers the key through IAM; no service is admitted unless asked for
        assertTrue(json.contains("arn:aws:iam::123456789012:root"), json);
        assertFalse(json.contains("logs.eu-west-2.amazonaws.com"), json);
        assertFalse(json.contains("logging.s3.amazonaws.com"), json);
    }

    @Test
    void servicesAreAdmittedForThisAccountOnly() {
        String json = synth(List.of(new CustomerKey.CloudWatchLogs("/aws/eks/x/"), new CustomerKey.S3AccessLogs()));
        assertTrue(json.contains("logs.eu-west-2.amazonaws.com"), json);
        assertTrue(json.contains("arn:aws:logs:eu-west-2:123456789012:log-group:/aws/eks/x/*"), json);
        assertTrue(json.contains("logging.s3.amazonaws.com"), json);
        assertTrue(json.contains("aws:SourceAccount"), json);
    }
}
