package com.bridgeai.infra.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.Main;
import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.yaml.snakeyaml.Yaml;

/**
 * The AWS side of a {@code gpu_capacity: karpenter} env for real, against moto: env/local as
 * committed but switched to Karpenter (in a temporary file: the committed env/local stays a
 * node_group env, whose round trip is LocalEmulatorIntegrationTest), with the CloudWatch
 * observability add-on, without CI and with the charts' bundled database (both are covered by the
 * main round trip; left out here to keep this one short). Applied with bin/tf-stacks, checked
 * through the AWS API (system node group, discovery tags, Karpenter's roles and policies, the
 * interruption queue and its policy, the EventBridge rules and targets), re-planned without
 * changes (the subnets' discovery tag is the vpc stack's own, so nothing flaps), destroyed.
 * Not emulated, so not applied: the node role's EKS access entry and the cluster security group's
 * tag (moto has no access entries and returns no cluster security group), the EKS add-on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarpenterEmulatorTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ENV = "local";
    static final String CLUSTER = "mlops-local-cluster";

    static MotoServer moto;
    static Path outdir;
    static EmulatorCli cli;
    static Map<String, String> env;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void startEmulatorAndSynth() throws Exception {
        Path work = Files.createTempDirectory("bridgeai-karpenter-emulator-");
        moto = MotoServer.start(work.resolve("moto.log"));
        Map<String, Object> yaml = new Yaml().load(Files.readString(Path.of("env", ENV, "env.yaml")));
        yaml.put("emulator_endpoint", moto.endpoint());
        yaml.put("gpu_capacity", "karpenter");
        yaml.put("ami_type", "AL2023_x86_64_NVIDIA");
        yaml.put("min_size", 0);
        yaml.put("max_size", 2);
        yaml.remove("desired_size");
        yaml.put("apps_database", "bundled");
        yaml.keySet().removeIf(k -> k.startsWith("ci_"));
        yaml.put("addons", List.of(new LinkedHashMap<>(Map.of("addon_name", "amazon-cloudwatch-observability",
                "addon_version", "default"))));
        Path envRoot = Files.createDirectories(work.resolve("env").resolve(ENV));
        Files.writeString(envRoot.resolve("env.yaml"), new Yaml().dump(yaml));
        List<EnvConfig> envs = EnvConfigLoader.loadAll(work.resolve("env"), Set.of(ENV));
        assertTrue(envs.get(0).cluster().karpenter().isPresent());
        outdir = work.resolve("cdktf.out");
        Main.synth(envs, outdir);

        cli = new EmulatorCli(moto, outdir);
        env = cli.env();
    }

    @AfterAll
    static void stopEmulator() throws Exception {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    @Order(1)
    void appliesStateVpcAndEks() throws Exception {
        for (String stack : List.of("state", "vpc", "eks")) {
            String out = stacks("up", ENV, ENV + "-" + stack).ok(900);
            assertTrue(out.contains("Apply complete!"), out);
        }
    }

    @Test
    @Order(2)
    void theSystemGroupAndTheDiscoveryTags() throws Exception {
        JsonNode group = aws("eks", "describe-nodegroup", "--cluster-name", CLUSTER, "--nodegroup-name", CLUSTER + "-system")
                .path("nodegroup");
        assertEquals("AL2023_x86_64_STANDARD", group.path("amiType").asText(), group::toString);
        assertEquals("ON_DEMAND", group.path("capacityType").asText(), group::toString);
        assertEquals(2, group.at("/scalingConfig/minSize").asInt(), group::toString);
        assertEquals(2, group.at("/scalingConfig/maxSize").asInt(), group::toString);
        assertEquals("system", group.at("/labels/bridgeai.io~1node-group").asText(), group::toString);
        assertEquals(List.of(CLUSTER + "-system"), texts(aws("eks", "list-nodegroups", "--cluster-name", CLUSTER)
                .path("nodegroups")), "no GPU group");
        JsonNode subnets = aws("ec2", "describe-subnets", "--filters", "Name=tag:karpenter.sh/discovery,Values=" + CLUSTER)
                .path("Subnets");
        assertEquals(2, subnets.size(), subnets::toString);
        subnets.forEach(s -> assertTrue(tags(s).get("Name").contains("-private-"), s::toString));
    }

    @Test
    @Order(3)
    void theInterruptionQueueItsPolicyAndTheRules() throws Exception {
        String url = aws("sqs", "get-queue-url", "--queue-name", CLUSTER).path("QueueUrl").asText();
        JsonNode attrs = aws("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "All").path("Attributes");
        assertEquals("300", attrs.path("MessageRetentionPeriod").asText(), attrs::toString);
        assertEquals("true", attrs.path("SqsManagedSseEnabled").asText(), attrs::toString);
        String queueArn = attrs.path("QueueArn").asText();
        JsonNode policy = JSON.readTree(attrs.path("Policy").asText());
        assertEquals("EC2InterruptionPolicy", policy.path("Id").asText(), policy::toString);
        Set<String> sids = new TreeSet<>();
        policy.path("Statement").forEach(s -> sids.add(s.path("Sid").asText()));
        assertEquals(Set.of("EventBridgeAndSqsSend", "DenyHTTP"), sids, policy::toString);
        assertTrue(policy.toString().contains("events.amazonaws.com") && policy.toString().contains("aws:SecureTransport"),
                policy::toString);

        Map<String, String> patterns = new LinkedHashMap<>();
        for (JsonNode rule : aws("events", "list-rules", "--name-prefix", CLUSTER + "-").path("Rules")) {
            String name = rule.path("Name").asText();
            JsonNode pattern = JSON.readTree(rule.path("EventPattern").asText());
            patterns.put(name, pattern.at("/source/0").asText() + " / " + pattern.at("/detail-type/0").asText());
            JsonNode targets = aws("events", "list-targets-by-rule", "--rule", name).path("Targets");
            assertEquals(1, targets.size(), name);
            assertEquals(queueArn, targets.at("/0/Arn").asText(), name);
            assertEquals("KarpenterInterruptionQueueTarget", targets.at("/0/Id").asText(), name);
        }
        assertEquals(Map.of(
                CLUSTER + "-health-event", "aws.health / AWS Health Event",
                CLUSTER + "-spot-interruption", "aws.ec2 / EC2 Spot Instance Interruption Warning",
                CLUSTER + "-rebalance", "aws.ec2 / EC2 Instance Rebalance Recommendation",
                CLUSTER + "-state-change", "aws.ec2 / EC2 Instance State-change Notification",
                CLUSTER + "-capacity-interruption", "aws.ec2 / EC2 Capacity Reservation Instance Interruption Warning"),
                patterns);
    }

    @Test
    @Order(4)
    void karpentersRolesAndPolicies() throws Exception {
        JsonNode trust = trust(CLUSTER + "-karpenter");
        assertTrue(trust.toString().contains("system:serviceaccount:kube-system:karpenter"), trust::toString);
        Set<String> attached = attachedPolicies(CLUSTER + "-karpenter");
        assertEquals(new TreeSet<>(List.of("EKSIntegration", "IAMIntegration", "Interruption", "NodeLifecycle",
                "ResourceDiscovery", "ZonalShift").stream().map(n -> "KarpenterController" + n + "Policy-" + CLUSTER).toList()),
                attached);
        // the policy documents as IAM stores them: the reference's statement ids
        Set<String> sids = new TreeSet<>();
        for (JsonNode p : aws("iam", "list-policies", "--scope", "Local").path("Policies")) {
            if (p.path("PolicyName").asText().startsWith("KarpenterController")) {
                JsonNode doc = aws("iam", "get-policy-version", "--policy-arn", p.path("Arn").asText(), "--version-id",
                        p.path("DefaultVersionId").asText()).at("/PolicyVersion/Document");
                JsonNode parsed = doc.isTextual() ? JSON.readTree(URLDecoder.decode(doc.asText(), StandardCharsets.UTF_8)) : doc;
                parsed.path("Statement").forEach(s -> sids.add(s.path("Sid").asText()));
            }
        }
        assertEquals(new TreeSet<>(List.of("AllowScopedEC2InstanceAccessActions", "AllowScopedEC2LaunchTemplateAccessActions",
                "AllowScopedEC2InstanceActionsWithTags", "AllowScopedResourceCreationTagging", "AllowScopedResourceTagging",
                "AllowScopedDeletion", "AllowPassingInstanceRole", "AllowScopedInstanceProfileCreationActions",
                "AllowScopedInstanceProfileTagActions", "AllowScopedInstanceProfileActions", "AllowAPIServerEndpointDiscovery",
                "AllowInterruptionQueueActions", "AllowZonalShiftStatusReadOnly", "AllowRegionalReadActions", "AllowSSMReadActions",
                "AllowPricingReadActions", "AllowUnscopedInstanceProfileListAction", "AllowInstanceProfileReadActions")), sids);

        assertTrue(trust(CLUSTER + "-karpenter-node").toString().contains("ec2.amazonaws.com"));
        assertEquals(Set.of("AmazonEKS_CNI_Policy", "AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly",
                "AmazonSSMManagedInstanceCore"), attachedPolicies(CLUSTER + "-karpenter-node"));
        // GPU metrics: the CloudWatch agent's IRSA role (the add-on itself is not emulated)
        assertTrue(trust(CLUSTER + "-amazon-cloudwatch-observability").toString()
                .contains("system:serviceaccount:amazon-cloudwatch:cloudwatch-agent"));
        assertEquals(Set.of("CloudWatchAgentServerPolicy"), attachedPolicies(CLUSTER + "-amazon-cloudwatch-observability"));
    }

    @Test
    @Order(5)
    void aSecondPlanChangesNothing() throws Exception {
        Cmd.Result drift = stacks("drift", ENV, ENV + "-vpc", ENV + "-eks").run(600);
        assertEquals(0, drift.exitCode(), drift.all());
    }

    @Test
    @Order(6)
    void destroyLeavesNoQueueRuleRoleOrPolicy() throws Exception {
        String out = stacks("down", ENV).ok(900);
        assertTrue(out.contains(ENV + "-state: kept"), out);
        assertEquals(0, aws("sqs", "list-queues").path("QueueUrls").size());
        assertEquals(0, aws("events", "list-rules").path("Rules").size());
        assertEquals(0, aws("iam", "list-roles").path("Roles").size());
        assertEquals(0, aws("iam", "list-policies", "--scope", "Local").path("Policies").size());
        assertEquals(0, aws("eks", "list-clusters").path("clusters").size());
    }

    // ---------------------------------------------------------------- helpers

    static JsonNode trust(String role) throws Exception {
        JsonNode doc = aws("iam", "get-role", "--role-name", role).at("/Role/AssumeRolePolicyDocument");
        return doc.isTextual() ? JSON.readTree(URLDecoder.decode(doc.asText(), StandardCharsets.UTF_8)) : doc;
    }

    static Set<String> attachedPolicies(String role) throws Exception {
        Set<String> names = new TreeSet<>();
        aws("iam", "list-attached-role-policies", "--role-name", role).path("AttachedPolicies")
                .forEach(p -> names.add(p.path("PolicyName").asText()));
        return names;
    }

    static Map<String, String> tags(JsonNode resource) {
        Map<String, String> out = new HashMap<>();
        resource.path("Tags").forEach(t -> out.put(t.path("Key").asText(), t.path("Value").asText()));
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Cmd stacks(String... args) {
        return cli.stacks(args);
    }

    static JsonNode aws(String... args) throws Exception {
        return cli.aws(args);
    }
}
