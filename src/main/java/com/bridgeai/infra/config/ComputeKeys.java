package com.bridgeai.infra.config;

import com.bridgeai.infra.config.EnvConfig.GpuCapacity;
import com.bridgeai.infra.config.EnvConfig.Karpenter;
import com.bridgeai.infra.config.EnvConfig.NodeGroup;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The env file's keys of how GPU capacity is provided: {@code gpu_capacity} and, with
 * {@code karpenter}, the system node group's and the GPU pool's own keys. The seed's node-group
 * keys keep their names and are read by {@link NodeGroupKeys} in either mode.
 */
record ComputeKeys(YamlFields f) {
    static final List<String> KEYS = List.of("gpu_capacity", "system_instance_types", "system_node_count",
            "gpu_ami_version", "gpu_consolidate_after");
    /** The keys that only mean something with {@code gpu_capacity: karpenter}. */
    static final List<String> KARPENTER_KEYS = KEYS.subList(1, KEYS.size());

    /** Karpenter's duration syntax (NodePool {@code disruption.consolidateAfter}), without {@code Never}. */
    private static final Pattern DURATION = Pattern.compile("(?:[0-9]+[smh])+");
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)([smh])");
    /** Longest consolidation delay accepted: beyond a day an empty GPU node costs more than it saves in boots. */
    static final long MAX_CONSOLIDATE_AFTER_SECONDS = 24 * 3600;
    /** EKS AMI release versions (awslabs/amazon-eks-ami tags) and Bottlerocket releases. */
    private static final Pattern AL2023_VERSION = Pattern.compile("v20[0-9]{6}");
    private static final Pattern BOTTLEROCKET_VERSION = Pattern.compile("v1\\.[0-9]+\\.[0-9]+");
    /** The system node group's size bounds: one node has no spare, more than ten is no longer "small". */
    static final int MIN_SYSTEM_NODES = 1;
    static final int MAX_SYSTEM_NODES = 10;

    /** {@code gpu_capacity}; null when it has an error. */
    GpuCapacity mode() {
        Optional<String> value = f.string("gpu_capacity", false);
        GpuCapacity mode = value.isEmpty() ? EnvConfig.Cluster.DEFAULT_GPU_CAPACITY : switch (value.get()) {
            case "node_group" -> GpuCapacity.NODE_GROUP;
            case "karpenter" -> GpuCapacity.KARPENTER;
            default -> {
                f.invalid("gpu_capacity", "expected \"node_group\" (one managed GPU node group of fixed size, the seed's)"
                        + " or \"karpenter\" (a CPU system node group, and GPU nodes Karpenter starts on demand), found \""
                        + value.get() + "\"");
                yield null;
            }
        };
        if (mode == GpuCapacity.NODE_GROUP) {
            for (String key : KARPENTER_KEYS) {
                if (f.has(key)) {
                    f.invalid(key, "expected " + key + " only with gpu_capacity: karpenter, found it with gpu_capacity: node_group"
                            + (f.has("gpu_capacity") ? "" : " (the default)") + " (remove the key, or set gpu_capacity: karpenter)");
                }
            }
        }
        return mode;
    }

    /**
     * The Karpenter keys of a {@code karpenter} env; {@code gpu} is the GPU pool read by
     * {@link NodeGroupKeys} (null when one of its keys has an error: the limit and the image
     * family then cannot be derived, and the error is already recorded).
     */
    Optional<Karpenter> karpenter(NodeGroup gpu) {
        List<String> systemTypes = f.strings("system_instance_types", false).filter(this::systemTypes)
                .orElse(Karpenter.DEFAULT_SYSTEM_INSTANCE_TYPES);
        Integer count = f.integer("system_node_count", false).filter(f.check("system_node_count",
                v -> v >= MIN_SYSTEM_NODES && v <= MAX_SYSTEM_NODES, "a node count between " + MIN_SYSTEM_NODES + " and "
                        + MAX_SYSTEM_NODES)).orElse(Karpenter.DEFAULT_SYSTEM_NODE_COUNT);
        String consolidateAfter = f.string("gpu_consolidate_after", false).filter(this::consolidateAfter)
                .orElse(Karpenter.DEFAULT_CONSOLIDATE_AFTER);
        if (gpu == null) {
            return Optional.empty();
        }
        String family = gpu.amiType().startsWith("BOTTLEROCKET") ? "bottlerocket" : "al2023";
        Optional<String> version = f.string("gpu_ami_version", false);
        String amiVersion;
        if (family.equals("al2023")) {
            amiVersion = version.filter(f.check("gpu_ami_version", v -> AL2023_VERSION.matcher(v).matches(),
                    "an EKS AMI release like \"" + Karpenter.DEFAULT_AL2023_AMI_VERSION + "\" (awslabs/amazon-eks-ami releases;"
                            + " never latest: Karpenter's docs advise pinning in production)")).orElse(
                    version.isPresent() ? null : Karpenter.DEFAULT_AL2023_AMI_VERSION);
        } else if (version.isEmpty()) {
            f.error(f.node("ami_type"), "gpu_ami_version", "expected gpu_ami_version with ami_type " + gpu.amiType()
                    + " and gpu_capacity: karpenter: a Bottlerocket release like \"v1.52.0\" that supports kubernetes_version"
                    + " (bottlerocket-os/bottlerocket releases), found none (no Bottlerocket release is verified here to"
                    + " default to; the node class pins one, never latest)");
            amiVersion = null;
        } else {
            amiVersion = version.filter(f.check("gpu_ami_version", v -> BOTTLEROCKET_VERSION.matcher(v).matches(),
                    "a Bottlerocket release like \"v1.52.0\" (bottlerocket-os/bottlerocket releases)")).orElse(null);
        }
        if (amiVersion == null) {
            return Optional.empty();
        }
        int largest = gpu.instanceTypes().stream()
                .mapToInt(t -> GpuInstanceTypes.of(t).orElseThrow().gpus()).max().orElseThrow();
        String architecture = gpu.amiType().contains("ARM_64") ? "arm64" : "amd64";
        return Optional.of(new Karpenter(systemTypes, count, family, amiVersion, consolidateAfter,
                gpu.maxSize() * largest, architecture));
    }

    /** Seconds of a Karpenter duration like {@code 1h30m}. */
    static long seconds(String duration) {
        long total = 0;
        Matcher m = DURATION_PART.matcher(duration);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "h" -> n * 3600;
                case "m" -> n * 60;
                default -> n;
            };
        }
        return total;
    }

    private boolean consolidateAfter(String v) {
        if (v.equals("Never")) {
            f.invalid("gpu_consolidate_after", "expected a delay like \"10m\" after which an empty GPU node is removed,"
                    + " found \"Never\" (GPU nodes would run, and be billed, until someone deletes them; use"
                    + " gpu_capacity: node_group for capacity that stays)");
            return false;
        }
        if (!DURATION.matcher(v).matches() || seconds(v) == 0 || seconds(v) > MAX_CONSOLIDATE_AFTER_SECONDS) {
            f.invalid("gpu_consolidate_after", "expected a delay in Karpenter's duration syntax like \"10m\", \"30s\" or"
                    + " \"1h30m\", more than 0 and at most 24h, found \"" + v + "\"");
            return false;
        }
        return true;
    }

    private boolean systemTypes(List<String> types) {
        if (!NodeGroupKeys.instanceTypeList(f, "system_instance_types", "m7i.large", types)) {
            return false;
        }
        boolean ok = true;
        for (String t : types) {
            if (GpuInstanceTypes.of(t).isPresent()) {
                f.invalid("system_instance_types", "expected CPU instance types for the system node group (the GPU"
                        + " nodes come from Karpenter), found the GPU type \"" + t + "\"");
                ok = false;
            }
        }
        if (ok && types.stream().map(Karpenter::architecture).distinct().count() > 1) {
            f.invalid("system_instance_types", "expected instance types of one CPU architecture (the group has one node"
                    + " image), found Graviton (arm64) and x86 types mixed in " + types);
            ok = false;
        }
        return ok;
    }
}
