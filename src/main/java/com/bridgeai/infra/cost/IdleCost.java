package com.bridgeai.infra.cost;

import com.bridgeai.infra.config.EksVersionCalendar;
import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfig.Karpenter;
import com.bridgeai.infra.config.EnvConfig.NatGateways;
import com.bridgeai.infra.config.EnvConfig.NodeGroup;
import com.bridgeai.infra.config.GpuInstanceTypes;
import com.bridgeai.infra.config.KeyLines;
import com.bridgeai.infra.cost.PriceList.Price;
import com.bridgeai.infra.modules.aws.eks.AppsDatabase;
import com.bridgeai.infra.modules.aws.eks.EksProps;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What an env costs when nothing runs on it (per month) and what a GPU costs per hour in use, from
 * the env's validated keys and one {@link PriceList}; offline, nothing asked of AWS.
 *
 * <p>Idle: the EKS control plane; the nodes that always run (with {@code gpu_capacity: node_group}
 * the managed GPU group's {@code desired_size} nodes, with {@code karpenter} the system group's
 * {@code system_node_count} nodes; Karpenter's GPU pool scales from zero), their root volumes; the
 * NAT gateways ({@code nat_gateways}: one per AZ or one) with their Elastic IPs; with
 * {@code apps_database: rds} the DB instance ({@code db_multi_az}) and its storage. A managed group
 * with several instance types is priced at the first (an on-demand group launches in list order).
 * Left out, each small or usage-driven: NAT's per-GB processing, data transfer, KMS keys, Secrets
 * Manager secrets, CloudWatch logs and metrics, S3, EFS storage, RDS backups beyond the free size.
 */
public final class IdleCost {
    /**
     * Root volume of a system node, in GiB: the one the eks module gives the system group's launch
     * template (read from there, so the price follows it); the GPU nodes' is {@code node_disk_size}.
     */
    public static final int SYSTEM_ROOT_VOLUME_GIB = EksProps.KarpenterCapacity.DEFAULT_SYSTEM_DISK_SIZE_GIB;
    static final BigDecimal CENTS = new BigDecimal("0.01");

    private IdleCost() {}

    /** One priced line: what, how it is computed, USD. */
    public record Line(String item, String detail, BigDecimal usd) {}

    /**
     * The result.
     *
     * @param idle         the monthly lines at idle, each rounded to cents
     * @param idleTotal    their sum
     * @param gpuNodeHour  one GPU node in use for an hour (instance + root volume), 4 decimals
     * @param gpuNode      that node: its type and GPUs
     * @param inUse        how the GPU-hour is computed, in words
     * @param notes        what the numbers leave out or assume
     */
    public record Report(List<Line> idle, BigDecimal idleTotal, BigDecimal gpuNodeHour, String gpuNode, String inUse,
            List<String> notes) {}

    /** A price the file lacks: where the env uses it, what is missing. */
    public static final class MissingPrices extends RuntimeException {
        private final List<String> problems;

        MissingPrices(List<String> problems) {
            super(String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    public static Report of(EnvConfig env, PriceList prices, LocalDate today) {
        KeyLines lines = KeyLines.of(env.file());
        List<String> missing = new ArrayList<>();
        BigDecimal hours = BigDecimal.valueOf(prices.hoursPerMonth());
        List<Line> idle = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        // the control plane: extended support's price once the version is past standard support
        EksVersionCalendar.Phase phase = EksVersionCalendar.bundled().phase(env.cluster().kubernetesVersion(), today);
        boolean extended = phase == EksVersionCalendar.Phase.EXTENDED || phase == EksVersionCalendar.Phase.ENDED;
        Price eks = extended ? prices.eksExtended() : prices.eksStandard();
        idle.add(line("EKS control plane (" + (extended ? "extended" : "standard") + " support, Kubernetes "
                + env.cluster().kubernetesVersion() + ")", "1 x " + rate(eks) + "/h x " + hours + " h", eks.usd().multiply(hours)));

        NodeGroup gpu = env.cluster().nodeGroup();
        Optional<Karpenter> karpenter = env.cluster().karpenter();
        String gpuType;
        Price gpuPrice;
        if (karpenter.isEmpty()) {
            // node_group: the GPU group runs desired_size nodes around the clock
            gpuType = gpu.instanceTypes().get(0);
            gpuPrice = priced(prices, gpuType, lines.at("instance_types"), missing);
            if (gpuPrice != null) {
                int n = gpu.desiredSize();
                idle.add(line("GPU node group (always on)", n + " x " + gpuType + " " + rate(gpuPrice) + "/h x " + hours + " h",
                        gpuPrice.usd().multiply(BigDecimal.valueOf(n)).multiply(hours)));
                idle.add(line("node root volumes (gp3)", n + " x " + gpu.diskSizeGib() + " GiB x " + rate(prices.ebsGp3())
                        + "/GB-month", prices.ebsGp3().usd().multiply(BigDecimal.valueOf((long) n * gpu.diskSizeGib()))));
            }
        } else {
            // karpenter: the system group runs around the clock, GPU nodes only while a pod asks for one
            Karpenter k = karpenter.get();
            String systemType = k.systemInstanceTypes().get(0);
            Price system = priced(prices, systemType, lines.at("system_instance_types"), missing);
            if (system != null) {
                int n = k.systemNodeCount();
                idle.add(line("system node group (always on)", n + " x " + systemType + " " + rate(system) + "/h x " + hours
                        + " h", system.usd().multiply(BigDecimal.valueOf(n)).multiply(hours)));
                idle.add(line("system root volumes (gp3)", n + " x " + SYSTEM_ROOT_VOLUME_GIB + " GiB x "
                        + rate(prices.ebsGp3()) + "/GB-month",
                        prices.ebsGp3().usd().multiply(BigDecimal.valueOf((long) n * SYSTEM_ROOT_VOLUME_GIB))));
            }
            idle.add(line("GPU nodes (Karpenter, from zero)", "none while no pod asks for a GPU", BigDecimal.ZERO));
            // Karpenter launches the cheapest type of the pool that fits the pod
            gpuType = null;
            gpuPrice = null;
            for (String type : gpu.instanceTypes()) {
                Price p = priced(prices, type, lines.at("instance_types"), missing);
                if (p != null && (gpuPrice == null || p.usd().compareTo(gpuPrice.usd()) < 0)) {
                    gpuType = type;
                    gpuPrice = p;
                }
            }
        }

        int gateways = env.network().natGateways() == NatGateways.SINGLE ? 1 : env.network().availabilityZones().size();
        BigDecimal perGateway = prices.natHour().usd().add(prices.publicIpv4Hour().usd());
        idle.add(line("NAT gateways + their public IPv4", gateways + " x (" + rate(prices.natHour()) + " + "
                + rate(prices.publicIpv4Hour()) + ")/h x " + hours + " h", perGateway.multiply(BigDecimal.valueOf(gateways)).multiply(hours)));

        if (env.appsDatabase().rds()) {
            String cls = env.appsDatabase().instanceClass();
            boolean multiAz = env.appsDatabase().multiAz();
            PriceList.RdsClass rds = prices.rds().get(cls);
            if (rds == null) {
                missing.add(prices.path() + ": rds_postgresql: no price for DB instance class \"" + cls + "\" ("
                        + lines.at("db_instance_class") + "); add it with its source, or use one the file lists: "
                        + String.join(", ", prices.rds().keySet()));
            } else {
                Price p = multiAz ? rds.multiAz() : rds.singleAz();
                idle.add(line("RDS PostgreSQL " + cls + (multiAz ? " Multi-AZ" : " single-AZ"), rate(p) + "/h x " + hours + " h",
                        p.usd().multiply(hours)));
                Price storage = multiAz ? prices.rdsStorageMulti() : prices.rdsStorageSingle();
                idle.add(line("RDS storage (gp3" + (multiAz ? ", Multi-AZ" : "") + ")", AppsDatabase.STORAGE_GIB + " GB x "
                        + rate(storage) + "/GB-month (grows up to " + AppsDatabase.MAX_STORAGE_GIB + ")",
                        storage.usd().multiply(BigDecimal.valueOf(AppsDatabase.STORAGE_GIB))));
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingPrices(missing);
        }

        BigDecimal total = idle.stream().map(Line::usd).reduce(BigDecimal.ZERO, BigDecimal::add);
        int gpus = GpuInstanceTypes.of(gpuType).map(GpuInstanceTypes.GpuInstanceType::gpus).orElse(1);
        BigDecimal rootHour = prices.ebsGp3().usd().multiply(BigDecimal.valueOf(gpu.diskSizeGib()))
                .divide(hours, 10, RoundingMode.HALF_UP);
        BigDecimal nodeHour = gpuPrice.usd().add(rootHour).setScale(4, RoundingMode.HALF_UP);
        String node = gpuType + " (" + gpus + " GPU" + (gpus == 1 ? "" : "s") + ")";
        String inUse;
        if (karpenter.isEmpty()) {
            int running = gpu.desiredSize() * gpus;
            inUse = "no extra cost: the group's " + running + (running == 1 ? " GPU runs around the clock and is"
                    : " GPUs run around the clock and are") + " in the idle cost (" + node + " at " + nodeHour
                    + "/h with its root volume)";
        } else {
            inUse = "one " + node + " node while a GPU pod runs, and until gpu_consolidate_after (" + karpenter.get().consolidateAfter()
                    + ") after it ends: instance " + rate(gpuPrice) + "/h + " + gpu.diskSizeGib() + " GiB gp3 root "
                    + rootHour.setScale(4, RoundingMode.HALF_UP) + "/h = " + nodeHour + "/h"
                    + (gpus > 1 ? " (" + nodeHour.divide(BigDecimal.valueOf(gpus), 4, RoundingMode.HALF_UP)
                            + " per GPU when all " + gpus + " are busy)" : "")
                    + (gpu.instanceTypes().size() > 1 ? "; the cheapest of instance_types, which Karpenter picks for one GPU" : "");
        }
        if (gpu.capacityType().equals("SPOT")) {
            notes.add("capacity_type SPOT: GPU nodes are priced on demand here (an upper bound; spot prices move)");
        }
        if (extended) {
            notes.add("Kubernetes " + env.cluster().kubernetesVersion() + " is past standard support on " + today
                    + ": the control plane is priced at extended support until the cluster is upgraded");
        }
        notes.add("not included: NAT data processing (" + rate(prices.natGb()) + "/GB) and data transfer, KMS keys, Secrets"
                + " Manager secrets, CloudWatch logs and metrics, S3, EFS storage, RDS backups beyond the free size");
        return new Report(idle, total, nodeHour, node, inUse, notes);
    }

    private static Price priced(PriceList prices, String type, String where, List<String> missing) {
        Optional<Price> p = prices.instance(type);
        if (p.isEmpty()) {
            String problem = prices.path() + ": ec2_on_demand: no price for instance type \"" + type + "\" (" + where
                    + "); add it with its source, or use one the file lists: " + String.join(", ", prices.ec2().keySet());
            if (!missing.contains(problem)) {
                missing.add(problem);
            }
            return null;
        }
        return p.get();
    }

    private static Line line(String item, String detail, BigDecimal usd) {
        return new Line(item, detail, usd.setScale(2, RoundingMode.HALF_UP));
    }

    /** A price as the file gives it: {@code 0.615}, {@code 0.1}. */
    static String rate(Price p) {
        return p.usd().stripTrailingZeros().toPlainString();
    }

    /** The report as text, one line per item (bin/cost's output). */
    public static List<String> render(EnvConfig env, PriceList prices, Report r) {
        List<String> out = new ArrayList<>();
        out.add("cost " + env.name() + ": " + env.file() + ", " + env.project().region() + ", gpu_capacity "
                + env.cluster().gpuCapacity().name().toLowerCase() + "; prices " + prices.path() + " (as of " + prices.asOf()
                + ", on-demand list prices, USD)");
        out.add("idle, per month (" + prices.hoursPerMonth() + " h):");
        int width = r.idle().stream().map(l -> l.item().length()).max(Comparator.naturalOrder()).orElse(0);
        int detail = r.idle().stream().map(l -> l.detail().length()).max(Comparator.naturalOrder()).orElse(0);
        for (Line l : r.idle()) {
            out.add(String.format("  %-" + width + "s  %-" + detail + "s  %10s", l.item(), l.detail(), l.usd().toPlainString()));
        }
        out.add(String.format("  %-" + width + "s  %-" + detail + "s  %10s", "total at idle", "", r.idleTotal().toPlainString()));
        out.add("per GPU-hour in use: " + r.inUse());
        r.notes().forEach(n -> out.add("note: " + n));
        return out;
    }
}
