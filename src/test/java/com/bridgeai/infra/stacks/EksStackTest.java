package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.stacks.SynthStack.Element;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code <env>-eks}: the seed's aws/eks module, its add-ons with IRSA roles, MLflow's store, EFS. */
class EksStackTest {
    static final SynthFixture F = SynthFixture.seed();
    static final Pattern REMOTE_OUTPUT = Pattern.compile("\\$\\{data\\.terraform_remote_state\\.([^.]+)\\.outputs\\.([^}]+)}");

    static SynthStack eks() {
        return F.stack("test-eks");
    }

    static Element cluster(SynthStack s) {
        return s.resource("aws_eks_cluster", "eks/cluster");
    }

    @Test
    void clusterHasTheSeedNameAndVersionOnThePrivateSubnetsOfTheVpcStack() {
        SynthStack s = eks();
        s.assertResource("aws_eks_cluster", Map.of("name", Seed.CLUSTER, "version", Seed.KUBERNETES_VERSION));
        Element cluster = cluster(s);
        assertTrue(cluster.get("/version").isTextual(), "\"1.30\" must stay a string (a number would read 1.3)");
        assertPrivateSubnetsOfTheVpcStack(s, cluster.get("/vpc_config/subnet_ids"));
        s.assertResource("aws_eks_cluster", Map.of("role_arn", s.resource("aws_iam_role", "eks/cluster_role").ref("arn")));
        assertServiceRole(s, "eks/cluster_role", "eks.amazonaws.com", List.of("AmazonEKSClusterPolicy"));
    }

    @Test
    void secretsAreEncryptedWithARotatingKmsKey() {
        SynthStack s = eks();
        // the key keeps its address (a new one would replace the key EKS cannot change) and gets a policy
        Element key = s.resource("aws_kms_key", "eks/secrets_key");
        assertEquals("aws_kms_key.eks_secrets_key_310609D6", key.address());
        assertTrue(key.get("/enable_key_rotation").booleanValue(), "key rotation");
        assertKeyPolicy(key, List.of("AccountAdministersThroughIam"));
        s.assertResource("aws_eks_cluster", Map.of("encryption_config", Map.of(
                "resources", List.of("secrets"), "provider", Map.of("key_arn", key.ref("arn")))));
        s.assertResource("aws_kms_alias", Map.of("name", "alias/" + Seed.CLUSTER + "-secrets", "target_key_id", key.ref("key_id")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test-eks", "local-eks"})
    void theDeployingIdentityIsClusterAdminThroughAnAccessEntry(String stack) {
        SynthStack s = F.stack(stack);
        s.assertResource("aws_eks_cluster", Map.of("access_config", Map.of(
                "authentication_mode", "API_AND_CONFIG_MAP",
                "bootstrap_cluster_creator_admin_permissions", true)));
    }

    @Test
    void controlPlaneLogsAndEndpointAccessFollowTheConfig() {
        SynthStack s = eks();
        EnvConfig.Cluster c = F.env("test").cluster();
        assertFalse(c.logTypes().isEmpty(), "log types by default");
        Element cluster = cluster(s);
        assertEquals(c.logTypes(), EnvStackTest.textList(cluster.get("/enabled_cluster_log_types")));
        s.assertResource("aws_eks_cluster", Map.of("vpc_config", Map.of(
                "endpoint_public_access", c.endpointPublicAccess(),
                "endpoint_private_access", c.endpointPrivateAccess(),
                "public_access_cidrs", c.publicAccessCidrs())));
        // the log group exists before the cluster, so EKS does not create a never-expiring one
        Element logs = s.resource("aws_cloudwatch_log_group", "eks/cluster_logs");
        assertEquals("/aws/eks/" + Seed.CLUSTER + "/cluster", logs.get("/name").asText());
        assertEquals(365, logs.get("/retention_in_days").asInt(), "log_retention_days by default");
        // encrypted with a key of its own, whose policy lets CloudWatch Logs use it for this group only
        Element logsKey = s.resource("aws_kms_key", "eks/logs_key/key");
        assertEquals(logsKey.ref("arn"), logs.get("/kms_key_id").asText());
        assertTrue(logsKey.get("/enable_key_rotation").booleanValue());
        assertKeyPolicy(logsKey, List.of("AccountAdministersThroughIam", "CloudWatchLogsEncrypts"));
        assertTrue(logsKey.get("/policy").asText().contains(":log-group:/aws/eks/" + Seed.CLUSTER + "/cluster*"),
                logsKey.get("/policy").asText());
        assertEquals(List.of("api", "audit", "authenticator", "controllerManager", "scheduler"), c.logTypes(),
                "all five control-plane log types by default");
        assertTrue(EnvStackTest.textList(cluster.get("/depends_on")).contains(logs.address()), "cluster depends on its log group");
    }

    @Test
    void nodeGroupHasTheSeedsGpuSizingOnThePrivateSubnets() {
        SynthStack s = eks();
        Element group = s.only("aws_eks_node_group");
        s.assertResource("aws_eks_node_group", Map.of(
                "cluster_name", cluster(s).ref("name"),
                "ami_type", Seed.AMI_TYPE,
                "capacity_type", Seed.CAPACITY_TYPE,
                "instance_types", Seed.INSTANCE_TYPES,
                "scaling_config", Map.of("min_size", Seed.MIN_SIZE, "desired_size", Seed.DESIRED_SIZE, "max_size", Seed.MAX_SIZE),
                "labels", Map.of("nvidia.com/gpu.present", "true", "bridgeai.io/accelerator", "nvidia"),
                "node_role_arn", s.resource("aws_iam_role", "eks/node_role").ref("arn")));
        assertPrivateSubnetsOfTheVpcStack(s, group.get("/subnet_ids"));
        assertFalse(group.config().has("taint"), "no GPU taint unless gpu_taint: true");
        // managed node groups refuse disk_size together with a launch template
        assertFalse(group.config().has("disk_size"));

        Element tainted = SynthFixture.variant().stack("test-eks").only("aws_eks_node_group");
        assertEquals(CanonicalJson.parse("[{\"effect\":\"NO_SCHEDULE\",\"key\":\"nvidia.com/gpu\",\"value\":\"true\"}]"),
                tainted.get("/taint"), "gpu_taint: true");
    }

    @Test
    void nodesBootFromAnEncryptedGp3RootVolumeWithImdsV2Only() {
        SynthStack s = eks();
        Element template = s.only("aws_launch_template");
        s.assertResource("aws_launch_template", Map.of(
                "block_device_mappings", List.of(Map.of(
                        "device_name", "/dev/xvda", // the AL2 root device
                        "ebs", Map.of("volume_type", "gp3", "encrypted", "true",
                                "volume_size", F.env("test").cluster().nodeGroup().diskSizeGib()))),
                // hop limit 1: pods (IRSA) cannot reach the node role through IMDS; host-network pods still can
                "metadata_options", Map.of("http_endpoint", "enabled", "http_tokens", "required",
                        "http_put_response_hop_limit", 1)));
        s.assertResource("aws_eks_node_group", Map.of("launch_template", Map.of(
                "id", template.ref("id"),
                "version", "${tostring(" + template.address() + ".latest_version)}")));
    }

    @Test
    void nodeRoleHasTheWorkerCniAndRegistryPolicies() {
        SynthStack s = eks();
        List<String> attachments = assertServiceRole(s, "eks/node_role", "ec2.amazonaws.com",
                List.of("AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"));
        // nodes must not join before their policies are attached
        assertTrue(EnvStackTest.textList(s.only("aws_eks_node_group").get("/depends_on")).containsAll(attachments));
    }

    @Test
    void oidcProviderTrustsTheClusterIssuerForSts() {
        SynthStack s = eks();
        s.assertResource("aws_iam_openid_connect_provider", Map.of(
                "url", cluster(s).ref("identity[0].oidc[0].issuer"),
                "client_id_list", List.of("sts.amazonaws.com")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "aws-ebs-csi-driver, v1.32.0-eksbuild.1, AmazonEKS_EBS_CSI_DriverRole, ebs-csi-controller-sa, AmazonEBSCSIDriverPolicy",
            "aws-efs-csi-driver, v2.0.5-eksbuild.1, AmazonEKS_EFS_CSI_DriverRole, efs-csi-*, AmazonEFSCSIDriverPolicy"})
    void seedAddOnRunsAsTheIrsaRoleOfItsPlaceholderArn(String addon, String version, String roleName, String serviceAccount,
                                                       String policy) {
        SynthStack s = eks();
        Element role = roleNamed(s, roleName);
        s.assertResource("aws_eks_addon", Map.of(
                "addon_name", addon,
                "addon_version", version,
                "cluster_name", cluster(s).ref("name"),
                "service_account_role_arn", role.ref("arn")));
        assertIrsaTrust(s, role, "kube-system", serviceAccount);
        assertManagedPolicy(s, role, "service-role/" + policy);
        assertEquals(role.ref("arn"), s.output("addon_role_arns").path("value").path(addon).asText());
    }

    @Test
    void theSeedsAddOnsAndVpcCniAndNoOthers() {
        SynthStack s = eks();
        List<String> addons = s.resources("aws_eks_addon").stream().map(a -> a.get("/addon_name").asText()).toList();
        // vpc-cni: added for network policy enforcement (env/test has GitOps), see the test below
        assertEquals(List.of(Seed.EBS_ADDON, Seed.EFS_ADDON, "vpc-cni"), addons.stream().sorted().toList());
        assertEquals(Set.of(Seed.EBS_ADDON, Seed.EFS_ADDON), fieldNameSet(s.output("addon_role_arns").path("value")));
        assertEquals(Seed.EBS_VERSION, addon(s, Seed.EBS_ADDON).get("/addon_version").asText());
        assertEquals(Seed.EFS_VERSION, addon(s, Seed.EFS_ADDON).get("/addon_version").asText());
    }

    /**
     * Flux's NetworkPolicies are enforced: amazon-vpc-cni-k8s network-policy FAQ, "network policies
     * are not enabled by default"; an env with GitOps manages vpc-cni as an EKS add-on with
     * {@code enableNetworkPolicy}, created with the cluster (a node-level add-on) and before the
     * node group, so nodes boot with the network policy agent. The emulated env (no GitOps, no add-on
     * API) has none.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test-eks", "prod-eks"})
    void vpcCniEnforcesNetworkPoliciesOnEnvsWithGitOps(String stack) {
        SynthStack s = F.stack(stack);
        Element cni = addon(s, "vpc-cni");
        assertEquals("{\"enableNetworkPolicy\":\"true\"}", cni.get("/configuration_values").asText(), cni.config()::toString);
        assertEquals(cluster(s).ref("name"), cni.get("/cluster_name").asText());
        // not in env.yaml: AWS's default version for the cluster's Kubernetes version, read at plan time
        Element version = s.dataSource("aws_eks_addon_version", "eks/addon_version_vpc-cni");
        assertEquals("vpc-cni", version.get("/addon_name").asText());
        assertFalse(version.get("/most_recent").asBoolean(), "default, not latest");
        assertEquals(version.ref("version"), cni.get("/addon_version").asText());
        assertFalse(cni.config().has("service_account_role_arn"), "vpc-cni runs on the node role");
        // before compute: no wait for the node group; the node group waits for it
        assertTrue(cni.get("/depends_on").isMissingNode(), cni.config()::toString);
        Element nodes = s.only("aws_eks_node_group");
        assertTrue(EnvStackTest.textList(nodes.get("/depends_on")).contains(cni.address()), nodes.config()::toString);
        // the other add-ons still wait for the nodes and carry no configuration
        for (String other : List.of(Seed.EBS_ADDON, Seed.EFS_ADDON)) {
            assertEquals(List.of(nodes.address()), EnvStackTest.textList(addon(s, other).get("/depends_on")));
            assertFalse(addon(s, other).config().has("configuration_values"));
        }
        assertEquals(1, s.resources("aws_eks_addon").stream().filter(a -> a.get("/addon_name").asText().equals("vpc-cni")).count());
    }

    @Test
    void aListedVpcCniKeepsItsVersionAndGetsNetworkPolicy() {
        // the variant lists vpc-cni at "latest" and has GitOps
        SynthStack s = SynthFixture.variant().stack("test-eks");
        Element cni = addon(s, "vpc-cni");
        assertTrue(s.dataSource("aws_eks_addon_version", "eks/addon_version_vpc-cni").get("/most_recent").asBoolean());
        assertEquals("{\"enableNetworkPolicy\":\"true\"}", cni.get("/configuration_values").asText(), cni.config()::toString);
        assertEquals(1, s.resources("aws_eks_addon").stream().filter(a -> a.get("/addon_name").asText().equals("vpc-cni")).count());
        // without GitOps (the emulated env) nothing is added: no vpc-cni role, no add-on
        F.stack("local-eks").assertNoResource("aws_eks_addon");
    }

    /**
     * EKS API UpgradePolicyRequest: "The default value is EXTENDED" for clusters created through the
     * API: the cluster always carries its upgrade policy, STANDARD unless env.yaml says EXTENDED.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test-eks", "prod-eks", "local-eks"})
    void theClusterAlwaysCarriesItsUpgradePolicyStandardByDefault(String stack) {
        Element cluster = cluster(F.stack(stack));
        assertEquals("STANDARD", cluster.get("/upgrade_policy/support_type").asText(), cluster.config()::toString);
    }

    /**
     * checkov's CKV_AWS_38 (endpoint open to 0.0.0.0/0) is judged per env: waived only on the
     * cluster of an env whose file sets public_access_open_to_world: true (env/test), with the
     * file named as the reason; prod's cluster waives nothing.
     */
    @Test
    void onlyAnEnvThatOpensItsEndpointOnPurposeWaivesCheckovsOpenEndpointCheck() {
        SynthStack test = eks();
        JsonNode skip = test.tree().path("resource").path("aws_eks_cluster").path(cluster(test).id()).path("//")
                .path("checkov").path("skip");
        assertEquals(1, skip.size(), skip::toString);
        assertEquals("CKV_AWS_38", skip.get(0).path("id").asText());
        assertTrue(skip.get(0).path("comment").asText().startsWith(
                "env/test/env.yaml sets public_access_open_to_world: true"), skip::toString);
        for (String other : List.of("prod-eks", "local-eks")) {
            SynthStack s = F.stack(other);
            assertTrue(s.tree().path("resource").path("aws_eks_cluster").path(cluster(s).id()).path("//").path("checkov")
                    .isMissingNode(), other);
        }
    }

    /** The other ways an add-on gets its role, end to end (unit cases: EksStackAddonTest). */
    @Test
    void addOnRoleArnsWithoutACreatedRole() {
        SynthStack s = SynthFixture.variant().stack("test-eks");
        assertFalse(addon(s, "vpc-cni").config().has("service_account_role_arn"), "vpc-cni runs on the node role");
        // no known IRSA policy: the placeholder becomes the deploying account, read at plan time
        Element caller = s.dataSource("aws_caller_identity", "caller");
        assertEquals(SynthFixture.VARIANT_PLACEHOLDER_ARN.replace(EnvConfig.ACCOUNT_PLACEHOLDER, caller.ref("account_id")),
                addon(s, "adot").get("/service_account_role_arn").asText());
        assertEquals(SynthFixture.VARIANT_CONCRETE_ARN,
                addon(s, "aws-mountpoint-s3-csi-driver").get("/service_account_role_arn").asText());
        // roles are created for the add-ons with a known IRSA policy only: the two seed add-ons and
        // the CloudWatch observability add-on (besides the cluster's, MLflow's and the apps database's)
        Set<String> roles = new TreeSet<>();
        s.resources("aws_iam_role").forEach(r -> roles.add(r.get("/name").asText()));
        assertEquals(new TreeSet<>(List.of(Seed.CLUSTER + "-cluster", Seed.CLUSTER + "-node", Seed.EBS_ROLE, Seed.EFS_ROLE,
                Seed.CLUSTER + "-amazon-cloudwatch-observability",
                "mlops-test-mlflow", "mlops-test-apps-rds-monitoring", "mlops-test-external-secrets",
                "mlops-test-apps-database-credentials")), roles);
        assertEquals(Set.of(Seed.EBS_ADDON, Seed.EFS_ADDON, "adot", "amazon-cloudwatch-observability", "aws-mountpoint-s3-csi-driver"),
                fieldNameSet(s.output("addon_role_arns").path("value")));
    }

    @Test
    void aPathInThePlaceholderArnBecomesTheCreatedRolesPath() {
        SynthStack s = SynthFixture.variant().stack("test-eks");
        Element efs = roleNamed(s, Seed.EFS_ROLE);
        assertEquals("/" + SynthFixture.VARIANT_ROLE_PATH, efs.get("/path").asText(), "arn:…:role/service-role/<name>");
        assertIrsaTrust(s, efs, "kube-system", "efs-csi-*");
        assertFalse(roleNamed(s, Seed.EBS_ROLE).config().has("path"), "no path in the ARN: IAM's default /");
        assertEquals(efs.ref("arn"), addon(s, Seed.EFS_ADDON).get("/service_account_role_arn").asText());
    }

    /**
     * The apps' database logins live in Secrets Manager, created here without a value, under the
     * instance's credentials key (also the master secret's); External Secrets may read exactly
     * those two secrets, the credentials job exactly those and the master secret (and write the
     * two), each decrypting only through Secrets Manager. The policies are compared whole.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test-eks", "prod-eks"})
    void theAppsDatabaseLoginsAndTheRolesThatMayReadExactlyThem(String stack) {
        SynthStack s = F.stack(stack);
        String env = stack.substring(0, stack.indexOf('-'));
        Element key = s.resource("aws_kms_key", "apps_database/credentials_key/key");
        Element db = s.only("aws_db_instance");
        assertEquals(key.ref("arn"), db.get("/master_user_secret_kms_key_id").asText());
        String master = db.ref("master_user_secret[0].secret_arn");
        List<String> appSecrets = new ArrayList<>();
        for (String app : List.of("airflow", "mlflow")) {
            Element secret = s.resource("aws_secretsmanager_secret", "apps_database_access/secret_" + app);
            assertEquals("mlops-" + env + "-apps/" + app, secret.get("/name").asText());
            assertEquals(key.ref("arn"), secret.get("/kms_key_id").asText());
            assertEquals(7, secret.get("/recovery_window_in_days").asInt());
            // checkov's rotation-schedule check waived on these two alone: the in-cluster job rotates them
            JsonNode skip = s.tree().at("/resource/aws_secretsmanager_secret/" + secret.id() + "/~1~1/checkov/skip");
            assertEquals(1, skip.size(), skip::toString);
            assertEquals("CKV2_AWS_57", skip.at("/0/id").asText());
            assertEquals(EksStack.APP_LOGIN_ROTATION_REASON, skip.at("/0/comment").asText());
            appSecrets.add(secret.ref("arn"));
        }
        assertTrue(s.resources("aws_secretsmanager_secret_version").isEmpty(), "no secret value in Terraform");
        String via = "secretsmanager.eu-west-2.amazonaws.com";

        Element eso = roleNamed(s, "mlops-" + env + "-external-secrets");
        assertIrsaTrust(s, eso, "external-secrets", "external-secrets");
        assertEquals(List.of(
                        statement("ReadAppLogins", List.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"), appSecrets, null),
                        statement("DecryptThroughSecretsManager", List.of("kms:Decrypt"), List.of(key.ref("arn")), via)),
                policyStatements(s, "apps_database_access/external_secrets_policy", eso));

        Element job = roleNamed(s, "mlops-" + env + "-apps-database-credentials");
        assertIrsaTrust(s, job, "apps-database", "apps-database-credentials");
        List<String> readable = new ArrayList<>(List.of(master));
        readable.addAll(appSecrets);
        assertEquals(List.of(
                        statement("ReadMasterAndAppLogins", List.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"), readable, null),
                        statement("WriteAppLogins", List.of("secretsmanager:PutSecretValue"), appSecrets, null),
                        statement("GeneratePasswords", List.of("secretsmanager:GetRandomPassword"), List.of("*"), null),
                        statement("UseKeyThroughSecretsManager", List.of("kms:Decrypt", "kms:GenerateDataKey"), List.of(key.ref("arn")), via)),
                policyStatements(s, "apps_database_access/credentials_policy", job));
    }

    private static Map<String, Object> statement(String sid, List<String> actions, List<String> resources, String via) {
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("sid", sid);
        st.put("effect", "Allow");
        st.put("actions", actions);
        st.put("resources", resources);
        if (via != null) {
            st.put("condition", List.of(Map.of("test", "StringEquals", "variable", "kms:ViaService", "values", List.of(via))));
        }
        return st;
    }

    /** The statements of a role's inline policy, read from its policy document as plain maps. */
    private static List<Object> policyStatements(SynthStack s, String policyPath, Element role) {
        Element policy = s.resource("aws_iam_role_policy", policyPath);
        assertEquals(role.ref("id"), policy.get("/role").asText());
        Element document = s.target(policy.get("/policy").asText(), "json");
        assertEquals("aws_iam_policy_document", document.type());
        return new com.fasterxml.jackson.databind.ObjectMapper().convertValue(document.get("/statement"), List.class);
    }

    @Test
    void mlflowHasAPrivateEncryptedBucketAndAnIrsaRoleForItsServiceAccountOnly() {
        SynthStack s = eks();
        Element bucket = s.resource("aws_s3_bucket", "mlflow/bucket");
        assertEquals("mlops-test-mlflow-", bucket.get("/bucket_prefix").asText());
        s.assertResource("aws_s3_bucket_public_access_block", Map.of("bucket", bucket.ref("id"),
                "block_public_acls", true, "block_public_policy", true, "ignore_public_acls", true, "restrict_public_buckets", true));
        s.assertResource("aws_s3_bucket_server_side_encryption_configuration", Map.of("bucket", bucket.ref("id"),
                "rule", List.of(Map.of("apply_server_side_encryption_by_default", Map.of("sse_algorithm", "aws:kms"),
                        "bucket_key_enabled", true))));
        s.assertResource("aws_s3_bucket_versioning", Map.of("bucket", bucket.ref("id"),
                "versioning_configuration", Map.of("status", "Enabled")));
        s.assertResource("aws_s3_bucket_lifecycle_configuration", Map.of("bucket", bucket.ref("id"), "rule", List.of(Map.of(
                "status", "Enabled",
                "noncurrent_version_expiration", List.of(Map.of("noncurrent_days", 90)),
                "abort_incomplete_multipart_upload", List.of(Map.of("days_after_initiation", 7))))));
        // access logs into the state stack's log bucket, by its derived name (no cross-stack read)
        s.assertResource("aws_s3_bucket_logging", Map.of("bucket", bucket.ref("id"),
                "target_bucket", F.env("test").backend().accessLogBucket(), "target_prefix", "mlflow/"));
        assertEquals("tfstate-mlops-test-logs", F.env("test").backend().accessLogBucket());

        Element role = roleNamed(s, "mlops-test-mlflow");
        assertIrsaTrust(s, role, "mlflow", "mlflow"); // the namespace and service account of the GitOps tree
        Element access = s.resource("aws_iam_role_policy", "mlflow/access");
        assertEquals(role.ref("id"), access.get("/role").asText());
        String policy = access.get("/policy").asText();
        for (String expected : List.of("s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                bucket.address() + ".arn", "${" + bucket.address() + ".arn}/*")) {
            assertTrue(policy.contains(expected), () -> expected + " missing from " + policy);
        }
        assertFalse(policy.contains("\"s3:*\""), policy);
        assertEquals(bucket.ref("bucket"), s.output("mlflow_artifact_bucket").path("value").asText());
        assertEquals(role.ref("arn"), s.output("mlflow_role_arn").path("value").asText());
    }

    @Test
    void efsIsEncryptedWithAMountTargetInEveryPrivateSubnetReachableOnlyFromTheVpc() {
        SynthStack s = eks();
        Element fs = s.only("aws_efs_file_system");
        assertTrue(fs.get("/encrypted").booleanValue(), "EFS encryption at rest");
        Element efsKey = s.resource("aws_kms_key", "efs/key/key");
        assertEquals(efsKey.ref("arn"), fs.get("/kms_key_id").asText(), "a customer key, not aws/elasticfilesystem");
        assertKeyPolicy(efsKey, List.of("AccountAdministersThroughIam"));
        Element nfs = s.resource("aws_security_group", "efs/nfs");
        List<Element> targets = s.resources("aws_efs_mount_target");
        List<String> subnets = new ArrayList<>();
        for (Element t : targets) {
            assertEquals(fs.ref("id"), t.get("/file_system_id").asText());
            assertEquals(List.of(nfs.ref("id")), EnvStackTest.textList(t.get("/security_groups")));
            subnets.add(t.get("/subnet_id").asText());
        }
        assertPrivateSubnetsOfTheVpcStack(s, CanonicalJson.MAPPER.valueToTree(subnets));

        SynthStack vpc = F.stack("test-vpc");
        assertEquals(vpc.only("aws_vpc").ref("id"), acrossStacks(s, vpc, nfs.get("/vpc_id").asText()));
        JsonNode ingress = nfs.get("/ingress");
        assertEquals(1, ingress.size());
        assertEquals(2049, ingress.at("/0/from_port").asInt());
        assertEquals(2049, ingress.at("/0/to_port").asInt());
        assertEquals("tcp", ingress.at("/0/protocol").asText());
        assertEquals(1, ingress.at("/0/cidr_blocks").size());
        assertEquals(vpc.only("aws_vpc").ref("cidr_block"), acrossStacks(s, vpc, ingress.at("/0/cidr_blocks/0").asText()));
    }

    @Test
    void outputsIncludeTheSeedsUpdateKubeconfigCommand() {
        SynthStack s = eks();
        for (String name : List.of("cluster_name", "cluster_endpoint", "cluster_certificate_authority", "oidc_issuer_url",
                "oidc_provider_arn", "node_role_arn", "addon_role_arns", "mlflow_artifact_bucket", "mlflow_role_arn",
                "update_kubeconfig_command")) {
            s.output(name);
        }
        assertEquals(cluster(s).ref("name"), s.output("cluster_name").path("value").asText());
        assertEquals(cluster(s).ref("endpoint"), s.output("cluster_endpoint").path("value").asText());
        assertEquals("aws eks update-kubeconfig --region eu-west-2 --name mlops-test-cluster --profile digicat-mlops",
                resolveClusterName(s, s.output("update_kubeconfig_command").path("value").asText()));
    }

    // ------------------------------------------------------------ the emulated env

    @Test
    void emulatedEnvHasNoAddOnResourcesButStillTheIrsaRoles() {
        SynthStack s = F.stack("local-eks");
        s.assertNoResource("aws_eks_addon");
        s.assertResource("aws_eks_cluster", Map.of("name", "mlops-local-cluster"));
        for (String[] a : List.of(new String[] {Seed.EBS_ROLE, "ebs-csi-controller-sa"},
                new String[] {Seed.EFS_ROLE, "efs-csi-*"})) {
            Element role = roleNamed(s, a[0]);
            assertIrsaTrust(s, role, "kube-system", a[1]);
            assertEquals(role.ref("arn"), s.output("addon_role_arns").path("value").path(
                    a[0].equals(Seed.EBS_ROLE) ? Seed.EBS_ADDON : Seed.EFS_ADDON).asText());
        }
        assertEquals("aws eks update-kubeconfig --region eu-west-2 --name mlops-local-cluster",
                resolveClusterName(s, s.output("update_kubeconfig_command").path("value").asText()), "no profile locally");
        assertPrivateSubnetsOf(s, F.stack("local-vpc"), "local/vpc/terraform.tfstate", cluster(s).get("/vpc_config/subnet_ids"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"test-eks", "local-eks"})
    void emulatorWorkaroundsStayOutOfTheRealEnv(String stack) {
        SynthStack s = F.stack(stack);
        boolean emulated = stack.startsWith("local");
        assertEquals(emulated, cluster(s).config().has("lifecycle") && cluster(s).get("/lifecycle").has("ignore_changes"),
                stack + ": ignore_changes on the cluster");
        if (emulated) {
            // moto 5.2's EKS echoes access_config differently and has no upgrade policy at all
            assertEquals(List.of("access_config", "upgrade_policy"), EnvStackTest.textList(cluster(s).get("/lifecycle/ignore_changes")));
        }
        assertEquals(emulated, s.only("aws_launch_template").config().has("lifecycle"), stack + ": on the launch template");
        assertEquals(emulated, s.only("aws_eks_node_group").config().has("lifecycle"), stack + ": on the node group");
    }

    // ------------------------------------------------------------ helpers

    private static Element addon(SynthStack s, String name) {
        return s.resources("aws_eks_addon").stream().filter(a -> a.get("/addon_name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(s + ": no aws_eks_addon " + name));
    }

    private static Element roleNamed(SynthStack s, String name) {
        List<Element> roles = s.resources("aws_iam_role").stream().filter(r -> r.get("/name").asText().equals(name)).toList();
        assertEquals(1, roles.size(), () -> s + ": roles named " + name + " among "
                + s.resources("aws_iam_role").stream().map(r -> r.get("/name").asText()).toList());
        return roles.get(0);
    }

    /**
     * An IRSA trust policy: only AssumeRoleWithWebIdentity, only through the cluster's OIDC
     * provider, only for system:serviceaccount:namespace:name, only with the STS audience.
     */
    static void assertIrsaTrust(SynthStack s, Element role, String namespace, String serviceAccount) {
        Element trust = s.target(role.get("/assume_role_policy").asText(), "json");
        assertEquals("aws_iam_policy_document", trust.type());
        JsonNode statements = trust.get("/statement");
        assertEquals(1, statements.size(), role.address());
        JsonNode st = statements.get(0);
        assertEquals("Allow", st.path("effect").asText("Allow"));
        assertEquals(List.of("sts:AssumeRoleWithWebIdentity"), EnvStackTest.textList(st.path("actions")));
        assertEquals(1, st.path("principals").size());
        assertEquals("Federated", st.at("/principals/0/type").asText());
        Element oidc = s.only("aws_iam_openid_connect_provider");
        assertEquals(List.of(oidc.ref("arn")), EnvStackTest.textList(st.at("/principals/0/identifiers")));

        // the condition keys are the issuer without https://, as IAM names them
        String issuer = "${replace(" + cluster(s).address() + ".identity[0].oidc[0].issuer, \"https://\", \"\")}";
        Map<String, List<String>> conditions = new LinkedHashMap<>();
        // StringEquals for one service account; StringLike only for a pattern, as the EKS user guide
        // writes the EFS CSI driver's trust ("system:serviceaccount:kube-system:efs-csi-*": its
        // controller and node service accounts)
        st.path("condition").forEach(c -> {
            boolean sub = c.path("variable").asText().endsWith(":sub");
            assertEquals(sub && serviceAccount.contains("*") ? "StringLike" : "StringEquals", c.path("test").asText(), c.toString());
            conditions.put(c.path("variable").asText(), EnvStackTest.textList(c.path("values")));
        });
        assertEquals(Map.of(
                issuer + ":sub", List.of("system:serviceaccount:" + namespace + ":" + serviceAccount),
                issuer + ":aud", List.of("sts.amazonaws.com")), conditions, role.address());
    }

    static String assertManagedPolicy(SynthStack s, Element role, String policy) {
        Element partition = s.dataSource("aws_partition", "eks/partition");
        String arn = "arn:" + partition.ref("partition") + ":iam::aws:policy/" + policy;
        List<Element> found = s.resources("aws_iam_role_policy_attachment").stream()
                .filter(a -> a.get("/role").asText().equals(role.ref("name")) && a.get("/policy_arn").asText().equals(arn))
                .toList();
        assertEquals(1, found.size(), () -> role.address() + ": expected an attachment of " + arn);
        return found.get(0).address();
    }

    /** A role assumable by an AWS service with exactly these AWS managed policies (plus SSM on nodes). */
    private static List<String> assertServiceRole(SynthStack s, String path, String service, List<String> policies) {
        Element role = s.resource("aws_iam_role", path);
        String trust = role.get("/assume_role_policy").asText();
        assertTrue(trust.startsWith("${jsonencode(") && trust.contains("\"Service\" = \"" + service + "\"")
                && trust.contains("\"Action\" = \"sts:AssumeRole\"") && trust.contains("\"Effect\" = \"Allow\""), trust);
        List<String> attachments = new ArrayList<>();
        for (String policy : policies) {
            attachments.add(assertManagedPolicy(s, role, policy));
        }
        return attachments;
    }

    /** Subnet ids must be the VPC stack's private subnets, read through remote state (never literal ids). */
    static void assertPrivateSubnetsOfTheVpcStack(SynthStack s, JsonNode subnetIds) {
        String env = s.name().substring(0, s.name().indexOf('-'));
        assertPrivateSubnetsOf(s, F.stack(env + "-vpc"), env + "/vpc/terraform.tfstate", subnetIds);
    }

    static void assertPrivateSubnetsOf(SynthStack s, SynthStack vpc, String key, JsonNode subnetIds) {
        assertEquals(Seed.AZS.size(), subnetIds.size(), s + " subnets: " + subnetIds);
        for (int i = 0; i < Seed.AZS.size(); i++) {
            String id = subnetIds.get(i).asText();
            Matcher m = REMOTE_OUTPUT.matcher(id);
            assertTrue(m.matches(), () -> s + ": expected a cross-stack reference, found " + id);
            assertEquals(key, s.tree().path("data").path("terraform_remote_state").path(m.group(1)).at("/config/key").asText());
            assertEquals(VpcStackTest.privateSubnet(vpc, Seed.AZS.get(i)).ref("id"), acrossStacks(s, vpc, id));
        }
    }

    /**
     * What a {@code ${data.terraform_remote_state.X.outputs.Y}} in {@code consumer} reads: the
     * value of output Y of {@code producer}, after checking that X reads the producer's state.
     */
    private static String acrossStacks(SynthStack consumer, SynthStack producer, String reference) {
        Matcher m = REMOTE_OUTPUT.matcher(reference);
        assertTrue(m.matches(), () -> consumer + ": expected a cross-stack reference, found " + reference);
        JsonNode remote = consumer.tree().path("data").path("terraform_remote_state").path(m.group(1));
        assertEquals("s3", remote.path("backend").asText(), reference);
        JsonNode producerBackend = producer.backend().path("s3");
        for (String field : List.of("bucket", "key", "region")) {
            assertEquals(producerBackend.path(field), remote.path("config").path(field), reference + " " + field);
        }
        return producer.output(m.group(2)).path("value").asText();
    }

    /** Replaces the one {@code ${aws_eks_cluster.X.name}} with the name that cluster is given. */
    private static String resolveClusterName(SynthStack s, String text) {
        String ref = cluster(s).ref("name");
        assertTrue(text.contains(ref), () -> "expected " + ref + " in " + text);
        return text.replace(ref, cluster(s).get("/name").asText());
    }

    private static Set<String> fieldNameSet(JsonNode node) {
        return new TreeSet<>(EnvStackTest.fieldNames(node));
    }

    /** The key's policy (a jsonencode expression) has exactly these statement ids, rotation is on. */
    static void assertKeyPolicy(Element key, List<String> sids) {
        String policy = key.get("/policy").asText();
        assertTrue(policy.startsWith("${jsonencode("), policy);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"Sid\"\\s*=\\s*\"([A-Za-z]+)\"").matcher(policy);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertEquals(sids, found, policy);
        assertTrue(policy.contains("\"AWS\" = \"arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.caller.account_id}:root\""), policy);
        assertTrue(key.get("/enable_key_rotation").booleanValue());
    }
}
