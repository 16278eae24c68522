package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.bridgeai.infra.modules.aws.eks.KarpenterAws;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.stacks.SynthStack.Element;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The eks and vpc stacks of a {@code gpu_capacity: karpenter} env: {@code env/test} (with CI, so its
 * roles carry the permissions boundary) and {@code env/local} (emulated) switched to Karpenter in
 * temporary env files (env/prod moves after the merge; the committed files stay as they are).
 * Karpenter's IAM policies are checked statement by statement against its CloudFormation reference
 * of v1.14.1 (website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml).
 */
class KarpenterStackTest {
    static final String CLUSTER = Seed.CLUSTER;
    static final String REGION = Seed.REGION;
    static final SynthFixture K = new SynthFixture("karpenter", List.of(
            karpenterEnv(SynthFixture.TEST_ENV, true), karpenterEnv(SynthFixture.LOCAL_ENV, false)));

    /** The committed env file with the Karpenter GPU pool instead of the seed's GPU group, and GPU metrics. */
    @SuppressWarnings("unchecked")
    static EnvConfig karpenterEnv(Path committed, boolean ci) {
        try {
            Map<String, Object> yaml = new Yaml().load(Files.readString(committed));
            yaml.put("gpu_capacity", "karpenter");
            yaml.put("ami_type", "AL2023_x86_64_NVIDIA");
            // a version with a Flux that has OCIRepository v1 (Karpenter's chart source) and AL2023 images
            yaml.put("kubernetes_version", "1.35");
            yaml.put("min_size", 0);
            yaml.put("max_size", 2);
            yaml.remove("desired_size");
            List<Object> addons = new ArrayList<>((List<Object>) yaml.get("addons"));
            addons.add(new LinkedHashMap<>(Map.of("addon_name", "amazon-cloudwatch-observability", "addon_version", "default")));
            yaml.put("addons", addons);
            if (ci) {
                yaml.put("ci_github_repository", "digicatapult/bridgeai-infra");
                yaml.put("ci_aws_account_id", "123456789012");
                yaml.put("ci_reviewers", List.of("@digicatapult/platform"));
            }
            String name = String.valueOf(yaml.get("environment"));
            Path file = SynthFixture.tempDir("bridgeai-env-karpenter-").resolve(name).resolve(EnvConfigLoader.FILE_NAME);
            Files.createDirectories(file.getParent());
            Files.writeString(file, new Yaml().dump(yaml));
            return EnvConfigLoader.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SynthStack eks() {
        return K.stack("test-eks");
    }

    @Test
    void aCpuSystemGroupReplacesTheGpuGroup() {
        SynthStack s = eks();
        Element group = s.only("aws_eks_node_group");
        s.assertResource("aws_eks_node_group", Map.of(
                "node_group_name", CLUSTER + "-system",
                "ami_type", "AL2023_x86_64_STANDARD",
                "capacity_type", "ON_DEMAND",
                "instance_types", EnvConfig.Karpenter.DEFAULT_SYSTEM_INSTANCE_TYPES,
                "scaling_config", Map.of("min_size", 2, "desired_size", 2, "max_size", 2),
                "labels", Map.of(ClusterContract.NODE_GROUP_LABEL, ClusterContract.SYSTEM_NODE_GROUP),
                "node_role_arn", s.resource("aws_iam_role", "eks/node_role").ref("arn")));
        assertFalse(group.config().has("taint"), "the system group is not tainted: everything but GPU work runs there");
        assertTrue(group.id().startsWith("eks_system_node_group_"), group.id());
        EksStackTest.assertPrivateSubnetsOf(s, K.stack("test-vpc"), "test/vpc/terraform.tfstate", group.get("/subnet_ids"));
        s.assertResource("aws_launch_template", Map.of("block_device_mappings", List.of(Map.of("device_name", "/dev/xvda",
                "ebs", Map.of("volume_type", "gp3", "encrypted", "true", "volume_size", 50)))));
        // the GPU pool's keys reach the GitOps tree, not a managed group
        assertEquals(1, s.resources("aws_launch_template").size());
    }

    @Test
    void theControllerRoleIsIrsaForKubeSystemKarpenterWithTheReferencesSixPolicies() {
        SynthStack s = eks();
        Element role = s.resource("aws_iam_role", "eks/karpenter/controller_role/role");
        assertEquals(CLUSTER + "-karpenter", role.get("/name").asText());
        EksStackTest.assertIrsaTrust(s, role, "kube-system", "karpenter");
        List<String> names = new ArrayList<>();
        for (Element attachment : s.resources("aws_iam_role_policy_attachment")) {
            if (attachment.get("/role").asText().equals(role.ref("name"))) {
                names.add(s.target(attachment.get("/policy_arn").asText(), "arn").get("/name").asText());
            }
        }
        assertEquals(new java.util.TreeSet<>(List.of("NodeLifecycle", "IAMIntegration", "EKSIntegration", "Interruption",
                "ZonalShift", "ResourceDiscovery").stream().map(n -> "KarpenterController" + n + "Policy-" + CLUSTER).toList()),
                new java.util.TreeSet<>(names));
        assertEquals(6, names.size());
    }

    @Test
    void nodeLifecyclePolicyLaunchesTagsAndTerminatesOnlyThisClustersNodePoolResources() {
        String ec2 = "arn:" + partition() + ":ec2:" + REGION + ":";
        List<String> created = List.of(ec2 + "*:fleet/*", ec2 + "*:instance/*", ec2 + "*:volume/*", ec2 + "*:network-interface/*",
                ec2 + "*:launch-template/*", ec2 + "*:spot-instances-request/*");
        String owned = "kubernetes.io/cluster/" + CLUSTER;
        assertEquals(List.of(
                st("AllowScopedEC2InstanceAccessActions", List.of("ec2:RunInstances", "ec2:CreateFleet"),
                        List.of(ec2 + ":image/*", ec2 + ":snapshot/*", ec2 + "*:security-group/*", ec2 + "*:subnet/*",
                                ec2 + "*:capacity-reservation/*", ec2 + "*:placement-group/*")),
                st("AllowScopedEC2LaunchTemplateAccessActions", List.of("ec2:RunInstances", "ec2:CreateFleet"),
                        List.of(ec2 + "*:launch-template/*"),
                        c("StringEquals", "aws:ResourceTag/" + owned, "owned"),
                        c("StringLike", "aws:ResourceTag/karpenter.sh/nodepool", "*")),
                st("AllowScopedEC2InstanceActionsWithTags", List.of("ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"),
                        created,
                        c("StringEquals", "aws:RequestTag/" + owned, "owned"),
                        c("StringEquals", "aws:RequestTag/eks:eks-cluster-name", CLUSTER),
                        c("StringLike", "aws:RequestTag/karpenter.sh/nodepool", "*")),
                st("AllowScopedResourceCreationTagging", List.of("ec2:CreateTags"), created,
                        c("StringEquals", "aws:RequestTag/" + owned, "owned"),
                        c("StringEquals", "aws:RequestTag/eks:eks-cluster-name", CLUSTER),
                        c("StringEquals", "ec2:CreateAction", "RunInstances", "CreateFleet", "CreateLaunchTemplate"),
                        c("StringLike", "aws:RequestTag/karpenter.sh/nodepool", "*")),
                st("AllowScopedResourceTagging", List.of("ec2:CreateTags"), List.of(ec2 + "*:instance/*"),
                        c("StringEquals", "aws:ResourceTag/" + owned, "owned"),
                        c("StringLike", "aws:ResourceTag/karpenter.sh/nodepool", "*"),
                        c("StringEqualsIfExists", "aws:RequestTag/eks:eks-cluster-name", CLUSTER),
                        c("ForAllValues:StringEquals", "aws:TagKeys", "eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name")),
                st("AllowScopedDeletion", List.of("ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"),
                        List.of(ec2 + "*:instance/*", ec2 + "*:launch-template/*"),
                        c("StringEquals", "aws:ResourceTag/" + owned, "owned"),
                        c("StringLike", "aws:ResourceTag/karpenter.sh/nodepool", "*"))),
                statements("NodeLifecycle"));
    }

    @Test
    void iamIntegrationPolicyPassesOnlyTheNodeRoleAndScopesInstanceProfiles() {
        String profiles = "arn:" + partition() + ":iam::" + account() + ":instance-profile/*";
        String owned = "kubernetes.io/cluster/" + CLUSTER;
        Element nodeRole = eks().resource("aws_iam_role", "eks/karpenter/node_role");
        assertEquals(List.of(
                st("AllowPassingInstanceRole", List.of("iam:PassRole"), List.of(nodeRole.ref("arn")),
                        c("StringEquals", "iam:PassedToService", "ec2.amazonaws.com", "ec2.amazonaws.com.cn")),
                st("AllowScopedInstanceProfileCreationActions", List.of("iam:CreateInstanceProfile"), List.of(profiles),
                        c("StringEquals", "aws:RequestTag/" + owned, "owned"),
                        c("StringEquals", "aws:RequestTag/eks:eks-cluster-name", CLUSTER),
                        c("StringEquals", "aws:RequestTag/topology.kubernetes.io/region", REGION),
                        c("StringLike", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass", "*")),
                st("AllowScopedInstanceProfileTagActions", List.of("iam:TagInstanceProfile"), List.of(profiles),
                        c("StringEquals", "aws:ResourceTag/" + owned, "owned"),
                        c("StringEquals", "aws:ResourceTag/topology.kubernetes.io/region", REGION),
                        c("StringEquals", "aws:RequestTag/" + owned, "owned"),
                        c("StringEquals", "aws:RequestTag/eks:eks-cluster-name", CLUSTER),
                        c("StringEquals", "aws:RequestTag/topology.kubernetes.io/region", REGION),
                        c("StringLike", "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass", "*"),
                        c("StringLike", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass", "*")),
                st("AllowScopedInstanceProfileActions",
                        List.of("iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"),
                        List.of(profiles),
                        c("StringEquals", "aws:ResourceTag/" + owned, "owned"),
                        c("StringEquals", "aws:ResourceTag/topology.kubernetes.io/region", REGION),
                        c("StringLike", "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass", "*"))),
                statements("IAMIntegration"));
    }

    @Test
    void theOtherPoliciesReadThisClusterThisQueueAndTheRegionOnly() {
        SynthStack s = eks();
        String clusterArn = s.resource("aws_eks_cluster", "eks/cluster").ref("arn");
        String queueArn = s.resource("aws_sqs_queue", "eks/karpenter/interruption_queue").ref("arn");
        assertEquals(List.of(st("AllowAPIServerEndpointDiscovery", List.of("eks:DescribeCluster"), List.of(clusterArn))),
                statements("EKSIntegration"));
        assertEquals(List.of(st("AllowInterruptionQueueActions", List.of("sqs:DeleteMessage", "sqs:GetQueueUrl",
                "sqs:ReceiveMessage"), List.of(queueArn))), statements("Interruption"));
        assertEquals(List.of(st("AllowZonalShiftStatusReadOnly", List.of("arc-zonal-shift:GetManagedResource"), List.of("*"),
                c("StringEquals", "arc-zonal-shift:ResourceIdentifier", clusterArn))), statements("ZonalShift"));
        assertEquals(List.of(
                st("AllowRegionalReadActions", List.of("ec2:DescribeCapacityReservations", "ec2:DescribeImages",
                                "ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:DescribeInstanceTypeOfferings",
                                "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplates", "ec2:DescribePlacementGroups",
                                "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets"),
                        List.of("*"), c("StringEquals", "aws:RequestedRegion", REGION)),
                st("AllowSSMReadActions", List.of("ssm:GetParameter"),
                        List.of("arn:" + partition() + ":ssm:" + REGION + "::parameter/aws/service/*")),
                st("AllowPricingReadActions", List.of("pricing:GetProducts"), List.of("*")),
                st("AllowUnscopedInstanceProfileListAction", List.of("iam:ListInstanceProfiles"), List.of("*")),
                st("AllowInstanceProfileReadActions", List.of("iam:GetInstanceProfile"),
                        List.of("arn:" + partition() + ":iam::" + account() + ":instance-profile/*"))),
                statements("ResourceDiscovery"));
    }

    @Test
    void theNodeRoleCanJoinAsEc2Linux() {
        SynthStack s = eks();
        Element role = s.resource("aws_iam_role", "eks/karpenter/node_role");
        assertEquals(CLUSTER + "-karpenter-node", role.get("/name").asText());
        JsonNode trust = s.target(role.get("/assume_role_policy").asText(), "json").get("/statement");
        assertEquals(1, trust.size());
        assertEquals("ec2.amazonaws.com", trust.at("/0/principals/0/identifiers/0").asText());
        assertEquals(List.of("sts:AssumeRole"), EnvStackTest.textList(trust.at("/0/actions")));
        for (String policy : KarpenterAws.NODE_POLICIES) {
            String arn = "arn:" + partition() + ":iam::aws:policy/" + policy;
            assertEquals(1, s.resources("aws_iam_role_policy_attachment").stream().filter(a -> a.get("/role").asText()
                    .equals(role.ref("name")) && a.get("/policy_arn").asText().equals(arn)).count(), policy);
        }
        assertEquals(List.of("AmazonEKS_CNI_Policy", "AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly",
                "AmazonSSMManagedInstanceCore"), KarpenterAws.NODE_POLICIES);
        Element entry = s.resource("aws_eks_access_entry", "eks/karpenter/node_access_entry");
        assertEquals("EC2_LINUX", entry.get("/type").asText());
        assertEquals(role.ref("arn"), entry.get("/principal_arn").asText());
        assertEquals(s.resource("aws_eks_cluster", "eks/cluster").ref("name"), entry.get("/cluster_name").asText());
    }

    @Test
    void theInterruptionQueueIsEncryptedShortLivedAndTlsOnly() {
        SynthStack s = eks();
        Element queue = s.resource("aws_sqs_queue", "eks/karpenter/interruption_queue");
        assertEquals(CLUSTER, queue.get("/name").asText());
        assertEquals(300, queue.get("/message_retention_seconds").asInt());
        assertTrue(queue.get("/sqs_managed_sse_enabled").booleanValue());
        Element policy = s.only("aws_sqs_queue_policy");
        assertEquals(queue.ref("url"), policy.get("/queue_url").asText());
        Element doc = s.target(policy.get("/policy").asText(), "json");
        JsonNode statements = doc.get("/statement");
        assertEquals(2, statements.size(), statements::toString);
        JsonNode send = statements.get(0);
        assertEquals(List.of("sqs:SendMessage"), EnvStackTest.textList(send.path("actions")));
        assertEquals(List.of(queue.ref("arn")), EnvStackTest.textList(send.path("resources")));
        assertEquals("Service", send.at("/principals/0/type").asText());
        assertEquals(List.of("events.amazonaws.com", "sqs.amazonaws.com"), EnvStackTest.textList(send.at("/principals/0/identifiers")));
        assertFalse(send.has("condition"));
        JsonNode deny = statements.get(1);
        assertEquals("Deny", deny.path("effect").asText());
        assertEquals(List.of("sqs:*"), EnvStackTest.textList(deny.path("actions")));
        assertEquals("*", deny.at("/principals/0/identifiers/0").asText());
        assertEquals(List.of(c("Bool", "aws:SecureTransport", "false")), conditions(deny));
    }

    @Test
    void fiveEventBridgeRulesFeedTheQueueAsTheReferenceHasThem() {
        SynthStack s = eks();
        String queueArn = s.resource("aws_sqs_queue", "eks/karpenter/interruption_queue").ref("arn");
        Map<String, String> patterns = new TreeMap<>();
        for (Element rule : s.resources("aws_cloudwatch_event_rule")) {
            patterns.put(rule.get("/name").asText(), rule.get("/event_pattern").asText());
            List<Element> targets = s.resources("aws_cloudwatch_event_target").stream()
                    .filter(t -> t.get("/rule").asText().equals(rule.ref("name"))).toList();
            assertEquals(1, targets.size(), rule.address());
            assertEquals(queueArn, targets.get(0).get("/arn").asText());
            assertEquals("KarpenterInterruptionQueueTarget", targets.get(0).get("/target_id").asText());
        }
        Map<String, String> expected = new TreeMap<>();
        expected.put(CLUSTER + "-health-event", pattern("aws.health", "AWS Health Event"));
        expected.put(CLUSTER + "-spot-interruption", pattern("aws.ec2", "EC2 Spot Instance Interruption Warning"));
        expected.put(CLUSTER + "-rebalance", pattern("aws.ec2", "EC2 Instance Rebalance Recommendation"));
        expected.put(CLUSTER + "-state-change", pattern("aws.ec2", "EC2 Instance State-change Notification"));
        expected.put(CLUSTER + "-capacity-interruption", pattern("aws.ec2", "EC2 Capacity Reservation Instance Interruption Warning"));
        assertEquals(expected, patterns);
    }

    @Test
    void thePrivateSubnetsAndTheClusterSecurityGroupCarryTheDiscoveryTag() {
        SynthStack vpc = K.stack("test-vpc");
        for (String az : Seed.AZS) {
            assertEquals(CLUSTER, VpcStackTest.privateSubnet(vpc, az).get("/tags/karpenter.sh~1discovery").asText(), az);
            assertTrue(vpc.resource("aws_subnet", "vpc/public_" + az).get("/tags/karpenter.sh~1discovery").isMissingNode(),
                    "nodes never start in a public subnet");
        }
        SynthStack s = eks();
        Element tag = s.only("aws_ec2_tag");
        assertEquals(s.resource("aws_eks_cluster", "eks/cluster").ref("vpc_config[0].cluster_security_group_id"),
                tag.get("/resource_id").asText());
        assertEquals(KarpenterAws.DISCOVERY_TAG, tag.get("/key").asText());
        assertEquals(CLUSTER, tag.get("/value").asText());
        // a node_group env's subnets stay as they are
        assertTrue(VpcStackTest.privateSubnet(SynthFixture.seed().stack("test-vpc"), Seed.AZS.get(0))
                .get("/tags/karpenter.sh~1discovery").isMissingNode());
    }

    @Test
    void theGitOpsStacksGetTheRolesAndTheQueue() {
        ClusterRefs.KarpenterRefs refs = K.record("test").eks().clusterRefs().karpenter().orElseThrow();
        SynthStack s = eks();
        assertEquals(s.resource("aws_iam_role", "eks/karpenter/controller_role/role").ref("arn"), s.output(
                "karpenter_controller_role_arn").path("value").asText());
        assertEquals(s.resource("aws_iam_role", "eks/karpenter/node_role").ref("name"),
                s.output("karpenter_node_role_name").path("value").asText());
        assertEquals(s.resource("aws_sqs_queue", "eks/karpenter/interruption_queue").ref("name"),
                s.output("karpenter_interruption_queue").path("value").asText());
        assertTrue(refs.controllerRoleArn().contains("${"), "tokens of the eks stack: " + refs);
        assertTrue(SynthFixture.seed().record("test").eks().clusterRefs().karpenter().isEmpty(), "none in node_group mode");
    }

    @Test
    void everyRoleCarriesTheCiPermissionsBoundary() {
        SynthStack s = eks();
        String boundary = K.env("test").ciBoundaryArn();
        for (Element role : s.resources("aws_iam_role")) {
            assertEquals(boundary, role.get("/permissions_boundary").asText(), role.address());
        }
    }

    @Test
    void cloudWatchObservabilityGetsItsIrsaRoleAndWaitsForTheSystemGroup() {
        SynthStack s = eks();
        Element role = s.resources("aws_iam_role").stream()
                .filter(r -> r.get("/name").asText().equals(CLUSTER + "-amazon-cloudwatch-observability")).findFirst().orElseThrow();
        EksStackTest.assertIrsaTrust(s, role, "amazon-cloudwatch", "cloudwatch-agent");
        EksStackTest.assertManagedPolicy(s, role, "CloudWatchAgentServerPolicy");
        Element addon = s.resources("aws_eks_addon").stream()
                .filter(a -> a.get("/addon_name").asText().equals("amazon-cloudwatch-observability")).findFirst().orElseThrow();
        assertEquals(role.ref("arn"), addon.get("/service_account_role_arn").asText());
        assertEquals(List.of(s.only("aws_eks_node_group").address()), EnvStackTest.textList(addon.get("/depends_on")));
        s.assertDataSource("aws_eks_addon_version", Map.of("addon_name", "amazon-cloudwatch-observability", "most_recent", false));
    }

    @Test
    void theEmulatedEnvLeavesOutOnlyTheAccessEntryAndTheSecurityGroupTag() {
        SynthStack s = K.stack("local-eks");
        s.assertNoResource("aws_eks_access_entry");
        s.assertNoResource("aws_ec2_tag");
        s.assertNoResource("aws_eks_addon");
        s.assertResource("aws_eks_node_group", Map.of("node_group_name", "mlops-local-cluster-system"));
        assertEquals(5, s.resources("aws_cloudwatch_event_rule").size());
        assertEquals(1, s.resources("aws_sqs_queue_policy").size());
        assertEquals(6, s.resources("aws_iam_policy").size());
        s.assertResource("aws_iam_role", Map.of("name", "mlops-local-cluster-karpenter-node"));
        s.assertResource("aws_iam_role", Map.of("name", "mlops-local-cluster-amazon-cloudwatch-observability"));
        s.assertProvider("aws", Map.of("endpoints", List.of(Map.of("sqs", K.env("local").emulatorEndpoint().orElseThrow(),
                "events", K.env("local").emulatorEndpoint().orElseThrow()))));
    }

    // ---------------------------------------------------------------- helpers

    private static String partition() {
        return "${data.aws_partition.partition.partition}";
    }

    private static String account() {
        return "${data.aws_caller_identity.caller.account_id}";
    }

    /** The statements of the controller policy KarpenterController{@code name}Policy-<cluster>, normalized. */
    private static List<Map<String, Object>> statements(String name) {
        SynthStack s = eks();
        Element policy = s.resources("aws_iam_policy").stream()
                .filter(p -> p.get("/name").asText().equals("KarpenterController" + name + "Policy-" + CLUSTER)).findFirst()
                .orElseThrow(() -> new AssertionError("no policy " + name));
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode st : s.target(policy.get("/policy").asText(), "json").get("/statement")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sid", st.path("sid").asText());
            m.put("effect", st.path("effect").asText());
            m.put("actions", EnvStackTest.textList(st.path("actions")));
            m.put("resources", EnvStackTest.textList(st.path("resources")));
            m.put("conditions", conditions(st));
            out.add(m);
        }
        return out;
    }

    private static List<List<Object>> conditions(JsonNode statement) {
        List<List<Object>> out = new ArrayList<>();
        statement.path("condition").forEach(c -> out.add(List.of(c.path("test").asText(), c.path("variable").asText(),
                EnvStackTest.textList(c.path("values")))));
        return out;
    }

    @SafeVarargs
    private static Map<String, Object> st(String sid, List<String> actions, List<String> resources, List<Object>... conditions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sid", sid);
        m.put("effect", "Allow");
        m.put("actions", actions);
        m.put("resources", resources);
        m.put("conditions", List.of(conditions));
        return m;
    }

    private static List<Object> c(String test, String variable, String... values) {
        return List.of(test, variable, List.of(values));
    }

    /** How cdktf writes the rule's jsonencode of {detail-type, source} (keys sorted). */
    private static String pattern(String source, String detailType) {
        return "${jsonencode({\"detail-type\" = [\"" + detailType + "\"], \"source\" = [\"" + source + "\"]})}";
    }
}
