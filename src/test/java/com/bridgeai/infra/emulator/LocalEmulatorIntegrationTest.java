package com.bridgeai.infra.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.Main;
import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.bridgeai.infra.stacks.CiStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The AWS stacks of env/local for real: moto on a free loopback port, the state stack
 * bootstrapped, vpc and eks applied with the S3 backend and DynamoDB lock through
 * bin/tf-stacks (the script the README's main job uses), checked through the AWS API,
 * re-planned, locked, interrupted, drifted and destroyed. The steps share one emulator
 * and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalEmulatorIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ENV = "local";
    static final String CLUSTER = "mlops-local-cluster";

    static Path work;
    static MotoServer moto;
    static Path outdir;
    static EmulatorCli cli;
    static Map<String, String> env;
    static Map<String, Long> seconds = new HashMap<>();

    @BeforeAll
    static void startEmulatorAndSynth() throws Exception {
        work = Files.createTempDirectory("bridgeai-emulator-");
        moto = MotoServer.start(work.resolve("moto.log"));
        // env/local/env.yaml as committed, pointed at this test's emulator port
        Path envRoot = Files.createDirectories(work.resolve("env").resolve(ENV));
        String yaml = Files.readString(Path.of("env", ENV, "env.yaml"))
                .replaceFirst("emulator_endpoint: \"[^\"]*\"", "emulator_endpoint: \"" + moto.endpoint() + "\"");
        Files.writeString(envRoot.resolve("env.yaml"), yaml);
        List<EnvConfig> envs = EnvConfigLoader.loadAll(work.resolve("env"), Set.of(ENV));
        outdir = work.resolve("cdktf.out");
        Main.synth(envs, outdir); // same JVM + jsii kernel as the other tests

        cli = new EmulatorCli(moto, outdir);
        env = cli.env();
    }

    @AfterAll
    static void stopEmulator() throws Exception {
        if (moto != null) {
            moto.close();
            assertTrue(ProcessHandle.of(moto.pid()).map(h -> !h.isAlive()).orElse(true), "moto stopped");
        }
        System.out.println("emulator round trip (s): " + seconds);
    }

    @Test
    @Order(1)
    void bootstrapsStateThenAppliesVpcAndEks() throws Exception {
        long t0 = System.nanoTime();
        String out = stacks("up", ENV, ENV + "-state").ok(600);
        seconds.put("apply state", secondsSince(t0));
        assertTrue(out.contains("Apply complete!"), out);

        // the CI stack: GitHub's OIDC provider, the plan role (+ read-only, + state read), the saved
        // plans' KMS key (+ alias), the apply role's boundary and the apply role (+ administrator)
        t0 = System.nanoTime();
        out = stacks("up", ENV, ENV + "-ci").ok(600);
        seconds.put("apply ci", secondsSince(t0));
        assertTrue(out.contains("Apply complete! Resources: 9 added"), out);

        t0 = System.nanoTime();
        out = stacks("up", ENV, ENV + "-vpc").ok(600);
        seconds.put("apply vpc", secondsSince(t0));
        int vpcResources = JSON.readTree(outdir.resolve("stacks").resolve(ENV + "-vpc").resolve("cdk.tf.json").toFile())
                .path("resource").findParents("//").size();
        assertTrue(out.contains("Apply complete! Resources: " + vpcResources + " added"), vpcResources + "\n" + out);

        t0 = System.nanoTime();
        out = stacks("up", ENV, ENV + "-eks").ok(900);
        seconds.put("apply eks", secondsSince(t0));
        assertTrue(out.contains("Apply complete!"), out);

        // state and lock live in the emulated bucket and table the state stack created
        JsonNode objects = aws("s3api", "list-objects-v2", "--bucket", "tfstate-mlops-local");
        Set<String> keys = new TreeSet<>();
        objects.path("Contents").forEach(o -> keys.add(o.path("Key").asText()));
        assertEquals(Set.of("local/ci/terraform.tfstate", "local/vpc/terraform.tfstate", "local/eks/terraform.tfstate"), keys);
        // every state object is SSE-KMS under the env's state key: the backend's kms_key_id (with
        // encrypt = true alone the S3 backend would put them as AES256, whatever the bucket's default)
        String stateKeyArn = aws("kms", "describe-key", "--key-id", "alias/mlops-local-tfstate").at("/KeyMetadata/Arn").asText();
        String stateKeyId = aws("kms", "describe-key", "--key-id", "alias/mlops-local-tfstate").at("/KeyMetadata/KeyId").asText();
        for (String key : keys) {
            JsonNode head = aws("s3api", "head-object", "--bucket", "tfstate-mlops-local", "--key", key);
            assertEquals("aws:kms", head.path("ServerSideEncryption").asText(), () -> key + ": " + head);
            String used = head.path("SSEKMSKeyId").asText();
            assertTrue(used.equals(stateKeyArn) || used.endsWith(stateKeyId) || used.equals("alias/mlops-local-tfstate"),
                    () -> key + " encrypted with " + used + ", not the state key " + stateKeyArn);
        }
        assertEquals("LockID", aws("dynamodb", "describe-table", "--table-name", "terraform-state-locks")
                .at("/Table/KeySchema/0/AttributeName").asText());
    }

    @Test
    @Order(2)
    void theStateBucketAndLockTableAreHardened() throws Exception {
        String bucket = "tfstate-mlops-local";
        assertEquals("Enabled", aws("s3api", "get-bucket-versioning", "--bucket", bucket).path("Status").asText());
        JsonNode stateSse = aws("s3api", "get-bucket-encryption", "--bucket", bucket)
                .at("/ServerSideEncryptionConfiguration/Rules/0/ApplyServerSideEncryptionByDefault");
        assertEquals("aws:kms", stateSse.path("SSEAlgorithm").asText(), stateSse::toString);
        assertEquals(aws("kms", "describe-key", "--key-id", "alias/mlops-local-tfstate").at("/KeyMetadata/Arn").asText(),
                stateSse.path("KMSMasterKeyID").asText(), "the state key is the bucket's default too");
        JsonNode block = aws("s3api", "get-public-access-block", "--bucket", bucket).path("PublicAccessBlockConfiguration");
        for (String flag : List.of("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")) {
            assertTrue(block.path(flag).asBoolean(), flag + " in " + block);
        }
        assertEquals(90, aws("s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket)
                .at("/Rules/0/NoncurrentVersionExpiration/NoncurrentDays").asInt());
        // moto stores but does not enforce the public access block (a public-read ACL is accepted) nor,
        // correctly, the TLS-only policy (see StateStack): enforcement is checked on configuration only
        assertEquals("ENABLED", aws("dynamodb", "describe-continuous-backups", "--table-name", "terraform-state-locks")
                .at("/ContinuousBackupsDescription/PointInTimeRecoveryDescription/PointInTimeRecoveryStatus").asText());
        assertEquals("PAY_PER_REQUEST", aws("dynamodb", "describe-table", "--table-name", "terraform-state-locks")
                .at("/Table/BillingModeSummary/BillingMode").asText());

        // the access-log bucket: receives the state bucket's logs, private, SSE-S3 (S3 server access
        // logging delivers into no SSE-KMS bucket), versioned, expiring
        String logs = "tfstate-mlops-local-logs";
        JsonNode logging = aws("s3api", "get-bucket-logging", "--bucket", bucket).path("LoggingEnabled");
        assertEquals(logs, logging.path("TargetBucket").asText(), logging::toString);
        assertEquals("state/", logging.path("TargetPrefix").asText());
        assertEquals("Enabled", aws("s3api", "get-bucket-versioning", "--bucket", logs).path("Status").asText());
        JsonNode sse = aws("s3api", "get-bucket-encryption", "--bucket", logs)
                .at("/ServerSideEncryptionConfiguration/Rules/0/ApplyServerSideEncryptionByDefault");
        assertEquals("AES256", sse.path("SSEAlgorithm").asText(), sse::toString);
        assertTrue(sse.path("KMSMasterKeyID").isMissingNode(), sse::toString);
        JsonNode logBlock = aws("s3api", "get-public-access-block", "--bucket", logs).path("PublicAccessBlockConfiguration");
        for (String flag : List.of("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")) {
            assertTrue(logBlock.path(flag).asBoolean(), flag + " in " + logBlock);
        }
        assertEquals(365, aws("s3api", "get-bucket-lifecycle-configuration", "--bucket", logs)
                .at("/Rules/0/Expiration/Days").asInt());
        assertTrue(aws("s3api", "get-bucket-policy", "--bucket", logs).path("Policy").asText()
                .contains("logging.s3.amazonaws.com"));
        assertEquals(JSON.createObjectNode(), aws("s3api", "get-bucket-logging", "--bucket", logs), "the log bucket does not log");
    }

    @Test
    @Order(3)
    void theSecurityBaselineIsApplied() throws Exception {
        String vpcId = aws("ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.155.48.0/20").at("/Vpcs/0/VpcId").asText();
        // the default security group has no rule left
        JsonNode dflt = aws("ec2", "describe-security-groups", "--filters", "Name=vpc-id,Values=" + vpcId,
                "Name=group-name,Values=default").at("/SecurityGroups/0");
        assertEquals(0, dflt.path("IpPermissions").size(), dflt::toString);
        assertEquals(0, dflt.path("IpPermissionsEgress").size(), dflt::toString);
        // flow logs into a KMS-encrypted log group kept a year; the control-plane log group alike
        JsonNode flow = aws("ec2", "describe-flow-logs", "--filter", "Name=resource-id,Values=" + vpcId).at("/FlowLogs/0");
        assertTrue(flow.path("LogDestination").asText().endsWith(":log-group:/aws/vpc/mlops-local/flow-logs"), flow::toString);
        assertEquals("ALL", flow.path("TrafficType").asText());
        for (String group : List.of("/aws/vpc/mlops-local/flow-logs", "/aws/eks/" + CLUSTER + "/cluster")) {
            JsonNode g = aws("logs", "describe-log-groups", "--log-group-name-prefix", group).at("/logGroups/0");
            assertEquals(365, g.path("retentionInDays").asInt(), g::toString);
            String key = g.path("kmsKeyId").asText();
            assertTrue(keyPolicy(key).contains("logs.eu-west-2.amazonaws.com"), () -> group + ": " + g);
        }
        // every key of the env has an explicit policy and rotates
        JsonNode cluster = aws("eks", "describe-cluster", "--name", CLUSTER).path("cluster");
        String secretsKey = cluster.at("/encryptionConfig/0/provider/keyArn").asText();
        assertTrue(keyPolicy(secretsKey).contains("AccountAdministersThroughIam"), secretsKey);
        assertTrue(aws("kms", "get-key-rotation-status", "--key-id", secretsKey).path("KeyRotationEnabled").asBoolean());
        // EFS on a customer key of its own
        JsonNode fs = aws("efs", "describe-file-systems").at("/FileSystems/0");
        assertTrue(fs.path("Encrypted").asBoolean(), fs::toString);
        assertTrue(keyPolicy(fs.path("KmsKeyId").asText()).contains("AccountAdministersThroughIam"), fs::toString);
        // MLflow's bucket: versioned, SSE-KMS, lifecycle, access logs into the log bucket
        String mlflow = names(aws("s3api", "list-buckets").path("Buckets"), "Name").stream()
                .filter(b -> b.startsWith("mlops-local-mlflow-")).findFirst().orElseThrow();
        assertEquals("Enabled", aws("s3api", "get-bucket-versioning", "--bucket", mlflow).path("Status").asText());
        assertEquals("aws:kms", aws("s3api", "get-bucket-encryption", "--bucket", mlflow)
                .at("/ServerSideEncryptionConfiguration/Rules/0/ApplyServerSideEncryptionByDefault/SSEAlgorithm").asText());
        JsonNode rule = aws("s3api", "get-bucket-lifecycle-configuration", "--bucket", mlflow).at("/Rules/0");
        assertEquals(90, rule.at("/NoncurrentVersionExpiration/NoncurrentDays").asInt(), rule::toString);
        assertEquals(7, rule.at("/AbortIncompleteMultipartUpload/DaysAfterInitiation").asInt(), rule::toString);
        JsonNode logging = aws("s3api", "get-bucket-logging", "--bucket", mlflow).path("LoggingEnabled");
        assertEquals("tfstate-mlops-local-logs", logging.path("TargetBucket").asText(), logging::toString);
        assertEquals("mlflow/", logging.path("TargetPrefix").asText());
        // IMDSv2 only, hop limit 1
        JsonNode lt = aws("ec2", "describe-launch-template-versions", "--launch-template-name",
                aws("ec2", "describe-launch-templates").at("/LaunchTemplates/0/LaunchTemplateName").asText(),
                "--versions", "$Latest").at("/LaunchTemplateVersions/0/LaunchTemplateData/MetadataOptions");
        assertEquals("required", lt.path("HttpTokens").asText(), lt::toString);
        assertEquals(1, lt.path("HttpPutResponseHopLimit").asInt(), lt::toString);
    }

    static String keyPolicy(String keyIdOrArn) throws Exception {
        return aws("kms", "get-key-policy", "--key-id", keyIdOrArn, "--policy-name", "default").path("Policy").asText();
    }

    @Test
    @Order(4)
    void theAwsApiShowsWhatEnvYamlSays() throws Exception {
        JsonNode vpcs = aws("ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.155.48.0/20").path("Vpcs");
        assertEquals(1, vpcs.size(), vpcs::toString);
        JsonNode vpc = vpcs.get(0);
        assertEquals("local", tag(vpc, "Environment"));
        assertEquals("cdktf", tag(vpc, "ManagedBy"));
        String vpcId = vpc.path("VpcId").asText();

        JsonNode subnets = aws("ec2", "describe-subnets", "--filters", "Name=vpc-id,Values=" + vpcId).path("Subnets");
        Map<String, List<String>> cidrsByZone = new HashMap<>();
        subnets.forEach(s -> cidrsByZone.computeIfAbsent(s.path("AvailabilityZone").asText(), z -> new ArrayList<>())
                .add(s.path("CidrBlock").asText()));
        assertEquals(Set.of("eu-west-2a", "eu-west-2b"), cidrsByZone.keySet());
        cidrsByZone.values().forEach(c -> assertEquals(2, c.size(), "one public + one private subnet per AZ"));
        assertEquals(Set.of("10.155.48.0/22", "10.155.52.0/22", "10.155.56.0/22", "10.155.60.0/22"),
                new TreeSet<>(cidrsByZone.values().stream().flatMap(List::stream).toList()));
        JsonNode nats = aws("ec2", "describe-nat-gateways", "--filter", "Name=vpc-id,Values=" + vpcId).path("NatGateways");
        assertEquals(2, nats.size(), "one NAT gateway per AZ by default");

        JsonNode cluster = aws("eks", "describe-cluster", "--name", CLUSTER).path("cluster");
        assertEquals(CLUSTER, cluster.path("name").asText());
        assertEquals("1.30", cluster.path("version").asText());
        assertEquals("secrets", cluster.at("/encryptionConfig/0/resources/0").asText());

        JsonNode ng = aws("eks", "describe-nodegroup", "--cluster-name", CLUSTER,
                "--nodegroup-name", CLUSTER + "-workers").path("nodegroup");
        assertEquals(1, ng.at("/scalingConfig/minSize").asInt());
        assertEquals(1, ng.at("/scalingConfig/desiredSize").asInt());
        assertEquals(1, ng.at("/scalingConfig/maxSize").asInt());
        assertEquals("AL2_x86_64_GPU", ng.path("amiType").asText());
        assertEquals("ON_DEMAND", ng.path("capacityType").asText());
        assertEquals("g4dn.xlarge", ng.at("/instanceTypes/0").asText());
        assertEquals(1, ng.path("instanceTypes").size());

        // the cluster's provider (the other one is GitHub's, of the ci stack)
        String oidcArn = names(aws("iam", "list-open-id-connect-providers").path("OpenIDConnectProviderList"), "Arn")
                .stream().filter(arn -> !arn.endsWith("/" + CiStack.ISSUER)).findFirst().orElse("");
        assertTrue(oidcArn.contains(":oidc-provider/"), oidcArn);
        assertIrsaRole("AmazonEKS_EBS_CSI_DriverRole", oidcArn, "kube-system:ebs-csi-controller-sa",
                "AmazonEBSCSIDriverPolicy");
        assertIrsaRole("AmazonEKS_EFS_CSI_DriverRole", oidcArn, "kube-system:efs-csi-*",
                "AmazonEFSCSIDriverPolicy");
        assertIrsaRole("mlops-local-mlflow", oidcArn, "mlflow:mlflow", null);
    }

    /**
     * apps_database: rds (the default) against moto's RDS: the instance as env/local configures it,
     * its master password generated into Secrets Manager (nothing in Terraform's configuration),
     * in the private subnets, PostgreSQL admitted from the private subnets only (the emulated env's
     * stand-in for the cluster security group, which moto does not return).
     */
    @Test
    @Order(3)
    void theAppsDatabaseIsPrivateEncryptedAndItsPasswordIsInSecretsManager() throws Exception {
        JsonNode db = aws("rds", "describe-db-instances", "--db-instance-identifier", "mlops-local-apps").at("/DBInstances/0");
        assertEquals("postgres", db.path("Engine").asText());
        assertTrue(db.path("EngineVersion").asText().startsWith("17"), db::toString);
        assertEquals("db.t4g.small", db.path("DBInstanceClass").asText());
        assertTrue(db.path("StorageEncrypted").asBoolean(), db::toString);
        assertFalse(db.path("PubliclyAccessible").asBoolean(), db::toString);
        assertEquals(7, db.path("BackupRetentionPeriod").asInt(), db::toString);
        assertEquals("airflow", db.path("DBName").asText());
        String secretArn = db.at("/MasterUserSecret/SecretArn").asText();
        assertTrue(secretArn.contains(":secret:rds!db-"), db::toString);
        JsonNode secret = JSON.readTree(aws("secretsmanager", "get-secret-value", "--secret-id", secretArn)
                .path("SecretString").asText());
        assertEquals("bridgeai", db.path("MasterUsername").asText());
        // (moto 5.2 writes "admin" into the secret whatever the master username; RDS writes the real one)
        assertFalse(secret.path("username").asText().isEmpty(), secret::toString);
        assertTrue(secret.path("password").asText().length() >= 8, "a generated password");

        Set<String> subnets = new TreeSet<>();
        db.at("/DBSubnetGroup/Subnets").forEach(n -> subnets.add(n.path("SubnetIdentifier").asText()));
        Set<String> cidrs = new TreeSet<>();
        for (String id : subnets) {
            cidrs.add(aws("ec2", "describe-subnets", "--subnet-ids", id).at("/Subnets/0/CidrBlock").asText());
        }
        assertEquals(Set.of("10.155.56.0/22", "10.155.60.0/22"), cidrs, "the private subnets");
        String groupId = db.at("/VpcSecurityGroups/0/VpcSecurityGroupId").asText();
        JsonNode group = aws("ec2", "describe-security-groups", "--group-ids", groupId).at("/SecurityGroups/0");
        JsonNode ingress = group.path("IpPermissions");
        assertEquals(1, ingress.size(), group::toString);
        assertEquals(5432, ingress.get(0).path("FromPort").asInt());
        assertEquals(5432, ingress.get(0).path("ToPort").asInt());
        Set<String> sources = new TreeSet<>();
        ingress.get(0).path("IpRanges").forEach(r -> sources.add(r.path("CidrIp").asText()));
        assertEquals(Set.of("10.155.56.0/22", "10.155.60.0/22"), sources, group::toString);
        assertEquals(0, group.path("IpPermissionsEgress").size(), "no egress: " + group);

        // the hardening moto keeps (Enhanced Monitoring, Performance Insights and the parameters'
        // values it drops or does not return: README, emulator table)
        assertTrue(db.path("MultiAZ").asBoolean(), db::toString);
        assertTrue(db.path("IAMDatabaseAuthenticationEnabled").asBoolean(), db::toString);
        assertEquals(List.of("postgresql", "upgrade"), JSON.convertValue(db.path("EnabledCloudwatchLogsExports"), List.class));
        assertEquals("mlops-local-apps-postgres17", db.at("/DBParameterGroups/0/DBParameterGroupName").asText(), db::toString);
        JsonNode parameterGroup = aws("rds", "describe-db-parameter-groups", "--db-parameter-group-name",
                "mlops-local-apps-postgres17").at("/DBParameterGroups/0");
        assertEquals("postgres17", parameterGroup.path("DBParameterGroupFamily").asText(), parameterGroup::toString);
        for (String log : List.of("postgresql", "upgrade")) {
            String name = "/aws/rds/instance/mlops-local-apps/" + log;
            JsonNode g = aws("logs", "describe-log-groups", "--log-group-name-prefix", name).at("/logGroups/0");
            assertEquals(name, g.path("logGroupName").asText(), g::toString);
            assertEquals(365, g.path("retentionInDays").asInt(), g::toString);
            assertTrue(keyPolicy(g.path("kmsKeyId").asText()).contains("/aws/rds/instance/mlops-local-apps/*"), g::toString);
        }
        // the apps' own logins: two secrets under the master secret's customer key, created without a
        // value (the in-cluster credentials job writes them), and the two IRSA roles that may read them
        String credentialsKey = aws("kms", "describe-key", "--key-id", "alias/mlops-local-apps-db-credentials")
                .at("/KeyMetadata/Arn").asText();
        assertEquals(credentialsKey, aws("secretsmanager", "describe-secret", "--secret-id", secretArn).path("KmsKeyId").asText(),
                "the master secret is under the credentials key");
        for (String app : List.of("airflow", "mlflow")) {
            JsonNode login = aws("secretsmanager", "describe-secret", "--secret-id", "mlops-local-apps/" + app);
            assertEquals(credentialsKey, login.path("KmsKeyId").asText(), login::toString);
            assertTrue(login.path("VersionIdsToStages").isMissingNode() || login.path("VersionIdsToStages").isEmpty(),
                    "no value from Terraform: " + login);
        }
        for (String[] role : List.of(new String[] {"mlops-local-external-secrets", "read-apps-database-secrets",
                "system:serviceaccount:external-secrets:external-secrets"},
                new String[] {"mlops-local-apps-database-credentials", "manage-apps-database-logins",
                        "system:serviceaccount:apps-database:apps-database-credentials"})) {
            String trust = aws("iam", "get-role", "--role-name", role[0]).at("/Role/AssumeRolePolicyDocument").toString();
            assertTrue(trust.contains(role[2]), trust);
            JsonNode document = aws("iam", "get-role-policy", "--role-name", role[0], "--policy-name", role[1]).path("PolicyDocument");
            String text = document.toString();
            assertTrue(text.contains(":secret:mlops-local-apps/airflow") && text.contains(":secret:mlops-local-apps/mlflow"), text);
            assertTrue(text.contains(credentialsKey) && text.contains("secretsmanager.eu-west-2.amazonaws.com"), text);
            assertEquals(role[0].endsWith("credentials"), text.contains(secretArn), "only the job reads the master secret: " + text);
            assertFalse(text.contains("\"secretsmanager:*\"") || text.contains("\"kms:*\""), text);
        }

        JsonNode monitoring = aws("iam", "get-role", "--role-name", "mlops-local-apps-rds-monitoring").path("Role");
        assertTrue(monitoring.path("AssumeRolePolicyDocument").toString().contains("monitoring.rds.amazonaws.com"), monitoring::toString);
        assertEquals(Set.of("AmazonRDSEnhancedMonitoringRole"), names(aws("iam", "list-attached-role-policies", "--role-name",
                "mlops-local-apps-rds-monitoring").path("AttachedPolicies"), "PolicyName"));
    }

    @Test
    @Order(3)
    void theCiRolesTrustOnlyThisRepositorysWorkflowTokens() throws Exception {
        String provider = "arn:aws:iam::123456789012:oidc-provider/" + CiStack.ISSUER;
        JsonNode github = aws("iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", provider);
        assertEquals(List.of(CiStack.AUDIENCE), JSON.convertValue(github.path("ClientIDList"), List.class));
        assertTrue(github.path("Url").asText().endsWith(CiStack.ISSUER), github::toString);

        String repo = "repo:digicatapult/bridgeai-infra";
        assertCiRole("mlops-local-ci-plan", provider, Set.of(repo + ":pull_request", repo + ":ref:refs/heads/main"),
                "arn:aws:iam::aws:policy/ReadOnlyAccess", 3600);
        JsonNode read = aws("iam", "get-role-policy", "--role-name", "mlops-local-ci-plan", "--policy-name",
                "terraform-state-read").path("PolicyDocument");
        assertEquals(List.of("s3:ListBucket", "s3:GetObject"), JSON.convertValue(read.at("/Statement/0/Action"), List.class),
                read::toString);
        assertEquals("StateDecrypt", read.at("/Statement/1/Sid").asText(), read::toString);
        assertEquals(3, read.path("Statement").size(), read::toString);
        assertEquals("kms:GenerateDataKey", read.at("/Statement/2/Action").asText(), "the saved plans' data keys: " + read);
        assertFalse(read.toString().contains("dynamodb:"), "no lock-table writes: " + read);
        assertCiRole("mlops-local-ci-apply", provider, Set.of(repo + ":environment:local"),
                "arn:aws:iam::aws:policy/AdministratorAccess", 7200);

        // the apply role's permissions boundary: attached, and the document denies what the stack says
        String boundaryArn = "arn:aws:iam::123456789012:policy/mlops-local-ci-apply-boundary";
        JsonNode apply = aws("iam", "get-role", "--role-name", "mlops-local-ci-apply").path("Role");
        assertEquals(boundaryArn, apply.at("/PermissionsBoundary/PermissionsBoundaryArn").asText(), apply::toString);
        assertEquals("PermissionsBoundaryPolicy", apply.at("/PermissionsBoundary/PermissionsBoundaryType").asText(),
                apply::toString);
        assertTrue(aws("iam", "get-role", "--role-name", "mlops-local-ci-plan").path("Role").path("PermissionsBoundary")
                .isMissingNode(), "the read-only plan role has none");
        String version = aws("iam", "get-policy", "--policy-arn", boundaryArn).at("/Policy/DefaultVersionId").asText();
        JsonNode doc = aws("iam", "get-policy-version", "--policy-arn", boundaryArn, "--version-id", version)
                .at("/PolicyVersion/Document");
        if (doc.isTextual()) { // URL-encoded JSON, as IAM returns it
            doc = JSON.readTree(java.net.URLDecoder.decode(doc.asText(), java.nio.charset.StandardCharsets.UTF_8));
        }
        Set<String> denied = new TreeSet<>();
        Set<String> sids = new TreeSet<>();
        for (JsonNode st : doc.path("Statement")) {
            sids.add(st.path("Sid").asText());
            if (st.path("Effect").asText().equals("Deny")) {
                JsonNode actions = st.path("Action");
                if (actions.isArray()) {
                    actions.forEach(a -> denied.add(a.asText()));
                } else {
                    denied.add(actions.asText());
                }
            }
        }
        assertTrue(sids.contains("AllowWhatTheIdentityPolicyAllows"), doc::toString);
        assertTrue(denied.containsAll(List.of("iam:UpdateAssumeRolePolicy", "iam:CreatePolicyVersion",
                "iam:DeleteRolePermissionsBoundary", "iam:DeleteOpenIDConnectProvider", "cloudtrail:StopLogging",
                "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "organizations:LeaveOrganization", "sts:AssumeRole")),
                denied::toString);
        // ... and every role of the env's other stacks carries it (created with it: the boundary
        // would refuse the apply role a role without it)
        // (ListRoles leaves PermissionsBoundary out: GetRole per role)
        Set<String> bounded = new TreeSet<>();
        for (JsonNode listed : aws("iam", "list-roles").path("Roles")) {
            String role = listed.path("RoleName").asText();
            if (role.startsWith("mlops-local-") && !role.startsWith("mlops-local-ci-")) {
                assertEquals(boundaryArn, aws("iam", "get-role", "--role-name", role)
                        .at("/Role/PermissionsBoundary/PermissionsBoundaryArn").asText(), role);
                bounded.add(role);
            }
        }
        assertTrue(bounded.contains("mlops-local-apps-rds-monitoring") && bounded.size() >= 4, bounded::toString);
    }

    void assertCiRole(String name, String provider, Set<String> subjects, String policy, int maxSession) throws Exception {
        JsonNode role = aws("iam", "get-role", "--role-name", name).path("Role");
        assertEquals(maxSession, role.path("MaxSessionDuration").asInt(), role::toString);
        JsonNode statement = role.at("/AssumeRolePolicyDocument/Statement/0");
        assertEquals(1, role.at("/AssumeRolePolicyDocument/Statement").size(), role::toString);
        assertEquals(provider, statement.at("/Principal/Federated").asText(), statement::toString);
        assertEquals("sts:AssumeRoleWithWebIdentity", statement.path("Action").asText(), statement::toString);
        JsonNode equals = statement.at("/Condition/StringEquals");
        assertEquals(Set.of(CiStack.ISSUER + ":aud", CiStack.ISSUER + ":sub"), fieldNames(equals), statement::toString);
        assertEquals(CiStack.AUDIENCE, equals.path(CiStack.ISSUER + ":aud").asText(), statement::toString);
        JsonNode sub = equals.path(CiStack.ISSUER + ":sub");
        Set<String> found = new TreeSet<>();
        if (sub.isArray()) {
            sub.forEach(v -> found.add(v.asText()));
        } else {
            found.add(sub.asText());
        }
        assertEquals(new TreeSet<>(subjects), found, statement::toString);
        assertEquals(Set.of(policy), names(aws("iam", "list-attached-role-policies", "--role-name", name)
                .path("AttachedPolicies"), "PolicyArn"));
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    @Order(5)
    void planRightAfterApplyShowsNoChanges() throws Exception {
        long t0 = System.nanoTime();
        Cmd.Result drift = stacks("drift", ENV).run(600);
        seconds.put("plan all (drift)", secondsSince(t0));
        assertEquals(0, drift.exitCode(), drift.all());
        for (String unit : List.of("state", "ci", "vpc", "eks")) {
            assertTrue(drift.stdout().contains(ENV + "-" + unit + ": in sync"), drift.all());
        }
    }

    @Test
    @Order(5)
    void savedPlansTravelEncryptedWithTheCiPlansKeyBoundToTheirRun() throws Exception {
        // the deploy workflow: plan job → bundle (artifact) → apply job of the same run
        String plan = stacks("plan", ENV, ENV + "-vpc", ENV + "-eks").ok(600);
        assertTrue(plan.contains("No changes."), plan);
        Path bundle = work.resolve("plans-" + ENV + ".tar");
        Map<String, String> run = new HashMap<>(env);
        run.put("AWS_ENDPOINT_URL", moto.endpoint());
        run.put("CI_PLANS_RUN", "4242");
        String packed = new Cmd(List.of("bash", "bin/ci-plans", "pack", ENV, "alias/mlops-local-ci-plans", bundle.toString()), run).ok(120);
        assertTrue(packed.contains("2 saved plans of local"), packed);
        // the bundle holds no plan in the clear (a plan file is a zip: "PK" + tfplan entry)
        byte[] raw = Files.readAllBytes(bundle);
        String latin = new String(raw, StandardCharsets.ISO_8859_1);
        assertTrue(latin.contains("key.enc") && latin.contains("plans.enc") && !latin.contains("tfplan"), "only ciphertext");
        for (String unit : List.of("vpc", "eks")) {
            Files.delete(outdir.resolve("stacks").resolve(ENV + "-" + unit).resolve("plan.tfplan"));
        }
        // another run's bundle: KMS refuses the data key (encryption context env + run)
        Map<String, String> other = new HashMap<>(run);
        other.put("CI_PLANS_RUN", "4243");
        Cmd.Result refused = new Cmd(List.of("bash", "bin/ci-plans", "unpack", ENV, bundle.toString()), other).run(120);
        assertNotEquals(0, refused.exitCode(), refused.all());
        assertFalse(Files.exists(outdir.resolve("stacks").resolve(ENV + "-vpc").resolve("plan.tfplan")));
        new Cmd(List.of("bash", "bin/ci-plans", "unpack", ENV, bundle.toString()), run).ok(120);
        String applied = stacks("apply-plans", ENV, ENV + "-vpc", ENV + "-eks").ok(600);
        assertEquals(2, applied.lines().filter(l -> l.startsWith("Apply complete! Resources: 0 added, 0 changed, 0 destroyed.")).count(),
                applied);
    }

    @Test
    @Order(6)
    void aSecondConcurrentApplyFailsOnTheLockAndAKilledApplyIsUnlockedByForceUnlock() throws Exception {
        Path vpcDir = outdir.resolve("stacks").resolve(ENV + "-vpc");
        JsonNode before = JSON.readTree(tf(vpcDir, "state", "pull").ok(120));

        // an interactive apply holds the DynamoDB lock while it waits for its "yes"; it must
        // have something to ask about, and a destroy plan always has (it never gets the yes)
        ProcessBuilder pb = tf(vpcDir, "apply", "-destroy", "-input=true", "-lock-timeout=0s").builder()
                .redirectErrorStream(true);
        Process holder = pb.start();
        try {
            StringBuilder seen = new StringBuilder();
            waitFor(holder, seen, "Enter a value:", 180);

            Cmd.Result second = tf(vpcDir, "apply", "-auto-approve", "-input=false", "-lock-timeout=0s").run(180);
            assertNotEquals(0, second.exitCode(), second.all());
            assertTrue(second.all().contains("Error acquiring the state lock"), second.all());
        } finally {
            // the holder dies without releasing (kill -9): the lock stays behind (also when an
            // assertion above failed: no terraform process outlives the test)
            holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(!holder.isAlive(), "the lock holder (pid " + holder.pid() + ") is gone");
        Cmd.Result stuck = tf(vpcDir, "apply", "-auto-approve", "-input=false", "-lock-timeout=0s").run(180);
        assertNotEquals(0, stuck.exitCode(), stuck.all());
        Matcher id = Pattern.compile("ID:\\s+([0-9a-f-]{36})").matcher(stuck.all());
        assertTrue(id.find(), "the lock error names the lock ID:\n" + stuck.all());
        // CI's plans and drift checks take no lock (-lock=false): they run while the apply's lock is there
        String plan = stacks("plan", ENV, ENV + "-vpc").ok(300);
        assertTrue(plan.contains("No changes."), plan);

        String unlocked = tf(vpcDir, "force-unlock", "-force", id.group(1)).ok(120);
        assertTrue(unlocked.contains("successfully unlocked"), unlocked);
        String converged = tf(vpcDir, "apply", "-auto-approve", "-input=false", "-lock-timeout=0s").ok(300);
        assertTrue(converged.contains("0 added, 0 changed, 0 destroyed") || converged.contains("No changes"), converged);

        JsonNode after = JSON.readTree(tf(vpcDir, "state", "pull").ok(120));
        assertEquals(before.path("lineage"), after.path("lineage"), "same state lineage");
        assertEquals(before.path("resources").size(), after.path("resources").size(), "no resource lost");
    }

    @Test
    @Order(7)
    void aChangeBehindTerraformsBackIsReportedAsDriftAndRepaired() throws Exception {
        String vpcId = aws("ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.155.48.0/20")
                .at("/Vpcs/0/VpcId").asText();
        awsRaw("ec2", "create-tags", "--resources", vpcId, "--tags", "Key=Stage,Value=tampered").ok(60);

        Cmd.Result drift = stacks("drift", ENV, ENV + "-vpc", ENV + "-eks").run(600);
        assertEquals(2, drift.exitCode(), drift.all());
        assertTrue(drift.stdout().contains(ENV + "-vpc: drifted: aws_vpc.vpc_"), drift.all());
        assertTrue(drift.stdout().contains(ENV + "-eks: in sync"), drift.all());

        stacks("up", ENV, ENV + "-vpc").ok(600);
        assertEquals(0, stacks("drift", ENV, ENV + "-vpc").run(600).exitCode());
    }

    @Test
    @Order(8)
    void destroyLeavesNothingBehind() throws Exception {
        long t0 = System.nanoTime();
        String out = stacks("down", ENV).ok(900);
        seconds.put("destroy eks+vpc", secondsSince(t0));
        assertTrue(out.contains(ENV + "-state: kept"), out);

        assertEquals(0, aws("ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.155.48.0/20").path("Vpcs").size());
        assertEquals(0, aws("ec2", "describe-nat-gateways", "--filter", "Name=state,Values=available")
                .path("NatGateways").size());
        assertEquals(0, aws("eks", "list-clusters").path("clusters").size());
        assertEquals(0, aws("efs", "describe-file-systems").path("FileSystems").size());
        // the apps' database, its subnet group and the master password RDS kept in Secrets Manager
        assertEquals(0, aws("rds", "describe-db-instances").path("DBInstances").size(), "RDS instances left");
        assertEquals(0, aws("rds", "describe-db-subnet-groups").path("DBSubnetGroups").size(), "DB subnet groups left");
        assertEquals(0, aws("rds", "describe-db-snapshots").path("DBSnapshots").size(), "no final snapshot in the emulated env");
        assertEquals(Set.of(), names(aws("secretsmanager", "list-secrets").path("SecretList"), "Name"), "secrets left");
        assertEquals(0, aws("iam", "list-open-id-connect-providers").path("OpenIDConnectProviderList").size());
        // the state stack has no IAM: every role, policy and OIDC provider belonged to ci/vpc/eks
        assertEquals(Set.of(), names(aws("iam", "list-roles").path("Roles"), "RoleName"), "IAM roles left");
        assertEquals(Set.of(), names(aws("iam", "list-policies", "--scope", "Local").path("Policies"), "PolicyName"),
                "customer-managed IAM policies left");
        Set<String> buckets = names(aws("s3api", "list-buckets").path("Buckets"), "Name");
        assertEquals(Set.of("tfstate-mlops-local", "tfstate-mlops-local-logs"), buckets,
                "only the kept state stack's buckets remain (state, access logs)");

        // everything else the two stacks create, service by service
        String tagged = "Name=tag:Environment,Values=" + ENV;
        assertEquals(0, aws("ec2", "describe-subnets", "--filters", tagged).path("Subnets").size(), "subnets left");
        assertEquals(0, aws("ec2", "describe-addresses", "--filters", tagged).path("Addresses").size(), "EIPs left");
        assertEquals(0, aws("ec2", "describe-internet-gateways", "--filters", tagged).path("InternetGateways").size(),
                "internet gateways left");
        assertEquals(0, aws("ec2", "describe-route-tables", "--filters", tagged).path("RouteTables").size(),
                "route tables left");
        assertEquals(0, aws("ec2", "describe-security-groups", "--filters", tagged).path("SecurityGroups").size(),
                "security groups left");
        assertEquals(Set.of(), names(aws("ec2", "describe-launch-templates").path("LaunchTemplates"), "LaunchTemplateName"),
                "launch templates left");
        assertEquals(Set.of(), names(aws("logs", "describe-log-groups").path("logGroups"), "logGroupName"),
                "log groups left");
        assertEquals(Set.of("alias/mlops-local-tfstate"), names(aws("kms", "list-aliases").path("Aliases"), "AliasName").stream()
                .filter(a -> !a.startsWith("alias/aws/")).collect(Collectors.toSet()), "KMS aliases left (the state stack's only)");
        // a KMS key cannot be deleted at once: destroy schedules its deletion (moto's own default
        // key of the kept lock table's encryption stays enabled, as AWS's managed key would)
        int secretsKeys = 0;
        for (JsonNode key : aws("kms", "list-keys").path("Keys")) {
            JsonNode meta = aws("kms", "describe-key", "--key-id", key.path("KeyId").asText()).path("KeyMetadata");
            if (meta.path("Description").asText().startsWith("Envelope encryption of Kubernetes secrets of " + CLUSTER)) {
                secretsKeys++;
                assertEquals("PendingDeletion", meta.path("KeyState").asText(), meta::toString);
            }
        }
        assertEquals(1, secretsKeys, "the cluster's secrets key, scheduled for deletion");
    }

    static Set<String> names(JsonNode items, String field) {
        Set<String> names = new TreeSet<>();
        items.forEach(i -> names.add(i.path(field).asText()));
        return names;
    }

    // ---------------------------------------------------------------- helpers

    void assertIrsaRole(String name, String oidcArn, String serviceAccount, String managedPolicy) throws Exception {
        JsonNode role = aws("iam", "get-role", "--role-name", name).path("Role");
        JsonNode doc = role.path("AssumeRolePolicyDocument");
        if (doc.isTextual()) {
            doc = JSON.readTree(java.net.URLDecoder.decode(doc.asText(), StandardCharsets.UTF_8));
        }
        JsonNode statement = doc.path("Statement").get(0);
        assertEquals("sts:AssumeRoleWithWebIdentity", statement.path("Action").asText(), doc::toString);
        assertEquals(oidcArn, statement.at("/Principal/Federated").asText(), doc::toString);
        // exactly this service account (StringEquals) — or, for a pattern, StringLike on the subject
        // only (the EFS CSI driver's efs-csi-*, as the EKS user guide writes it) — and audience of this issuer
        String issuer = oidcArn.substring(oidcArn.indexOf(":oidc-provider/") + ":oidc-provider/".length());
        JsonNode equals = statement.at("/Condition/StringEquals");
        boolean pattern = serviceAccount.contains("*");
        JsonNode subject = pattern ? statement.at("/Condition/StringLike") : equals;
        assertEquals(pattern ? 1 : 2, equals.size(), doc::toString);
        assertEquals("system:serviceaccount:" + serviceAccount, subject.path(issuer + ":sub").asText(), doc::toString);
        assertEquals("sts.amazonaws.com", equals.path(issuer + ":aud").asText(), doc::toString);
        assertEquals(pattern ? 2 : 1, statement.path("Condition").size(), "no other condition operator: " + doc);
        if (managedPolicy != null) {
            JsonNode attached = aws("iam", "list-attached-role-policies", "--role-name", name).path("AttachedPolicies");
            assertTrue(attached.toString().contains("/" + managedPolicy), attached::toString);
        }
    }

    static String tag(JsonNode resource, String key) {
        for (JsonNode t : resource.path("Tags")) {
            if (t.path("Key").asText().equals(key)) {
                return t.path("Value").asText();
            }
        }
        return null;
    }

    static Cmd stacks(String... args) {
        return cli.stacks(args);
    }

    static Cmd tf(Path dir, String... args) {
        return cli.tf(dir, args);
    }

    static Cmd awsRaw(String... args) {
        return cli.awsRaw(args);
    }

    static JsonNode aws(String... args) throws Exception {
        return cli.aws(args);
    }

    static void waitFor(Process p, StringBuilder seen, String marker, int timeoutSeconds) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        char[] buf = new char[4096];
        while (System.nanoTime() < deadline && !seen.toString().contains(marker)) {
            if (r.ready()) {
                int n = r.read(buf);
                if (n < 0) break;
                seen.append(buf, 0, n);
            } else if (!p.isAlive()) {
                seen.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                break;
            } else {
                Thread.sleep(100);
            }
        }
        assertTrue(seen.toString().contains(marker), "expected '" + marker + "' from the apply, got:\n" + seen);
    }

    static long secondsSince(long t0) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    }
}
