package com.bridgeai.infra.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.config.EnvConfig.AppsDatabase;
import com.bridgeai.infra.config.EnvConfig.AppsDatabaseKind;
import com.bridgeai.infra.preflight.BucketNames.Head;
import com.bridgeai.infra.preflight.DbInstanceClass.Orderable;
import com.bridgeai.infra.preflight.Finding.Level;
import com.bridgeai.infra.preflight.InstanceOfferings.Offer;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The judgements of bin/preflight on given answers: levels, arithmetic, and what each line tells the user to change. */
class PreflightChecksTest {
    static final String WHERE = "env/prod/env.yaml:33: key";
    static final String CLI = "--region eu-west-2 --profile p";

    // public_access_cidrs

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "203.0.113.128/25", "198.51.100.7/32",
            "2001:db8::/32", "2001:db8:1::/48"})
    void documentationRangesBlockAPublicEndpoint(String cidr) {
        Finding f = PublicAccessCidrs.judge(WHERE, List.of("81.2.69.0/24", cidr), true, false);
        assertEquals(Level.BLOCKER, f.level(), f.toString());
        assertTrue(f.message().startsWith(cidr + " is a documentation range (RFC "), f.message());
        assertTrue(f.message().contains("Change: set public_access_cidrs"), f.message());
        assertEquals(WHERE, f.where());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "10.1.2.0/24", "172.16.0.0/12", "172.31.255.0/24", "192.168.1.0/24",
            "100.64.0.0/10", "127.0.0.1/32", "169.254.0.0/16", "fc00::/7", "fd12:3456::/32"})
    void privateRangesBlockAPublicEndpoint(String cidr) {
        Finding f = PublicAccessCidrs.judge(WHERE, List.of(cidr), true, false);
        assertEquals(Level.BLOCKER, f.level(), f.toString());
        assertTrue(f.message().contains("no client on the internet has such an address"), f.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"81.2.69.0/24", "172.32.0.0/16", "192.0.3.0/24", "203.0.112.0/24", "100.128.0.0/16",
            "192.0.0.0/8", "2001:db9::/32"})
    void publicRangesAndBlocksMerelyContainingAReservedOnePass(String cidr) {
        assertEquals(Level.OK, PublicAccessCidrs.judge(WHERE, List.of(cidr), true, false).level());
    }

    @Test
    void openToEveryoneWarnsOnRealAwsOnly() {
        assertEquals(Level.WARN, PublicAccessCidrs.judge(WHERE, List.of("0.0.0.0/0"), true, false).level());
        assertEquals(Level.OK, PublicAccessCidrs.judge(WHERE, List.of("0.0.0.0/0"), true, true).level());
    }

    @Test
    void aDocumentationRangeWithoutAPublicEndpointOnlyWarns() {
        Finding f = PublicAccessCidrs.judge(WHERE, List.of("203.0.113.0/24"), false, false);
        assertEquals(Level.WARN, f.level());
        assertTrue(f.message().contains("endpoint_public_access is false"), f.message());
    }

    @Test
    void ipRangesCompareByNetwork() {
        IpRange doc = IpRange.parse("203.0.113.0/24").orElseThrow();
        assertTrue(doc.contains(IpRange.parse("203.0.113.77/32").orElseThrow()));
        assertFalse(doc.contains(IpRange.parse("203.0.0.0/16").orElseThrow()));
        assertFalse(doc.contains(IpRange.parse("64:ff9b::cb00:7100/120").orElseThrow()), "IPv6 never inside IPv4");
        assertEquals(Optional.empty(), IpRange.parse("example.com/24"), "no DNS look-up");
        assertEquals(Optional.empty(), IpRange.parse("10.0.0.0/33"));
    }

    // GPU vCPU quota

    @Test
    void gAndVtFamilies() {
        for (String t : List.of("g4dn.xlarge", "g5.48xlarge", "g5g.2xlarge", "g6e.xlarge", "gr6.4xlarge", "vt1.3xlarge")) {
            assertTrue(VcpuQuota.gAndVt(t), t);
        }
        for (String t : List.of("p4d.24xlarge", "m5.large", "inf2.xlarge", "trn1.2xlarge", "t3.medium")) {
            assertFalse(VcpuQuota.gAndVt(t), t);
        }
        assertEquals("L-DB2E81BA", VcpuQuota.quotaFor("ON_DEMAND").orElseThrow().code());
        assertEquals("L-3819A6DF", VcpuQuota.quotaFor("SPOT").orElseThrow().code());
        assertEquals(Optional.empty(), VcpuQuota.quotaFor("CAPACITY_BLOCK"));
    }

    @Test
    void aZeroGpuQuotaBlocksTheFirstNode() {
        Finding f = VcpuQuota.judge(WHERE, VcpuQuota.ON_DEMAND, new VcpuQuota.Need(1, 3, 4, "g4dn.xlarge"),
                ServiceQuotas.Value.known(0, "the account's value"), 0, CLI);
        assertEquals(Level.BLOCKER, f.level());
        assertTrue(f.message().startsWith("\"Running On-Demand G and VT instances\" (L-DB2E81BA) is 0 vCPUs (the account's value):"
                + " not even desired_size 1 x 4 vCPUs = 4 fits"), f.message());
        // the increase asked for is what max_size needs: 3 x 4
        assertTrue(f.message().contains("request-service-quota-increase --service-code ec2 --quota-code L-DB2E81BA"
                + " --desired-value 12 --region eu-west-2 --profile p"), f.message());
    }

    @Test
    void maxSizeCountsWithWhatElseRunsInTheRegion() {
        VcpuQuota.Need need = new VcpuQuota.Need(1, 2, 8, "g5.2xlarge"); // up to 16 vCPUs
        Finding tight = VcpuQuota.judge(WHERE, VcpuQuota.ON_DEMAND, need, ServiceQuotas.Value.known(24, "x"), 12, CLI);
        assertEquals(Level.BLOCKER, tight.level());
        assertTrue(tight.message().contains("12 of them used by running instances outside this cluster: desired_size fits"
                + " but max_size 2 x 8 vCPUs (g5.2xlarge) = 16 vCPUs does not"), tight.message());
        assertTrue(tight.message().contains("--desired-value 28 "), tight.message());
        assertEquals(Level.OK, VcpuQuota.judge(WHERE, VcpuQuota.ON_DEMAND, need, ServiceQuotas.Value.known(28, "x"), 12, CLI).level());
    }

    @Test
    void anUnreadableQuotaIsNotGuessed() {
        Finding f = VcpuQuota.judge(WHERE, VcpuQuota.SPOT, new VcpuQuota.Need(1, 1, 4, "g4dn.xlarge"),
                ServiceQuotas.Value.unknown("GetServiceQuota answered (AccessDeniedException) no"), 0, CLI);
        assertEquals(Level.WARN, f.level());
        assertTrue(f.message().startsWith("cannot judge: \"All G and VT Spot Instance Requests\" (L-3819A6DF) could not be read"
                + " (GetServiceQuota answered (AccessDeniedException) no)"), f.message());
    }

    // instance type offerings

    @Test
    void everyTypeInEveryZoneIsOk() {
        Finding f = InstanceOfferings.judge(WHERE, List.of("g4dn.xlarge"), List.of("a", "b"),
                Set.of(new Offer("g4dn.xlarge", "a"), new Offer("g4dn.xlarge", "b")));
        assertEquals(Level.OK, f.level());
    }

    @Test
    void aZoneWithoutAnyTypeBlocks() {
        Finding f = InstanceOfferings.judge(WHERE, List.of("g5.xlarge"), List.of("a", "c"), Set.of(new Offer("g5.xlarge", "a")));
        assertEquals(Level.BLOCKER, f.level());
        assertTrue(f.message().startsWith("c offers none of [g5.xlarge]"), f.message());
    }

    @Test
    void aTypeMissingInAZoneAnotherTypeCoversOnlyWarns() {
        Finding f = InstanceOfferings.judge(WHERE, List.of("g4dn.xlarge", "g5.xlarge"), List.of("a", "c"),
                Set.of(new Offer("g4dn.xlarge", "a"), new Offer("g4dn.xlarge", "c"), new Offer("g5.xlarge", "a")));
        assertEquals(Level.WARN, f.level());
        assertTrue(f.message().startsWith("g5.xlarge is not offered in c"), f.message());
    }

    @Test
    void aTypeOfferedNowhereBlocks() {
        Finding f = InstanceOfferings.judge(WHERE, List.of("g4dn.xlarge", "g9.xlarge"), List.of("a", "b"),
                Set.of(new Offer("g4dn.xlarge", "a"), new Offer("g4dn.xlarge", "b")));
        assertEquals(Level.BLOCKER, f.level());
        assertTrue(f.message().startsWith("g9.xlarge is offered in none of [a, b]"), f.message());
    }

    @Test
    void theSystemGroupsTypesAreJudgedUnderTheirOwnKey() {
        Finding f = InstanceOfferings.judge(WHERE, "system_instance_types", List.of("m7i.large"), List.of("a", "c"),
                Set.of(new Offer("m7i.large", "a")));
        assertEquals(Level.BLOCKER, f.level());
        assertTrue(f.message().contains("no node of system_instance_types can start there. Change: system_instance_types"
                + " offered in every zone"), f.message());
    }

    // Elastic IPs

    @Test
    void natAddressesCountAgainstWhatOthersHold() {
        ServiceQuotas.Value five = ServiceQuotas.Value.known(5, "AWS's default");
        Finding full = ElasticIps.judge(WHERE, 2, five, 4, 0, CLI);
        assertEquals(Level.BLOCKER, full.level());
        assertTrue(full.message().contains("or nat_gateways: \"single\""), full.message());
        assertTrue(full.message().contains("--quota-code L-0263D0A3 --desired-value 6 "), full.message());
        assertEquals(Level.OK, ElasticIps.judge(WHERE, 2, five, 3, 0, CLI).level());
        // a re-run: the env's own two addresses are part of what it needs, not taken from it
        assertEquals(Level.OK, ElasticIps.judge(WHERE, 2, five, 3, 2, CLI).level());
        assertEquals(Level.WARN, ElasticIps.judge(WHERE, 2, ServiceQuotas.Value.unknown("no"), 3, 0, CLI).level());
    }

    // RDS instance class

    static final AppsDatabase RDS = new AppsDatabase(AppsDatabaseKind.RDS, "db.t4g.small", true);

    @Test
    void anOfferedMultiAzClassIsOk() {
        Finding f = DbInstanceClass.judge(WHERE, RDS, "17", "eu-west-2",
                List.of(new Orderable("17.4", "db.t4g.small", true), new Orderable("17.2", "db.t4g.small", true)),
                Optional.of(List.of()), "", List.of());
        assertEquals(Level.OK, f.level());
        assertEquals("db.t4g.small offered for PostgreSQL 17.2, 17.4 in eu-west-2, Multi-AZ capable", f.message());
    }

    @Test
    void aClassWithoutMultiAzBlocksAMultiAzDatabase() {
        Finding f = DbInstanceClass.judge(WHERE, RDS, "17", "eu-west-2", List.of(new Orderable("17.4", "db.t4g.small", false)),
                Optional.of(List.of()), "", List.of());
        assertEquals(Level.BLOCKER, f.level());
    }

    @Test
    void aClassNotOfferedForTheVersionBlocksWithSuggestionsOfItsFamily() {
        Finding f = DbInstanceClass.judge(WHERE, new AppsDatabase(AppsDatabaseKind.RDS, "db.t4g.nano", true), "17",
                "eu-west-2", List.of(), Optional.of(List.of("17.2", "17.4")), "",
                List.of("db.m7g.large", "db.t4g.micro", "db.r7g.large", "db.t4g.small"));
        assertEquals(Level.BLOCKER, f.level());
        assertTrue(f.message().endsWith("e.g. db.t4g.micro, db.t4g.small, db.m7g.large, db.r7g.large"), f.message());
    }

    @Test
    void aVersionNotOfferedBlocksAndAnUnanswerableEndpointOnlyWarns() {
        assertEquals(Level.BLOCKER, DbInstanceClass.judge(WHERE, RDS, "17", "eu-west-2", List.of(),
                Optional.of(List.of()), "", List.of()).level());
        Finding moto = DbInstanceClass.judge(WHERE, RDS, "17", "eu-west-2", List.of(), Optional.empty(),
                "DescribeDBEngineVersions answered (not-aws) an HTML error page", List.of());
        assertEquals(Level.WARN, moto.level());
        assertTrue(moto.message().startsWith("cannot judge:"), moto.message());
        assertEquals(Level.OK, DbInstanceClass.judge(WHERE, new AppsDatabase(AppsDatabaseKind.BUNDLED, "db.t4g.small", false),
                "17", "eu-west-2", List.of(), Optional.empty(), "", List.of()).level());
    }

    @Test
    void majorVersionsMatchByComponent() {
        assertTrue(DbInstanceClass.ofMajor("17", "17"));
        assertTrue(DbInstanceClass.ofMajor("17.4", "17"));
        assertFalse(DbInstanceClass.ofMajor("170.1", "17"));
        assertFalse(DbInstanceClass.ofMajor("1.7", "17"));
    }

    // bucket names

    static final String PREFIX = "mlops-prod-mlflow-";

    @Test
    void freeNamesAreOk() {
        Finding f = BucketNames.judge(WHERE, "eu-west-2", List.of(new Head("s", 404, "", ""), new Head("s-logs", 404, "", "")),
                false, PREFIX);
        assertEquals(Level.OK, f.level());
        assertEquals("s free; s-logs free; mlops-prod-mlflow-*: generated, cannot be taken", f.message());
    }

    @Test
    void aNameOfAnotherAccountBlocks() {
        Finding f = BucketNames.judge(WHERE, "eu-west-2", List.of(new Head("s", 403, "", "(403) Forbidden"),
                new Head("s-logs", 404, "", "")), false, PREFIX);
        assertEquals(Level.BLOCKER, f.level());
        assertTrue(f.message().startsWith("s is taken by another AWS account"), f.message());
        assertTrue(f.message().contains("Change: another bucket name"), f.message());
    }

    @Test
    void yourOwnBucketIsFineOnAReRun() {
        List<Head> mine = List.of(new Head("s", 200, "eu-west-2", ""), new Head("s-logs", 200, "eu-west-2", ""));
        Finding rerun = BucketNames.judge(WHERE, "eu-west-2", mine, true, PREFIX);
        assertEquals(Level.OK, rerun.level());
        assertTrue(rerun.message().startsWith("s yours already (a re-run"), rerun.message());
        Finding elsewhere = BucketNames.judge(WHERE, "eu-west-2", mine, false, PREFIX);
        assertEquals(Level.WARN, elsewhere.level());
        assertTrue(elsewhere.message().contains("import it (docs/stacks.md \"Adopting an existing bucket/table\")"), elsewhere.message());
        assertEquals(Level.BLOCKER, BucketNames.judge(WHERE, "eu-west-2",
                List.of(new Head("s", 200, "us-east-1", ""), new Head("s-logs", 404, "", "")), true, PREFIX).level());
    }

    @Test
    void anMlflowPrefixLongerThanTheProviderTakesBlocks() {
        String prefix = "a-project-of-twenty-one-an-env-mlflow-"; // 38 characters
        Finding f = BucketNames.judge(WHERE, "eu-west-2", List.of(new Head("s", 404, "", "")), false, prefix);
        assertEquals(Level.BLOCKER, f.level());
        assertTrue(f.message().contains("has 38 characters, the AWS provider accepts 37"), f.message());
    }

    // the CLI's errors and the printed line

    @Test
    void cliErrorsAreReadFromStderr() {
        AwsCli.Answer api = AwsCli.failure("\nAn error occurred (NoSuchResourceException) when calling the GetServiceQuota"
                + " operation: The request failed because the specified service does not exist.\n");
        assertEquals("NoSuchResourceException", api.errorCode());
        assertEquals("The request failed because the specified service does not exist.", api.errorMessage());
        AwsCli.Answer retried = AwsCli.failure("An error occurred (500) when calling the GetAWSDefaultServiceQuota operation"
                + " (reached max retries: 4): <!doctype html>\n<html lang=en>\n");
        assertEquals("(500) an HTML error page, not an AWS answer", retried.error());
        assertEquals("(404) Not Found", AwsCli.failure("An error occurred (404) when calling the HeadBucket operation: Not Found").error());
        assertEquals("(cli) The config profile (x) could not be found",
                AwsCli.failure("\nThe config profile (x) could not be found\n").error());
    }

    @Test
    void oneLinePerCheck() {
        assertEquals("BLOCKER bucket-names        env/prod/env.yaml:9: bucket: s is taken",
                Finding.blocker("bucket-names", "env/prod/env.yaml:9: bucket", "s is taken").toString());
    }
}
