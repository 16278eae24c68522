package com.bridgeai.infra.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.guardrails.GuardRails.Rule;
import com.bridgeai.infra.guardrails.GuardRails.Suppression;
import com.bridgeai.infra.guardrails.GuardRails.Violation;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.AppConfig;
import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformResourceConfig;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroup;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroupConfig;
import com.hashicorp.cdktf.providers.aws.db_instance.DbInstance;
import com.hashicorp.cdktf.providers.aws.db_instance.DbInstanceConfig;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksCluster;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksClusterConfig;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksClusterEncryptionConfig;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksClusterEncryptionConfigProvider;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksClusterVpcConfig;
import com.hashicorp.cdktf.providers.aws.kms_key.KmsKey;
import com.hashicorp.cdktf.providers.aws.kms_key.KmsKeyConfig;
import com.hashicorp.cdktf.providers.aws.kms_key_policy.KmsKeyPolicy;
import com.hashicorp.cdktf.providers.aws.kms_key_policy.KmsKeyPolicyConfig;
import com.hashicorp.cdktf.providers.aws.launch_template.LaunchTemplate;
import com.hashicorp.cdktf.providers.aws.launch_template.LaunchTemplateConfig;
import com.hashicorp.cdktf.providers.aws.launch_template.LaunchTemplateMetadataOptions;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.hashicorp.cdktf.providers.aws.provider.AwsProviderConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3BucketConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_public_access_block.S3BucketPublicAccessBlock;
import com.hashicorp.cdktf.providers.aws.s3_bucket_public_access_block.S3BucketPublicAccessBlockConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationAConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningAConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningVersioningConfiguration;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroup;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupConfig;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupIngress;
import com.hashicorp.cdktf.providers.aws.security_group_rule.SecurityGroupRule;
import com.hashicorp.cdktf.providers.aws.security_group_rule.SecurityGroupRuleConfig;
import com.hashicorp.cdktf.providers.aws.vpc_security_group_ingress_rule.VpcSecurityGroupIngressRule;
import com.hashicorp.cdktf.providers.aws.vpc_security_group_ingress_rule.VpcSecurityGroupIngressRuleConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every guard rail trips on a deliberately bad resource and is silent on a good one and on a
 * resource that suppresses it with a reason. All resources live in one synthesized stack (an App
 * costs seconds in the jsii kernel); each rule's test looks at its own resources.
 */
class GuardRailsTest {
    static final String STACK = "guardrails-probe";
    static final Fixture F = Fixture.INSTANCE;

    /** The probe stack, synthesized once: its violations and suppressions as the synth sees them. */
    static final class Fixture {
        static final Fixture INSTANCE = new Fixture();
        final List<Violation> violations;
        final List<Suppression> suppressions;
        final Path out;

        private Fixture() {
            try {
                out = Files.createTempDirectory("guardrails-probe");
                App app = new App(AppConfig.builder().outdir(out.toString()).build());
                TerraformStack stack = new TerraformStack(app, STACK);
                new AwsProvider(stack, "aws", AwsProviderConfig.builder().region("eu-west-2").build());
                buckets(stack);
                logGroups(stack);
                keys(stack);
                clusters(stack);
                launchTemplates(stack);
                securityGroups(stack);
                databases(stack);
                app.synth();
                violations = GuardRails.check(out);
                suppressions = GuardRails.suppressions(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ------------------------------------------------------------------ S3

    static void buckets(TerraformStack s) {
        goodBucket(s, "good_bucket");
        S3Bucket noPab = new S3Bucket(s, "no_pab_bucket", S3BucketConfig.builder().bucket("no-pab").build());
        sse(s, noPab);
        versioning(s, noPab, "Enabled");
        S3Bucket noSse = new S3Bucket(s, "no_sse_bucket", S3BucketConfig.builder().bucket("no-sse").build());
        pab(s, noSse, true);
        versioning(s, noSse, "Enabled");
        S3Bucket suspended = new S3Bucket(s, "suspended_bucket", S3BucketConfig.builder().bucket("suspended").build());
        pab(s, suspended, true);
        sse(s, suspended);
        versioning(s, suspended, "Suspended");
        S3Bucket partialPab = new S3Bucket(s, "partial_pab_bucket", S3BucketConfig.builder().bucket("partial-pab").build());
        pab(s, partialPab, false);
        sse(s, partialPab);
        versioning(s, partialPab, "Enabled");
        // built good, made public by an escape hatch: the check reads the JSON, so it sees the override
        S3Bucket overridden = goodBucket(s, "overridden_bucket");
        ((S3BucketPublicAccessBlock) s.getNode().findChild("overridden_bucket_pab")).addOverride("block_public_policy", false);
        // a plain TerraformResource (no typed binding): still an aws_s3_bucket in the JSON
        new TerraformResource(s, "raw_bucket", TerraformResourceConfig.builder().terraformResourceType("aws_s3_bucket").build())
                .addOverride("bucket", "raw");
        S3Bucket waived = new S3Bucket(s, "waived_bucket", S3BucketConfig.builder().bucket("waived").build());
        GuardRails.suppress(waived, Rule.S3_PRIVATE, "test: a public website bucket");
        GuardRails.suppress(waived, Rule.S3_ENCRYPTED, "test: objects are public anyway");
        GuardRails.suppress(waived, Rule.S3_VERSIONED, "test: rebuilt from source on every deploy");
        S3Bucket blank = goodBucket(s, "blank_reason_bucket");
        GuardRails.suppress(blank, Rule.S3_VERSIONED, " ");
        assertTrue(overridden != null);
    }

    static S3Bucket goodBucket(TerraformStack s, String id) {
        S3Bucket b = new S3Bucket(s, id, S3BucketConfig.builder().bucket(id.replace('_', '-')).build());
        pab(s, b, true);
        sse(s, b);
        versioning(s, b, "Enabled");
        return b;
    }

    static void pab(TerraformStack s, S3Bucket b, boolean restrict) {
        new S3BucketPublicAccessBlock(s, b.getNode().getId() + "_pab", S3BucketPublicAccessBlockConfig.builder().bucket(b.getId())
                .blockPublicAcls(true).blockPublicPolicy(true).ignorePublicAcls(true).restrictPublicBuckets(restrict).build());
    }

    static void sse(TerraformStack s, S3Bucket b) {
        new S3BucketServerSideEncryptionConfigurationA(s, b.getNode().getId() + "_sse",
                S3BucketServerSideEncryptionConfigurationAConfig.builder().bucket(b.getId())
                        .rule(List.of(S3BucketServerSideEncryptionConfigurationRuleA.builder()
                                .applyServerSideEncryptionByDefault(
                                        S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA.builder()
                                                .sseAlgorithm("aws:kms").build()).build()))
                        .build());
    }

    static void versioning(TerraformStack s, S3Bucket b, String status) {
        new S3BucketVersioningA(s, b.getNode().getId() + "_versioning", S3BucketVersioningAConfig.builder().bucket(b.getId())
                .versioningConfiguration(S3BucketVersioningVersioningConfiguration.builder().status(status).build()).build());
    }

    @Test
    void s3PrivateTripsOnABucketWithoutOrWithAPartialOrOverriddenPublicAccessBlock() {
        assertViolations(Rule.S3_PRIVATE, "aws_s3_bucket", Set.of("no_pab_bucket", "partial_pab_bucket", "overridden_bucket", "raw_bucket"));
    }

    @Test
    void s3EncryptedTripsOnABucketWithoutDefaultEncryption() {
        assertViolations(Rule.S3_ENCRYPTED, "aws_s3_bucket", Set.of("no_sse_bucket", "raw_bucket"));
    }

    @Test
    void s3VersionedTripsOnABucketWithoutOrWithSuspendedVersioning() {
        assertViolations(Rule.S3_VERSIONED, "aws_s3_bucket", Set.of("suspended_bucket", "raw_bucket", "blank_reason_bucket"));
        Violation blank = only("aws_s3_bucket.blank_reason_bucket", Rule.S3_VERSIONED);
        assertTrue(blank.found().equals("a suppression without a reason"), blank::toString);
    }

    @Test
    void s3RulesAreSuppressedPerResourceWithAReason() {
        assertSuppressed("aws_s3_bucket.waived_bucket", Rule.S3_PRIVATE, "test: a public website bucket");
        assertSuppressed("aws_s3_bucket.waived_bucket", Rule.S3_ENCRYPTED, "test: objects are public anyway");
        assertSuppressed("aws_s3_bucket.waived_bucket", Rule.S3_VERSIONED, "test: rebuilt from source on every deploy");
    }

    // ------------------------------------------------------------------ CloudWatch Logs

    static void logGroups(TerraformStack s) {
        new CloudwatchLogGroup(s, "good_logs", CloudwatchLogGroupConfig.builder().name("good")
                .retentionInDays(365).kmsKeyId("arn:aws:kms:eu-west-2:123456789012:key/k").build());
        new CloudwatchLogGroup(s, "bare_logs", CloudwatchLogGroupConfig.builder().name("bare").build());
        new CloudwatchLogGroup(s, "forever_logs", CloudwatchLogGroupConfig.builder().name("forever")
                .retentionInDays(0).kmsKeyId("arn:aws:kms:eu-west-2:123456789012:key/k").build());
        CloudwatchLogGroup waived = new CloudwatchLogGroup(s, "waived_logs", CloudwatchLogGroupConfig.builder().name("waived").build());
        GuardRails.suppress(waived, Rule.LOG_RETENTION, "test: exported nightly, then deleted by a job");
        GuardRails.suppress(waived, Rule.LOG_KMS, "test: public data only");
    }

    @Test
    void logRetentionTripsOnALogGroupWithoutOrWithZeroRetention() {
        assertViolations(Rule.LOG_RETENTION, "aws_cloudwatch_log_group", Set.of("bare_logs", "forever_logs"));
    }

    @Test
    void logKmsTripsOnALogGroupWithoutAKey() {
        assertViolations(Rule.LOG_KMS, "aws_cloudwatch_log_group", Set.of("bare_logs"));
    }

    @Test
    void logRulesAreSuppressedPerResourceWithAReason() {
        assertSuppressed("aws_cloudwatch_log_group.waived_logs", Rule.LOG_RETENTION, "test: exported nightly, then deleted by a job");
        assertSuppressed("aws_cloudwatch_log_group.waived_logs", Rule.LOG_KMS, "test: public data only");
    }

    // ------------------------------------------------------------------ KMS

    static void keys(TerraformStack s) {
        new KmsKey(s, "good_key", KmsKeyConfig.builder().enableKeyRotation(true).policy("{\"Statement\":[]}").build());
        new KmsKey(s, "bare_key", KmsKeyConfig.builder().build());
        KmsKey separatePolicy = new KmsKey(s, "separate_policy_key", KmsKeyConfig.builder().enableKeyRotation(true).build());
        new KmsKeyPolicy(s, "separate_policy", KmsKeyPolicyConfig.builder().keyId(separatePolicy.getKeyId()).policy("{}").build());
        KmsKey waived = new KmsKey(s, "waived_key", KmsKeyConfig.builder().build());
        GuardRails.suppress(waived, Rule.KMS_ROTATION, "test: an imported key material cannot rotate");
        GuardRails.suppress(waived, Rule.KMS_POLICY, "test: the default policy is wanted here");
    }

    @Test
    void kmsRotationTripsOnAKeyWithoutRotation() {
        assertViolations(Rule.KMS_ROTATION, "aws_kms_key", Set.of("bare_key"));
    }

    @Test
    void kmsPolicyTripsOnAKeyWithoutPolicyAndAcceptsAnAwsKmsKeyPolicy() {
        assertViolations(Rule.KMS_POLICY, "aws_kms_key", Set.of("bare_key"));
    }

    @Test
    void kmsRulesAreSuppressedPerResourceWithAReason() {
        assertSuppressed("aws_kms_key.waived_key", Rule.KMS_ROTATION, "test: an imported key material cannot rotate");
        assertSuppressed("aws_kms_key.waived_key", Rule.KMS_POLICY, "test: the default policy is wanted here");
    }

    // ------------------------------------------------------------------ EKS

    static EksClusterConfig.Builder cluster(String name) {
        return EksClusterConfig.builder().name(name).roleArn("arn:aws:iam::123456789012:role/r")
                .vpcConfig(EksClusterVpcConfig.builder().subnetIds(List.of("subnet-1", "subnet-2")).build());
    }

    static void clusters(TerraformStack s) {
        new EksCluster(s, "good_cluster", cluster("good").encryptionConfig(EksClusterEncryptionConfig.builder()
                .resources(List.of("secrets"))
                .provider(EksClusterEncryptionConfigProvider.builder().keyArn("arn:aws:kms:eu-west-2:123456789012:key/k").build())
                .build()).build());
        new EksCluster(s, "plain_cluster", cluster("plain").build());
        EksCluster waived = new EksCluster(s, "waived_cluster", cluster("waived").build());
        GuardRails.suppress(waived, Rule.EKS_SECRETS_ENCRYPTED, "test: a throwaway cluster without secrets");
    }

    @Test
    void eksSecretsEncryptedTripsOnAClusterWithoutEncryptionConfig() {
        assertViolations(Rule.EKS_SECRETS_ENCRYPTED, "aws_eks_cluster", Set.of("plain_cluster"));
    }

    @Test
    void eksSecretsEncryptedIsSuppressedPerResourceWithAReason() {
        assertSuppressed("aws_eks_cluster.waived_cluster", Rule.EKS_SECRETS_ENCRYPTED, "test: a throwaway cluster without secrets");
    }

    // ------------------------------------------------------------------ launch templates

    static void launchTemplates(TerraformStack s) {
        new LaunchTemplate(s, "good_lt", LaunchTemplateConfig.builder().name("good")
                .metadataOptions(LaunchTemplateMetadataOptions.builder().httpTokens("required").build()).build());
        new LaunchTemplate(s, "optional_lt", LaunchTemplateConfig.builder().name("optional")
                .metadataOptions(LaunchTemplateMetadataOptions.builder().httpTokens("optional").build()).build());
        new LaunchTemplate(s, "default_lt", LaunchTemplateConfig.builder().name("default").build());
        new LaunchTemplate(s, "overridden_lt", LaunchTemplateConfig.builder().name("overridden")
                .metadataOptions(LaunchTemplateMetadataOptions.builder().httpTokens("required").build()).build())
                .addOverride("metadata_options.http_tokens", "optional");
        LaunchTemplate waived = new LaunchTemplate(s, "waived_lt", LaunchTemplateConfig.builder().name("waived").build());
        GuardRails.suppress(waived, Rule.IMDSV2_ONLY, "test: a vendor AMI that only speaks IMDSv1");
    }

    @Test
    void imdsv2OnlyTripsOnOptionalTokensMissingOptionsAndAnOverride() {
        assertViolations(Rule.IMDSV2_ONLY, "aws_launch_template", Set.of("optional_lt", "default_lt", "overridden_lt"));
    }

    @Test
    void imdsv2OnlyIsSuppressedPerResourceWithAReason() {
        assertSuppressed("aws_launch_template.waived_lt", Rule.IMDSV2_ONLY, "test: a vendor AMI that only speaks IMDSv1");
    }

    // ------------------------------------------------------------------ security groups

    static void securityGroups(TerraformStack s) {
        new SecurityGroup(s, "vpc_only_sg", SecurityGroupConfig.builder().name("vpc-only").ingress(List.of(
                SecurityGroupIngress.builder().protocol("tcp").fromPort(443).toPort(443).cidrBlocks(List.of("10.0.0.0/8")).build())).build());
        new SecurityGroup(s, "open_sg", SecurityGroupConfig.builder().name("open").ingress(List.of(
                SecurityGroupIngress.builder().protocol("tcp").fromPort(22).toPort(22).cidrBlocks(List.of("0.0.0.0/0")).build())).build());
        new SecurityGroupRule(s, "open_rule", SecurityGroupRuleConfig.builder().type("ingress").securityGroupId("sg-1")
                .protocol("tcp").fromPort(443).toPort(443).ipv6CidrBlocks(List.of("::/0")).build());
        new SecurityGroupRule(s, "egress_rule", SecurityGroupRuleConfig.builder().type("egress").securityGroupId("sg-1")
                .protocol("-1").fromPort(0).toPort(0).cidrBlocks(List.of("0.0.0.0/0")).build());
        new VpcSecurityGroupIngressRule(s, "open_vpc_rule", VpcSecurityGroupIngressRuleConfig.builder().securityGroupId("sg-1")
                .ipProtocol("tcp").fromPort(80).toPort(80).cidrIpv4("0.0.0.0/0").build());
        SecurityGroup waived = new SecurityGroup(s, "waived_sg", SecurityGroupConfig.builder().name("waived").ingress(List.of(
                SecurityGroupIngress.builder().protocol("tcp").fromPort(443).toPort(443).cidrBlocks(List.of("0.0.0.0/0")).build())).build());
        GuardRails.suppress(waived, Rule.NO_OPEN_INGRESS, "test: a public load balancer's HTTPS port");
    }

    @Test
    void noOpenIngressTripsOnGroupsRulesAndVpcRulesOpenToTheInternetButNotOnEgress() {
        assertViolations(Rule.NO_OPEN_INGRESS, "aws_security_group", Set.of("open_sg"));
        assertViolations(Rule.NO_OPEN_INGRESS, "aws_security_group_rule", Set.of("open_rule"));
        assertViolations(Rule.NO_OPEN_INGRESS, "aws_vpc_security_group_ingress_rule", Set.of("open_vpc_rule"));
    }

    @Test
    void noOpenIngressIsSuppressedPerResourceWithAReason() {
        assertSuppressed("aws_security_group.waived_sg", Rule.NO_OPEN_INGRESS, "test: a public load balancer's HTTPS port");
    }

    // ------------------------------------------------------------------ RDS

    static DbInstanceConfig.Builder database(String name) {
        return DbInstanceConfig.builder().identifier(name).engine("postgres").instanceClass("db.t4g.small").allocatedStorage(20);
    }

    static void databases(TerraformStack s) {
        new DbInstance(s, "good_db", database("good").storageEncrypted(true).publiclyAccessible(false).build());
        new DbInstance(s, "good_default_access_db", database("good-default-access").storageEncrypted(true).build());
        new DbInstance(s, "plain_db", database("plain").build());
        new DbInstance(s, "unencrypted_db", database("unencrypted").storageEncrypted(false).build());
        new DbInstance(s, "public_db", database("public").storageEncrypted(true).publiclyAccessible(true).build());
        new DbInstance(s, "overridden_db", database("overridden").storageEncrypted(true).publiclyAccessible(false).build())
                .addOverride("publicly_accessible", true);
        DbInstance waived = new DbInstance(s, "waived_db", database("waived").publiclyAccessible(true).build());
        GuardRails.suppress(waived, Rule.RDS_ENCRYPTED, "test: a restored snapshot that was never encrypted");
        GuardRails.suppress(waived, Rule.RDS_PRIVATE, "test: a public read-only demo database");
    }

    @Test
    void rdsEncryptedTripsOnAnInstanceWithoutOrWithFalseStorageEncryption() {
        assertViolations(Rule.RDS_ENCRYPTED, "aws_db_instance", Set.of("plain_db", "unencrypted_db"));
    }

    @Test
    void rdsPrivateTripsOnAPubliclyAccessibleInstanceAndAnOverride() {
        assertViolations(Rule.RDS_PRIVATE, "aws_db_instance", Set.of("public_db", "overridden_db"));
        assertTrue(only("aws_db_instance.public_db", Rule.RDS_PRIVATE).toString().contains("found publicly_accessible true"));
    }

    @Test
    void rdsRulesAreSuppressedPerResourceWithAReason() {
        assertSuppressed("aws_db_instance.waived_db", Rule.RDS_ENCRYPTED, "test: a restored snapshot that was never encrypted");
        assertSuppressed("aws_db_instance.waived_db", Rule.RDS_PRIVATE, "test: a public read-only demo database");
    }

    // ------------------------------------------------------------------ the whole

    @Test
    void goodResourcesPassEveryRule() {
        for (Violation v : F.violations) {
            assertFalse(v.address().contains("good_") || v.address().contains("vpc_only") || v.address().contains("egress")
                    || v.address().contains("separate_policy"), v::toString);
        }
    }

    @Test
    void aViolationNamesStackAddressConstructPathRuleAndFix() {
        Violation v = only("aws_launch_template.optional_lt", Rule.IMDSV2_ONLY);
        assertEquals(STACK, v.stack());
        assertEquals(STACK + "/optional_lt", v.constructPath());
        assertEquals(STACK + ": aws_launch_template.optional_lt (" + STACK + "/optional_lt): imdsv2-only: expected "
                + Rule.IMDSV2_ONLY.expected() + ", found http_tokens \"optional\" (IMDSv1 allowed); fix: " + Rule.IMDSV2_ONLY.fix()
                + " (or, with a reason, GuardRails.suppress(resource, Rule.IMDSV2_ONLY, \"why\"))", v.toString());
    }

    @Test
    void theSuppressionIsWrittenIntoTheResourcesMetadata() throws IOException {
        // what a reviewer of cdk.tf.json sees next to the resource
        var json = new ObjectMapper().readTree(F.out.resolve("stacks").resolve(STACK).resolve("cdk.tf.json").toFile());
        assertEquals("test: an imported key material cannot rotate",
                json.at("/resource/aws_kms_key/waived_key/~1~1/" + GuardRails.SUPPRESSIONS + "/kms-rotation").asText());
        assertEquals(STACK + "/waived_key", json.at("/resource/aws_kms_key/waived_key/~1~1/metadata/path").asText(),
                "cdktf's own metadata is kept next to it");
        assertEquals(12, F.suppressions.size(), F.suppressions::toString);
        assertTrue(F.suppressions.stream().allMatch(x -> x.constructPath().startsWith(STACK + "/waived_")), F.suppressions::toString);
    }

    // ------------------------------------------------------------------ helpers

    static void assertViolations(Rule rule, String type, Set<String> names) {
        Set<String> found = F.violations.stream().filter(v -> v.rule() == rule && v.address().startsWith(type + "."))
                .map(v -> v.address().substring(type.length() + 1)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(names), found, () -> rule + ": " + F.violations);
        for (Violation v : F.violations) {
            assertTrue(v.toString().contains("; fix: "), v::toString);
        }
    }

    static Violation only(String address, Rule rule) {
        List<Violation> found = F.violations.stream().filter(v -> v.address().equals(address) && v.rule() == rule).toList();
        assertEquals(1, found.size(), () -> address + " " + rule + ": " + F.violations);
        return found.get(0);
    }

    static void assertSuppressed(String address, Rule rule, String reason) {
        assertTrue(F.violations.stream().noneMatch(v -> v.address().equals(address)), () -> address + ": " + F.violations);
        assertTrue(F.suppressions.stream().anyMatch(x -> x.address().equals(address) && x.ruleId().equals(rule.id())
                && x.reason().equals(reason)), () -> address + " " + rule + ": " + F.suppressions);
    }
}
