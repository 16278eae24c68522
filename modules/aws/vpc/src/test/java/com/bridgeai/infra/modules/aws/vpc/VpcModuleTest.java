package com.bridgeai.infra.modules.aws.vpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.aws.kms.AwsAccount;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link VpcModule} on its own: props records built into a bare stack (one App for the class). */
class VpcModuleTest {
    static final App APP = Testing.app();
    static final AwsAccount ACCOUNT = new AwsAccount("aws", "123456789012", "eu-west-2");
    static final List<String> AZS = List.of("eu-west-2a", "eu-west-2b", "eu-west-2c");
    private static int stacks;

    static String synth(VpcProps props) {
        TerraformStack stack = new TerraformStack(APP, "vpc_" + (++stacks));
        new VpcModule(stack, "vpc", props);
        return Testing.synth(stack);
    }

    static int count(String json, String type) {
        // resources of a type are one object under "resource": { "<type>": { id: {...}, ... } }
        int at = json.indexOf("\"" + type + "\": {");
        if (at < 0) {
            return 0;
        }
        int depth = 0;
        int count = 0;
        for (int i = json.indexOf('{', at); i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '{') {
                depth++;
                if (depth == 2) {
                    count++;
                }
            } else if (c == '}' && --depth == 0) {
                break;
            }
        }
        return count;
    }

    @Test
    void onePublicAndOnePrivateSubnetPerAzAndANatGatewayEach() {
        String json = synth(new VpcProps("mlops-test", "10.0.0.0/16", AZS, true, true, 30, "mlops-test-cluster", ACCOUNT));
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_vpc", Map.of(
                "cidr_block", "10.0.0.0/16", "enable_dns_hostnames", true, "enable_dns_support", true)), json);
        assertEquals(6, count(json, "aws_subnet"), json);
        assertEquals(3, count(json, "aws_nat_gateway"), json);
        assertEquals(3, count(json, "aws_eip"), json);
        // the load balancer tags EKS reads, and no public IPs on private subnets
        assertTrue(json.contains("\"kubernetes.io/role/internal-elb\": \"1\""), json);
        assertTrue(json.contains("\"kubernetes.io/role/elb\": \"1\""), json);
        assertTrue(json.contains("\"kubernetes.io/cluster/mlops-test-cluster\": \"shared\""), json);
        // the default security group is emptied (no rule at all)
        assertTrue(Testing.toHaveResource(json, "aws_default_security_group"), json);
    }

    @Test
    void aSingleNatGatewayWhenAsked() {
        String json = synth(new VpcProps("mlops-test", "10.0.0.0/16", AZS, false, true, 30, "mlops-test-cluster", ACCOUNT));
        assertEquals(1, count(json, "aws_nat_gateway"), json);
        assertEquals(6, count(json, "aws_route_table_association"), json); // every subnet has its route table
    }

    @Test
    void flowLogsGoToAnEncryptedLogGroupOnlyWhenEnabled() {
        String on = synth(new VpcProps("mlops-test", "10.0.0.0/16", AZS, false, true, 14, "mlops-test-cluster", ACCOUNT));
        assertTrue(Testing.toHaveResourceWithProperties(on, "aws_flow_log", Map.of("traffic_type", "ALL")), on);
        assertTrue(Testing.toHaveResourceWithProperties(on, "aws_cloudwatch_log_group", Map.of("retention_in_days", 14)), on);
        assertTrue(Testing.toHaveResource(on, "aws_kms_key"), on);
        String off = synth(new VpcProps("mlops-test", "10.0.0.0/16", AZS, false, false, 14, "mlops-test-cluster", ACCOUNT));
        assertFalse(Testing.toHaveResource(off, "aws_flow_log"), off);
        assertFalse(Testing.toHaveResource(off, "aws_kms_key"), off);
    }

    @Test
    void aVpcForEksNeedsTwoZonesAndSplitsTheBlockForEverySubnet() {
        assertThrows(IllegalArgumentException.class,
                () -> new VpcProps("x", "10.0.0.0/16", List.of("eu-west-2a"), false, false, 1, "c", ACCOUNT));
        assertEquals(2, new VpcProps("x", "10.0.0.0/16", List.of("a", "b"), false, false, 1, "c", ACCOUNT).subnetNewBits());
        assertEquals(3, new VpcProps("x", "10.0.0.0/16", AZS, false, false, 1, "c", ACCOUNT).subnetNewBits());
    }
}
