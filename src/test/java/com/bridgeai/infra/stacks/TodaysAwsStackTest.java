package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.aws.eks.EksModule;
import com.bridgeai.infra.modules.aws.eks.GpuFamily;
import com.bridgeai.infra.stacks.SynthStack.Element;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What makes an env deployable on today's AWS: the live Kubernetes version check, add-on versions
 * that follow the cluster, env/prod with its own values, GPU support per image family, and the
 * apps' RDS database with its credentials carried into the cluster by the flux stack.
 */
class TodaysAwsStackTest {
    static final SynthFixture F = SynthFixture.seed();

    // ---------------------------------------------------------------- live version check

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test-eks", "prod-eks"})
    void onRealAwsThePlanAsksAwsWhetherItOffersTheVersionBeforeCreatingTheCluster(String stack) {
        SynthStack s = F.stack(stack);
        String version = F.env(stack.substring(0, stack.indexOf('-'))).cluster().kubernetesVersion();
        Element versions = s.dataSource("aws_eks_cluster_versions", "eks/" + EksModule.CLUSTER_VERSIONS_ID);
        assertEquals("data.aws_eks_cluster_versions." + EksModule.CLUSTER_VERSIONS_ID, versions.address(),
                "the fixed address the precondition names");
        JsonNode preconditions = s.resource("aws_eks_cluster", "eks/cluster").get("/lifecycle/precondition");
        assertEquals(1, preconditions.size(), preconditions::toString);
        String condition = preconditions.get(0).path("condition").asText();
        assertEquals("${contains([for v in " + versions.address() + ".cluster_versions : v.cluster_version"
                + " if v.version_status != \"UNSUPPORTED\"], \"" + version + "\")}", condition);
        String message = preconditions.get(0).path("error_message").asText();
        assertTrue(message.startsWith("AWS does not offer Kubernetes " + version + " for EKS clusters today"), message);
        assertTrue(message.contains("v.version_status == \"STANDARD_SUPPORT\""), "lists what AWS offers: " + message);
        assertTrue(message.endsWith("Set kubernetes_version in " + F.env(stack.substring(0, stack.indexOf('-'))).file()
                + " to one of them."), message);
    }

    @Test
    void theEmulatedEnvHasNoLiveVersionCheck() {
        SynthStack s = F.stack("local-eks");
        assertEquals(List.of(), s.dataSources("aws_eks_cluster_versions"), "moto has no DescribeClusterVersions");
        assertTrue(s.resource("aws_eks_cluster", "eks/cluster").get("/lifecycle/precondition").isMissingNode());
    }

    // ---------------------------------------------------------------- add-on versions

    @Test
    void defaultAddOnVersionsAreReadForTheClustersVersionAtPlanTime() {
        SynthStack s = F.stack("prod-eks");
        for (String addon : List.of("aws-ebs-csi-driver", "aws-efs-csi-driver")) {
            Element version = s.dataSource("aws_eks_addon_version", "eks/addon_version_" + addon);
            assertEquals(addon, version.get("/addon_name").asText());
            assertEquals("1.35", version.get("/kubernetes_version").asText());
            assertFalse(version.get("/most_recent").asBoolean(), "default = AWS's default, not the newest");
            s.assertResource("aws_eks_addon", Map.of("addon_name", addon, "addon_version", version.ref("version")));
        }
    }

    @Test
    void latestReadsTheNewestAndPinnedVersionsStayAsWritten() {
        SynthStack variant = SynthFixture.variant().stack("test-eks");
        Element cni = variant.dataSource("aws_eks_addon_version", "eks/addon_version_vpc-cni");
        assertTrue(cni.get("/most_recent").asBoolean());
        assertEquals("1.30", cni.get("/kubernetes_version").asText());
        variant.assertResource("aws_eks_addon", Map.of("addon_name", "vpc-cni", "addon_version", cni.ref("version")));
        // the seed's pins: no look-up; only vpc-cni, which env/test does not list but gets for its
        // NetworkPolicies (GitOps), is read at AWS's default for the cluster's version
        SynthStack test = F.stack("test-eks");
        assertEquals(List.of("vpc-cni"), test.dataSources("aws_eks_addon_version").stream()
                .map(d -> d.get("/addon_name").asText()).toList());
        assertFalse(test.dataSource("aws_eks_addon_version", "eks/addon_version_vpc-cni").get("/most_recent").asBoolean());
        test.assertResource("aws_eks_addon", Map.of("addon_name", Seed.EBS_ADDON, "addon_version", Seed.EBS_VERSION));
    }

    // ---------------------------------------------------------------- env/prod

    @Test
    void prodIsSynthesizedWithItsOwnValues() {
        SynthStack eks = F.stack("prod-eks");
        eks.assertResource("aws_eks_cluster", Map.of("name", "mlops-prod-cluster", "version", "1.35"));
        // gpu_capacity: karpenter: the only managed group is the CPU system group; the GPU nodes are
        // Karpenter's (a NodePool in the GitOps tree, its roles and queue here)
        eks.assertResource("aws_eks_node_group", Map.of("node_group_name", "mlops-prod-cluster-system",
                "ami_type", "AL2023_x86_64_STANDARD", "instance_types", List.of("m7i.large"), "capacity_type", "ON_DEMAND",
                "scaling_config", Map.of("min_size", 2, "desired_size", 2, "max_size", 2),
                "labels", Map.of("bridgeai.io/node-group", "system")));
        eks.assertResource("aws_sqs_queue", Map.of("name", "mlops-prod-cluster"));
        eks.assertResource("aws_eks_access_entry", Map.of("type", "EC2_LINUX"));
        String pool = F.stack("prod-github").tree().toString();
        assertTrue(pool.contains("node-pools/gpu/gpu-nodepool.yaml") && pool.contains("g4dn.xlarge"), "prod's GPU NodePool");
        // IRSA roles named after prod's cluster: no clash with test's AmazonEKS_*_DriverRole in the same account
        Set<String> roles = new TreeSet<>();
        eks.resources("aws_iam_role").forEach(r -> roles.add(r.get("/name").asText()));
        assertTrue(roles.containsAll(Set.of("mlops-prod-cluster-aws-ebs-csi-driver", "mlops-prod-cluster-aws-efs-csi-driver",
                        "mlops-prod-cluster-amazon-cloudwatch-observability", "mlops-prod-cluster-karpenter",
                        "mlops-prod-cluster-karpenter-node")),
                roles::toString);
        assertFalse(roles.stream().anyMatch(r -> r.startsWith("AmazonEKS_")), roles::toString);
        F.stack("prod-vpc").assertResource("aws_vpc", Map.of("cidr_block", "10.155.64.0/20"));
        assertEquals("tfstate-mlops-prod", F.stack("prod-eks").backend().path("s3").path("bucket").asText());
        assertEquals("prod/eks/terraform.tfstate", F.stack("prod-eks").backend().path("s3").path("key").asText());
        // the lock table is test's: prod's state stack only reads it
        SynthStack state = F.stack("prod-state");
        state.assertNoResource("aws_dynamodb_table");
        state.assertDataSource("aws_dynamodb_table", Map.of("name", Seed.LOCK_TABLE));
        assertTrue(F.stack("prod-github").tree().toString().contains("mlops-prod-gitops"));
        // (prod's version on a fixed day: EksVersionCalendarTest; the fixture reads the real clock)
    }

    // ---------------------------------------------------------------- GPU per image family

    @Test
    void gpuFamilyFollowsTheImage() {
        assertEquals(GpuFamily.NVIDIA_DEVICE_PLUGIN, GpuFamily.of("AL2023_x86_64_NVIDIA"));
        assertEquals(GpuFamily.NVIDIA_DEVICE_PLUGIN, GpuFamily.of("AL2_x86_64_GPU"));
        assertEquals(GpuFamily.NVIDIA_DEVICE_PLUGIN, GpuFamily.of("AL2023_ARM_64_NVIDIA"));
        assertEquals(GpuFamily.OS_DEVICE_PLUGIN, GpuFamily.of("BOTTLEROCKET_x86_64_NVIDIA"));
        assertEquals(GpuFamily.OS_DEVICE_PLUGIN, GpuFamily.of("BOTTLEROCKET_ARM_64_NVIDIA"));
        assertEquals(GpuFamily.NONE, GpuFamily.of("AL2023_x86_64_STANDARD"));
        assertEquals(GpuFamily.NONE, GpuFamily.of("BOTTLEROCKET_x86_64"));
        assertEquals(GpuFamily.NONE, GpuFamily.of("AL2023_x86_64_NEURON"));
    }

    @Test
    void theAl2023NvidiaEnvCommitsTheDevicePlugin() {
        String files = F.stack("prod-github").tree().path("resource").path("github_repository_file").toString();
        assertTrue(files.contains("infrastructure/gpu/nvidia-device-plugin-helmrelease.yaml"), "prod: AL2023 NVIDIA");
    }

    // ---------------------------------------------------------------- the apps' database

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test-eks", "prod-eks"})
    void onRealAwsTheAppsDatabaseIsPrivateEncryptedProtectedAndBackedUp(String stack) {
        SynthStack s = F.stack(stack);
        String env = stack.substring(0, stack.indexOf('-'));
        Element db = s.only("aws_db_instance");
        assertEquals("mlops-" + env + "-apps", db.get("/identifier").asText());
        s.assertResource("aws_db_instance", Map.of(
                "engine", "postgres", "engine_version", "17", "instance_class", "db.t4g.small",
                "storage_encrypted", true, "publicly_accessible", false, "manage_master_user_password", true));
        s.assertResource("aws_db_instance", Map.of(
                "deletion_protection", true, "skip_final_snapshot", false,
                "final_snapshot_identifier", "mlops-" + env + "-apps-final",
                "backup_retention_period", 7, "auto_minor_version_upgrade", true, "db_name", "airflow"));
        assertTrue(db.get("/password").isMissingNode(), "no password in the configuration: RDS keeps it in Secrets Manager");
        // private subnets of the vpc stack
        Element subnets = s.only("aws_db_subnet_group");
        assertEquals(subnets.ref("name"), db.get("/db_subnet_group_name").asText());
        EksStackTest.assertPrivateSubnetsOfTheVpcStack(s, subnets.get("/subnet_ids"));
        // 5432 from the cluster security group only, no egress
        Element group = s.resource("aws_security_group", "apps_database/security_group");
        assertEquals(List.of(group.ref("id")), EnvStackTest.textList(db.get("/vpc_security_group_ids")));
        JsonNode ingress = group.get("/ingress");
        assertEquals(1, ingress.size(), ingress::toString);
        assertEquals(5432, ingress.get(0).path("from_port").asInt());
        assertEquals(5432, ingress.get(0).path("to_port").asInt());
        assertEquals("tcp", ingress.get(0).path("protocol").asText());
        Element cluster = s.resource("aws_eks_cluster", "eks/cluster");
        assertEquals(List.of(cluster.ref("vpc_config[0].cluster_security_group_id")),
                EnvStackTest.textList(ingress.get(0).path("security_groups")));
        assertTrue(ingress.get(0).path("cidr_blocks").isEmpty(), "no CIDR source on real AWS");
        assertTrue(group.get("/egress").isMissingNode() || group.get("/egress").isEmpty(), "no egress rule");
        // what the flux stack needs: the address and the secret's ARN (not its value)
        assertEquals(db.ref("address"), s.output("apps_database_address").path("value").asText());
        assertEquals(db.ref("master_user_secret[0].secret_arn"), s.output("apps_database_secret_arn").path("value").asText());
    }

    /** The checkov RDS items (CKV2_AWS_30, CKV2_AWS_69, CKV_AWS_118/129/157/161/353/354) as secure defaults. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test-eks", "prod-eks"})
    void onRealAwsTheAppsDatabaseIsMultiAzLoggedMonitoredAndTlsOnly(String stack) {
        SynthStack s = F.stack(stack);
        String name = "mlops-" + stack.substring(0, stack.indexOf('-')) + "-apps";
        Element db = s.only("aws_db_instance");
        s.assertResource("aws_db_instance", Map.of("multi_az", true, "iam_database_authentication_enabled", true,
                "enabled_cloudwatch_logs_exports", List.of("postgresql", "upgrade"),
                "monitoring_interval", 60, "performance_insights_enabled", true, "performance_insights_retention_period", 7));
        assertTrue(db.get("/lifecycle").isMissingNode(), "no ignore_changes on real AWS: " + db.get("/lifecycle"));
        // a parameter group of its own: TLS only said explicitly, DDL and slow statements logged
        Element parameters = s.only("aws_db_parameter_group");
        assertEquals(parameters.ref("name"), db.get("/parameter_group_name").asText());
        assertEquals("postgres17", parameters.get("/family").asText());
        assertEquals(name + "-postgres17", parameters.get("/name").asText());
        Map<String, String> values = new java.util.TreeMap<>();
        parameters.get("/parameter").forEach(p -> values.put(p.path("name").asText(), p.path("value").asText()));
        assertEquals(Map.of("rds.force_ssl", "1", "log_statement", "ddl", "log_min_duration_statement", "1000"), values);
        // the exported logs land in groups created first, with the env's retention and a customer key
        Element key = s.resource("aws_kms_key", "apps_database/telemetry_key/key");
        EksStackTest.assertKeyPolicy(key, List.of("AccountAdministersThroughIam", "CloudWatchLogsEncrypts"));
        assertTrue(key.get("/policy").asText().contains(":log-group:/aws/rds/instance/" + name + "/*"), key.get("/policy").asText());
        List<String> dependsOn = EnvStackTest.textList(db.get("/depends_on"));
        for (String log : List.of("postgresql", "upgrade")) {
            Element group = s.resource("aws_cloudwatch_log_group", "apps_database/log_group_" + log);
            assertEquals("/aws/rds/instance/" + name + "/" + log, group.get("/name").asText());
            assertEquals(365, group.get("/retention_in_days").asInt(), "log_retention_days by default");
            assertEquals(key.ref("arn"), group.get("/kms_key_id").asText());
            assertTrue(dependsOn.contains(group.address()), () -> "the instance waits for " + group.address() + ": " + dependsOn);
        }
        assertEquals(key.ref("arn"), db.get("/performance_insights_kms_key_id").asText(), "Performance Insights with the customer key");
        // Enhanced Monitoring through a role only RDS's monitoring service of this account may assume
        Element role = s.resource("aws_iam_role", "apps_database/monitoring_role");
        assertEquals(role.ref("arn"), db.get("/monitoring_role_arn").asText());
        String trust = role.get("/assume_role_policy").asText();
        assertTrue(trust.contains("\"Service\" = \"monitoring.rds.amazonaws.com\"")
                && trust.contains("\"aws:SourceAccount\" = data.aws_caller_identity.caller.account_id"), trust);
        Element attachment = s.resource("aws_iam_role_policy_attachment", "apps_database/monitoring_policy");
        assertEquals(role.ref("name"), attachment.get("/role").asText());
        assertEquals("arn:${data.aws_partition.partition.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
                attachment.get("/policy_arn").asText());
        assertTrue(dependsOn.contains(attachment.address()), "RDS checks the role's policy at creation");
    }

    @Test
    void inTheEmulatedEnvTheDatabaseIgnoresOnlyTheDriftMotoInvents() {
        SynthStack s = F.stack("local-eks");
        // the same settings as on real AWS are sent ...
        s.assertResource("aws_db_instance", Map.of("multi_az", true, "iam_database_authentication_enabled", true,
                "monitoring_interval", 60, "performance_insights_enabled", true));
        // ... but what moto 5.2 drops or does not echo back is not compared (README, emulator table)
        assertEquals(List.of("monitoring_interval", "monitoring_role_arn", "performance_insights_enabled",
                        "performance_insights_kms_key_id", "performance_insights_retention_period"),
                EnvStackTest.textList(s.only("aws_db_instance").get("/lifecycle/ignore_changes")));
        assertEquals(List.of("parameter"), EnvStackTest.textList(s.only("aws_db_parameter_group").get("/lifecycle/ignore_changes")));
    }

    @Test
    void inTheEmulatedEnvTheDatabaseCanBeDestroyedAndAdmitsThePrivateSubnets() {
        SynthStack s = F.stack("local-eks");
        s.assertResource("aws_db_instance", Map.of("deletion_protection", false, "skip_final_snapshot", true,
                "storage_encrypted", true, "publicly_accessible", false, "manage_master_user_password", true));
        JsonNode ingress = s.resource("aws_security_group", "apps_database/security_group").get("/ingress");
        assertEquals(2, ingress.get(0).path("cidr_blocks").size(), "the two private subnets' CIDRs");
        assertTrue(ingress.get(0).path("security_groups").isEmpty());
    }

    /**
     * No stack reads a secret value and no resource carries a password: a plan never needs
     * secretsmanager:GetSecretValue, and no database password is in any state. Over every stack of
     * the committed envs and the variant: no {@code aws_secretsmanager_secret_version} (data source
     * or resource), no kubernetes secret for the database, and no attribute named like a password
     * that holds a value (RDS's {@code manage_master_user_password} flag is the one password key).
     */
    @Test
    void noStackReadsASecretValueAndNoResourceCarriesAPassword() {
        List<SynthStack> stacks = new ArrayList<>(SynthFixture.seed().stacks());
        stacks.addAll(SynthFixture.variant().stacks());
        List<String> findings = new ArrayList<>();
        for (SynthStack s : stacks) {
            for (String kind : List.of("data", "resource")) {
                JsonNode blocks = s.tree().path(kind);
                if (blocks.has("aws_secretsmanager_secret_version")) {
                    findings.add(s.name() + ": " + kind + " aws_secretsmanager_secret_version");
                }
                blocks.fields().forEachRemaining(type -> type.getValue().fields().forEachRemaining(element ->
                        passwordKeys(element.getValue(), s.name() + " " + type.getKey() + "." + element.getKey(), findings)));
            }
            s.tree().path("resource").path("kubernetes_secret_v1").fields().forEachRemaining(secret -> {
                String name = secret.getValue().at("/metadata/name").asText();
                if (name.contains("database") || name.contains("metadata")) {
                    findings.add(s.name() + ": kubernetes secret " + name);
                }
            });
        }
        assertEquals(List.of(), findings);
        assertTrue(stacks.size() > 15, "every stack of every env was scanned: " + stacks.size());
        // the check does see a password: the RDS instance's only password key is the managed flag
        Element db = F.stack("prod-eks").only("aws_db_instance");
        assertTrue(db.get("/manage_master_user_password").asBoolean());
        List<String> probe = new ArrayList<>();
        passwordKeys(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(Map.of("password", "x")), "probe", probe);
        assertEquals(List.of("probe: password"), probe);
    }

    private static void passwordKeys(JsonNode node, String where, List<String> findings) {
        node.fields().forEachRemaining(field -> {
            String key = field.getKey().toLowerCase();
            if (key.contains("password") && !key.equals("manage_master_user_password")) {
                findings.add(where + ": " + field.getKey());
            }
            passwordKeys(field.getValue(), where, findings);
        });
        if (node.isArray()) {
            node.forEach(item -> passwordKeys(item, where, findings));
        }
    }
}
