package com.bridgeai.infra.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.CostCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/cost (Cost, IdleCost, PriceList) against the bundled eu-west-2 price file for fixed env files:
 * exact monthly totals and GPU-hour prices for env/prod as committed (karpenter: 2 x m7i.large +
 * GPU nodes from zero) and as it was before (node_group: one g4dn.xlarge around the clock), single NAT and single-AZ variants, a
 * multi-GPU type; every missing price named with the price file and the env's key, all at once;
 * usage and invalid env files. Today is fixed (the EKS calendar decides the control plane's price).
 */
class CostTest {
    static final String PRICES = "src/main/resources/com/bridgeai/infra/cost/prices-eu-west-2.yaml";
    static final String TODAY = "2026-12-05";

    @TempDir
    Path root;

    static String prod() throws IOException {
        return Files.readString(Path.of("env", "prod", "env.yaml"));
    }

    /** {@code text} with each {@code from} replaced by its {@code to} (each must occur). */
    static String edit(String text, String... fromTo) {
        for (int i = 0; i < fromTo.length; i += 2) {
            assertTrue(text.contains(fromTo[i]), fromTo[i]);
            text = text.replace(fromTo[i], fromTo[i + 1]);
        }
        return text;
    }

    /** env/prod as committed: Karpenter, the GPU pool from zero, the default system group (2 x m7i.large). */
    static String karpenter(String prod) {
        assertTrue(prod.contains("gpu_capacity: \"karpenter\"\n"), "env/prod is a karpenter env");
        return prod;
    }

    /** env/prod before it moved to Karpenter: one always-on g4dn.xlarge in the managed GPU node group. */
    static String nodeGroup(String prod) {
        return edit(prod, "gpu_capacity: \"karpenter\"\n", "", "min_size: 0\n", "min_size: 1\ndesired_size: 1\n",
                "max_size: 2\n", "max_size: 1\n");
    }

    CostCli.Result cost(String env, String text) throws IOException {
        Files.createDirectories(root.resolve(env));
        Files.writeString(root.resolve(env).resolve("env.yaml"), text);
        return CostCli.run(List.of(env), Map.of("BRIDGEAI_ENV_ROOT", root.toString(), "BRIDGEAI_TODAY", TODAY));
    }

    static String total(CostCli.Result r) {
        return r.out().lines().filter(l -> l.strip().startsWith("total at idle")).map(l -> l.replaceAll(".* ", ""))
                .findFirst().orElseThrow(() -> new AssertionError(r.out() + r.err()));
    }

    static String line(CostCli.Result r, String item) {
        return r.out().lines().filter(l -> l.strip().startsWith(item)).findFirst()
                .orElseThrow(() -> new AssertionError(item + " not in\n" + r.out())).replaceAll("\\s+", " ").strip();
    }

    @Test
    void prodBeforeKarpenterOneGpuNodeAroundTheClock() throws IOException {
        CostCli.Result r = cost("prod", nodeGroup(prod()));
        assertEquals(0, r.exit(), r.err());
        assertEquals("EKS control plane (standard support, Kubernetes 1.35) 1 x 0.1/h x 730 h 73.00", line(r, "EKS control plane"));
        assertEquals("GPU node group (always on) 1 x g4dn.xlarge 0.615/h x 730 h 448.95", line(r, "GPU node group"));
        assertEquals("node root volumes (gp3) 1 x 100 GiB x 0.0928/GB-month 9.28", line(r, "node root volumes"));
        assertEquals("NAT gateways + their public IPv4 2 x (0.05 + 0.005)/h x 730 h 80.30", line(r, "NAT gateways"));
        assertEquals("RDS PostgreSQL db.t4g.small Multi-AZ 0.072/h x 730 h 52.56", line(r, "RDS PostgreSQL"));
        assertEquals("RDS storage (gp3, Multi-AZ) 20 GB x 0.266/GB-month (grows up to 100) 5.32", line(r, "RDS storage"));
        assertEquals("669.41", total(r));
        assertTrue(r.out().contains("per GPU-hour in use: no extra cost: the group's 1 GPU runs around the clock"), r.out());
        assertTrue(r.out().contains("prices " + PRICES + " (as of "), r.out());
    }

    @Test
    void prodAfterKarpenterTwoSystemNodesAndGpuByTheHour() throws IOException {
        CostCli.Result r = cost("prod", karpenter(prod()));
        assertEquals(0, r.exit(), r.err());
        assertEquals("system node group (always on) 2 x m7i.large 0.1166/h x 730 h 170.24", line(r, "system node group"));
        assertEquals("system root volumes (gp3) 2 x 50 GiB x 0.0928/GB-month 9.28", line(r, "system root volumes"));
        assertEquals("GPU nodes (Karpenter, from zero) none while no pod asks for a GPU 0.00", line(r, "GPU nodes"));
        assertEquals("390.70", total(r));
        assertTrue(r.out().contains("per GPU-hour in use: one g4dn.xlarge (1 GPU) node while a GPU pod runs, and until"
                + " gpu_consolidate_after (10m) after it ends: instance 0.615/h + 100 GiB gp3 root 0.0127/h = 0.6277/h"), r.out());
    }

    @Test
    void oneNatGatewaySingleAzDatabaseThreeSystemNodesAndTheCheapestGpuType() throws IOException {
        String text = edit(karpenter(prod()), "instance_types: [\"g4dn.xlarge\"]", "instance_types: [\"g5.xlarge\", \"g4dn.xlarge\"]")
                + "nat_gateways: \"single\"\ndb_multi_az: false\nsystem_node_count: 3\ngpu_consolidate_after: \"30m\"\n";
        CostCli.Result r = cost("prod", text);
        assertEquals(0, r.exit(), r.err());
        assertEquals("system node group (always on) 3 x m7i.large 0.1166/h x 730 h 255.35", line(r, "system node group"));
        assertEquals("system root volumes (gp3) 3 x 50 GiB x 0.0928/GB-month 13.92", line(r, "system root volumes"));
        assertEquals("NAT gateways + their public IPv4 1 x (0.05 + 0.005)/h x 730 h 40.15", line(r, "NAT gateways"));
        assertEquals("RDS PostgreSQL db.t4g.small single-AZ 0.036/h x 730 h 26.28", line(r, "RDS PostgreSQL"));
        assertEquals("RDS storage (gp3) 20 GB x 0.133/GB-month (grows up to 100) 2.66", line(r, "RDS storage"));
        assertEquals("411.36", total(r)); // 73.00 + 255.35 + 13.92 + 40.15 + 26.28 + 2.66
        assertTrue(r.out().contains("one g4dn.xlarge (1 GPU) node while a GPU pod runs, and until gpu_consolidate_after (30m)"), r.out());
        assertTrue(r.out().contains("the cheapest of instance_types, which Karpenter picks for one GPU"), r.out());
    }

    @Test
    void aFourGpuNodeGroupWithTheChartsDatabases() throws IOException {
        String text = edit(nodeGroup(prod()), "instance_types: [\"g4dn.xlarge\"]", "instance_types: [\"g4dn.12xlarge\"]",
                "apps_database: \"rds\"", "apps_database: \"bundled\"");
        CostCli.Result r = cost("prod", text);
        assertEquals(0, r.exit(), r.err());
        assertEquals("GPU node group (always on) 1 x g4dn.12xlarge 4.577/h x 730 h 3341.21", line(r, "GPU node group"));
        assertFalse(r.out().contains("RDS PostgreSQL") || r.out().contains("RDS storage"), r.out());
        assertEquals("3503.79", total(r)); // 73.00 + 3341.21 + 9.28 + 80.30
        assertTrue(r.out().contains("the group's 4 GPUs run around the clock"), r.out());
    }

    @Test
    void aVersionPastStandardSupportIsPricedAtExtendedSupport() throws IOException {
        CostCli.Result r = CostCli.run(List.of("test"), Map.of("BRIDGEAI_TODAY", TODAY));
        assertEquals(0, r.exit(), r.err());
        assertEquals("EKS control plane (extended support, Kubernetes 1.30) 1 x 0.6/h x 730 h 438.00", line(r, "EKS control plane"));
        assertEquals("1034.41", total(r));
        assertTrue(r.out().contains("note: Kubernetes 1.30 is past standard support on 2026-12-05"), r.out());
        CostCli.Result before = CostCli.run(List.of("test"), Map.of("BRIDGEAI_TODAY", "2025-01-15"));
        assertEquals("EKS control plane (standard support, Kubernetes 1.30) 1 x 0.1/h x 730 h 73.00", line(before, "EKS control plane"));
    }

    @Test
    void everyMissingPriceIsNamedWithThePriceFileAndTheEnvKeyAtOnce() throws IOException {
        String text = edit(karpenter(prod()), "instance_types: [\"g4dn.xlarge\"]", "instance_types: [\"g4dn.xlarge\", \"g6e.xlarge\"]",
                "# Airflow's and MLflow's metadata", "db_instance_class: \"db.r7g.large\"\n# Airflow's and MLflow's metadata")
                + "system_instance_types: [\"m6i.large\"]\n";
        CostCli.Result r = cost("prod", text);
        assertEquals(1, r.exit(), r.out());
        assertEquals("", r.out());
        List<String> problems = r.err().lines().filter(l -> l.startsWith("  ")).map(String::strip).toList();
        assertEquals(3, problems.size(), r.err());
        int typesLine = text.lines().toList().indexOf("instance_types: [\"g4dn.xlarge\", \"g6e.xlarge\"]") + 1;
        assertTrue(problems.get(0).startsWith(PRICES + ": ec2_on_demand: no price for instance type \"m6i.large\" ("
                + root.resolve("prod/env.yaml") + ":"), problems.get(0));
        assertTrue(problems.get(0).contains(": system_instance_types); add it with its source, or use one the file lists: g4dn.12xlarge,"),
                problems.get(0));
        assertTrue(problems.get(1).startsWith(PRICES + ": ec2_on_demand: no price for instance type \"g6e.xlarge\" ("
                + root.resolve("prod/env.yaml") + ":" + typesLine + ": instance_types)"), problems.get(1));
        assertTrue(problems.get(2).startsWith(PRICES + ": rds_postgresql: no price for DB instance class \"db.r7g.large\""), problems.get(2));
        assertTrue(problems.get(2).endsWith("or use one the file lists: db.t4g.small"), problems.get(2));
    }

    @Test
    void aRegionWithoutPricesIsNamed() throws IOException {
        CostCli.Result r = cost("prod", edit(prod(), "region: \"eu-west-2\"", "region: \"eu-west-1\"",
                "[\"eu-west-2a\", \"eu-west-2b\"]", "[\"eu-west-1a\", \"eu-west-1b\"]"));
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("no price file for region eu-west-1")
                && r.err().contains("src/main/resources/com/bridgeai/infra/cost/prices-eu-west-1.yaml does not exist"), r.err());
    }

    @Test
    void usageAndInvalidEnvFiles() throws IOException {
        for (List<String> args : List.of(List.<String>of(), List.of("a", "b"), List.of("--help"))) {
            CostCli.Result r = CostCli.run(args, Map.of());
            assertEquals(2, r.exit(), args.toString());
            assertTrue(r.err().startsWith("usage: bin/cost <env>"), r.err());
        }
        CostCli.Result bad = cost("prod", edit(prod(), "max_size: 2", "max_size: many"));
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains(root.resolve("prod/env.yaml") + ":") && bad.err().contains(": max_size: expected"), bad.err());
        assertEquals("", bad.out());
        assertEquals(2, CostCli.run(List.of("nope"), Map.of("BRIDGEAI_ENV_ROOT", root.toString())).exit());
        assertEquals(2, CostCli.run(List.of("prod"), Map.of("BRIDGEAI_ENV_ROOT", root.toString(), "BRIDGEAI_TODAY", "soon")).exit());
    }

    @Test
    void theBundledPriceFileIsCompleteAndDated() {
        PriceList prices = PriceList.forRegion("eu-west-2").orElseThrow();
        assertEquals(PRICES, prices.path());
        assertEquals("eu-west-2", prices.region());
        assertEquals(730, prices.hoursPerMonth());
        // the types the envs use (the seed's GPU type, the system default), and the DB class default
        assertTrue(prices.ec2().keySet().containsAll(List.of("g4dn.xlarge", "m7i.large")), prices.ec2().keySet()::toString);
        assertTrue(prices.rds().containsKey(com.bridgeai.infra.config.EnvConfig.AppsDatabase.DEFAULT_INSTANCE_CLASS));
        assertTrue(prices.ec2().keySet().containsAll(com.bridgeai.infra.config.EnvConfig.Karpenter.DEFAULT_SYSTEM_INSTANCE_TYPES));
        assertFalse(prices.asOf().isAfter(java.time.LocalDate.now()), "as_of in the future");
    }

    @Test
    void aMalformedPriceFileNamesItsKey() throws IOException {
        String text = Files.readString(Path.of(PRICES));
        IllegalArgumentException noSource = assertThrows(IllegalArgumentException.class, () -> PriceList.parse(
                edit(text, "    usd: 0.615\n    per: instance-hour\n    source: https://aws.amazon.com/ec2/pricing/on-demand/\n",
                        "    usd: 0.615\n    per: instance-hour\n"), "p.yaml"));
        assertEquals("p.yaml: ec2_on_demand.g4dn.xlarge.source: expected text, found null", noSource.getMessage());
        IllegalArgumentException free = assertThrows(IllegalArgumentException.class,
                () -> PriceList.parse(edit(text, "usd: 0.0928", "usd: 0"), "p.yaml"));
        assertEquals("p.yaml: ebs_gp3.usd: expected a price above 0, found 0", free.getMessage());
        IllegalArgumentException undated = assertThrows(IllegalArgumentException.class,
                () -> PriceList.parse(edit(text, "as_of: \"2026-12-05\"", "as_of: \"December\""), "p.yaml"));
        assertEquals("p.yaml: as_of: expected a date \"YYYY-MM-DD\", found December", undated.getMessage());
        IllegalArgumentException elsewhere = assertThrows(IllegalArgumentException.class, () -> PriceList.parse(
                edit(text, "source: https://aws.amazon.com/ebs/pricing/", "source: https://example.com/prices"), "p.yaml"));
        assertTrue(elsewhere.getMessage().startsWith("p.yaml: ebs_gp3.source: expected an AWS pricing page"), elsewhere.getMessage());
    }
}
