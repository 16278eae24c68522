package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.stacks.SynthStack.Element;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code <env>-vpc}: the seed's aws/vpc module (a VPC laid out for EKS). */
class VpcStackTest {
    static final SynthFixture F = SynthFixture.seed();
    static final String CLUSTER_TAG = "kubernetes.io/cluster/" + Seed.CLUSTER;

    @Test
    void vpcHasTheSeedCidrAndDns() {
        SynthStack s = F.stack("test-vpc");
        s.assertResource("aws_vpc", Map.of("cidr_block", Seed.CIDR, "enable_dns_support", true, "enable_dns_hostnames", true));
        assertEquals(1, s.resources("aws_vpc").size());
        s.assertResource("aws_internet_gateway", Map.of("vpc_id", s.only("aws_vpc").ref("id")));
    }

    @Test
    void onePublicAndOnePrivateSubnetPerSeedZoneCutWithCidrsubnet() {
        SynthStack s = F.stack("test-vpc");
        String vpc = s.only("aws_vpc").ref("id");
        assertEquals(2 * Seed.AZS.size(), s.resources("aws_subnet").size(), "subnets");
        for (int i = 0; i < Seed.AZS.size(); i++) {
            String az = Seed.AZS.get(i);
            // public subnets take the first indexes of the split, private ones the next
            s.assertResource("aws_subnet", Map.of(
                    "vpc_id", vpc, "availability_zone", az,
                    "cidr_block", cidrsubnet(Seed.CIDR, 2, i),
                    "map_public_ip_on_launch", false,
                    "tags", Map.of("kubernetes.io/role/elb", "1", CLUSTER_TAG, "shared")));
            s.assertResource("aws_subnet", Map.of(
                    "vpc_id", vpc, "availability_zone", az,
                    "cidr_block", cidrsubnet(Seed.CIDR, 2, Seed.AZS.size() + i),
                    "tags", Map.of("kubernetes.io/role/internal-elb", "1", CLUSTER_TAG, "shared")));
            // the load balancer controller picks subnets by these tags: never both on one subnet
            assertFalse(publicSubnet(s, az).get("/tags").has("kubernetes.io/role/internal-elb"), az);
            assertFalse(privateSubnet(s, az).get("/tags").has("kubernetes.io/role/elb"), az);
            assertEquals(cidrsubnet(Seed.CIDR, 2, i), publicSubnet(s, az).get("/cidr_block").asText(), az);
            assertEquals(cidrsubnet(Seed.CIDR, 2, Seed.AZS.size() + i), privateSubnet(s, az).get("/cidr_block").asText(), az);
        }
    }

    @Test
    void publicSubnetsRouteToTheInternetGateway() {
        SynthStack s = F.stack("test-vpc");
        Element igw = s.only("aws_internet_gateway");
        Element publicRt = s.resource("aws_route_table", "vpc/public_rt");
        s.assertResource("aws_route", Map.of(
                "route_table_id", publicRt.ref("id"), "destination_cidr_block", "0.0.0.0/0", "gateway_id", igw.ref("id")));
        for (String az : Seed.AZS) {
            s.assertResource("aws_route_table_association", Map.of(
                    "subnet_id", publicSubnet(s, az).ref("id"), "route_table_id", publicRt.ref("id")));
        }
    }

    @Test
    void oneNatGatewayPerZoneByDefaultEachPrivateSubnetEgressingThroughItsOwn() {
        assertNatLayout(F.stack("test-vpc"), Seed.AZS);
    }

    @Test
    void singleNatGatewayVariantSendsEveryZoneThroughOne() {
        assertNatLayout(SynthFixture.variant().stack("test-vpc"), Seed.AZS.subList(0, 1));
    }

    /** NAT gateways (with their EIPs, in the public subnet of their zone) for {@code natZones}. */
    private static void assertNatLayout(SynthStack s, List<String> natZones) {
        List<Element> nats = s.resources("aws_nat_gateway");
        assertEquals(natZones.size(), nats.size(), s + " NAT gateways");
        assertEquals(natZones.size(), s.resources("aws_eip").size(), s + " EIPs");
        Element igw = s.only("aws_internet_gateway");
        Map<String, Element> natByZone = new LinkedHashMap<>();
        for (String az : natZones) {
            Element nat = s.resource("aws_nat_gateway", "vpc/nat_" + az);
            Element eip = s.target(nat.get("/allocation_id").asText(), "id");
            assertEquals("aws_eip", eip.type());
            assertEquals("vpc", eip.get("/domain").asText());
            assertEquals(publicSubnet(s, az).ref("id"), nat.get("/subnet_id").asText(), az + ": NAT in the public subnet");
            assertEquals(List.of(igw.address()), EnvStackTest.textList(nat.get("/depends_on")));
            natByZone.put(az, nat);
        }
        for (int i = 0; i < Seed.AZS.size(); i++) {
            String az = Seed.AZS.get(i);
            Element rt = s.resource("aws_route_table", "vpc/private_rt_" + az);
            Element nat = natByZone.getOrDefault(az, natByZone.values().iterator().next());
            s.assertResource("aws_route", Map.of(
                    "route_table_id", rt.ref("id"), "destination_cidr_block", "0.0.0.0/0", "nat_gateway_id", nat.ref("id")));
            s.assertResource("aws_route_table_association", Map.of(
                    "subnet_id", privateSubnet(s, az).ref("id"), "route_table_id", rt.ref("id")));
        }
        // no private route goes to the internet gateway
        s.resources("aws_route").stream()
                .filter(r -> !r.get("/route_table_id").asText().equals(s.resource("aws_route_table", "vpc/public_rt").ref("id")))
                .forEach(r -> assertFalse(r.config().has("gateway_id"), r.address()));
    }

    @Test
    void outputsListTheSubnetsInZoneOrder() {
        SynthStack s = F.stack("test-vpc");
        assertEquals(s.only("aws_vpc").ref("id"), s.output("vpc_id").path("value").asText());
        assertEquals(s.only("aws_vpc").ref("cidr_block"), s.output("vpc_cidr_block").path("value").asText());
        assertEquals(Seed.AZS.stream().map(az -> publicSubnet(s, az).ref("id")).toList(),
                EnvStackTest.textList(s.output("public_subnet_ids").path("value")));
        assertEquals(Seed.AZS.stream().map(az -> privateSubnet(s, az).ref("id")).toList(),
                EnvStackTest.textList(s.output("private_subnet_ids").path("value")));
        assertEquals(Seed.AZS.stream().map(az -> publicSubnet(s, az).ref("cidr_block")).toList(),
                EnvStackTest.textList(s.output("public_subnet_cidrs").path("value")));
        assertEquals(Seed.AZS.stream().map(az -> privateSubnet(s, az).ref("cidr_block")).toList(),
                EnvStackTest.textList(s.output("private_subnet_cidrs").path("value")));
    }

    @Test
    void flowLogsByDefaultIntoAKmsEncryptedLogGroupAndOffWhenTurnedOff() {
        SynthFixture.variant().stack("test-vpc").assertNoResource("aws_flow_log"); // flow_logs: false
        SynthFixture.variant().stack("test-vpc").assertNoResource("aws_kms_key");

        SynthStack s = F.stack("test-vpc");
        Element group = s.only("aws_cloudwatch_log_group");
        Element role = s.only("aws_iam_role");
        s.assertResource("aws_flow_log", Map.of(
                "vpc_id", s.only("aws_vpc").ref("id"),
                "traffic_type", "ALL",
                "log_destination_type", "cloud-watch-logs",
                "log_destination", group.ref("arn"),
                "iam_role_arn", role.ref("arn")));
        assertEquals(365, group.get("/retention_in_days").asInt(), "log_retention_days by default");
        Element key = s.only("aws_kms_key");
        assertEquals(key.ref("arn"), group.get("/kms_key_id").asText());
        EksStackTest.assertKeyPolicy(key, List.of("AccountAdministersThroughIam", "CloudWatchLogsEncrypts"));
        assertTrue(key.get("/policy").asText().contains("logs.eu-west-2.amazonaws.com")
                && key.get("/policy").asText().contains(":log-group:/aws/vpc/mlops-test/flow-logs*"), key.get("/policy").asText());
        s.assertResource("aws_kms_alias", Map.of("name", "alias/mlops-test-vpc-flow-logs", "target_key_id", key.ref("key_id")));
        // VPC user guide, "IAM role for publishing flow logs to CloudWatch Logs": the trust policy
        // example's confused-deputy conditions, and the five actions it lists as the minimum
        Element trust = s.target(role.get("/assume_role_policy").asText(), "json");
        s.assertDataSource("aws_iam_policy_document", Map.of("statement", List.of(Map.of(
                "effect", "Allow",
                "actions", List.of("sts:AssumeRole"),
                "principals", List.of(Map.of("type", "Service", "identifiers", List.of("vpc-flow-logs.amazonaws.com"))),
                "condition", List.of(
                        Map.of("test", "StringEquals", "variable", "aws:SourceAccount",
                                "values", List.of("${data.aws_caller_identity.caller.account_id}")),
                        Map.of("test", "ArnLike", "variable", "aws:SourceArn",
                                "values", List.of("arn:${data.aws_partition.partition.partition}:ec2:eu-west-2:"
                                        + "${data.aws_caller_identity.caller.account_id}:vpc-flow-log/*")))))));
        assertEquals(1, trust.get("/statement").size(), trust.config()::toString);
        assertEquals(2, trust.get("/statement/0/condition").size(), trust.config()::toString);
        Element policy = s.only("aws_iam_role_policy");
        assertEquals(role.ref("id"), policy.get("/role").asText());
        Element permissions = s.target(policy.get("/policy").asText(), "json");
        assertEquals(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
                EnvStackTest.textList(permissions.get("/statement/0/actions")));
        assertEquals(List.of(group.ref("arn"), group.ref("arn") + ":*"), EnvStackTest.textList(permissions.get("/statement/0/resources")));
        assertEquals(List.of("logs:DescribeLogGroups"), EnvStackTest.textList(permissions.get("/statement/1/actions")));
        assertEquals(List.of("arn:${data.aws_partition.partition.partition}:logs:eu-west-2:${data.aws_caller_identity.caller.account_id}:log-group:*"),
                EnvStackTest.textList(permissions.get("/statement/1/resources")));
        assertEquals(2, permissions.get("/statement").size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test-vpc", "local-vpc"})
    void theDefaultSecurityGroupIsAdoptedAndEmptied(String stack) {
        SynthStack s = F.stack(stack);
        Element sg = s.only("aws_default_security_group");
        assertEquals(s.only("aws_vpc").ref("id"), sg.get("/vpc_id").asText());
        // no ingress and no egress block: Terraform removes every rule AWS put in it
        assertTrue(sg.get("/ingress").isMissingNode() && sg.get("/egress").isMissingNode(), sg.config()::toString);
    }

    /**
     * The subnet CIDRs as Terraform computes them: the synthesized cidrsubnet expressions of
     * the stack, evaluated by terraform console, must be the four /22 quarters of the VPC, none
     * overlapping and all inside it.
     */
    @Test
    void terraformEvaluatesTheSubnetCidrsToFourDisjointQuartersOfTheVpc() {
        SynthStack s = F.stack("test-vpc");
        Map<String, String> expressions = new LinkedHashMap<>();
        for (String az : Seed.AZS) {
            expressions.put("public_" + az, unwrap(publicSubnet(s, az).get("/cidr_block").asText()));
            expressions.put("private_" + az, unwrap(privateSubnet(s, az).get("/cidr_block").asText()));
        }
        String hcl = "jsonencode({" + expressions.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\" = " + e.getValue()).collect(Collectors.joining(", ")) + "})\n";
        Path dir = SynthFixture.tempDir("bridgeai-console-");
        Terraform.Result r = Terraform.run(dir, hcl, Duration.ofSeconds(60), "console");
        assertEquals(0, r.exitCode(), r::toString);
        // console prints the string result as a quoted literal: decode it, then the JSON inside
        JsonNode cidrs = CanonicalJson.parse(CanonicalJson.parse(r.stdout().strip()).asText());

        assertEquals("10.155.48.0/22", cidrs.path("public_eu-west-2a").asText(), r::toString);
        assertEquals("10.155.52.0/22", cidrs.path("public_eu-west-2b").asText(), r::toString);
        assertEquals("10.155.56.0/22", cidrs.path("private_eu-west-2a").asText(), r::toString);
        assertEquals("10.155.60.0/22", cidrs.path("private_eu-west-2b").asText(), r::toString);

        long[] vpc = range(Seed.CIDR);
        List<String> all = new ArrayList<>();
        cidrs.forEach(c -> all.add(c.asText()));
        assertEquals(4, all.size());
        for (int i = 0; i < all.size(); i++) {
            long[] a = range(all.get(i));
            assertTrue(a[0] >= vpc[0] && a[1] <= vpc[1], all.get(i) + " lies outside " + Seed.CIDR);
            for (int j = i + 1; j < all.size(); j++) {
                long[] b = range(all.get(j));
                assertTrue(a[1] <= b[0] || b[1] <= a[0], all.get(i) + " overlaps " + all.get(j));
            }
        }
    }

    // ------------------------------------------------------------ helpers

    static Element publicSubnet(SynthStack s, String az) {
        return s.resource("aws_subnet", "vpc/public_" + az);
    }

    static Element privateSubnet(SynthStack s, String az) {
        return s.resource("aws_subnet", "vpc/private_" + az);
    }

    /** How cdktf renders Fn.cidrsubnet of a literal block. */
    static String cidrsubnet(String block, int newBits, int index) {
        return "${cidrsubnet(\"" + block + "\", " + newBits + ", " + index + ")}";
    }

    private static String unwrap(String interpolation) {
        assertTrue(interpolation.startsWith("${") && interpolation.endsWith("}"), interpolation);
        return interpolation.substring(2, interpolation.length() - 1);
    }

    /** [first address, first address after the block) of an IPv4 CIDR. */
    private static long[] range(String cidr) {
        String[] parts = cidr.split("/");
        long address = 0;
        for (String octet : parts[0].split("\\.")) {
            address = address * 256 + Integer.parseInt(octet);
        }
        long size = 1L << (32 - Integer.parseInt(parts[1]));
        assertEquals(0, address % size, cidr + " is not a network address");
        return new long[] {address, address + size};
    }
}
