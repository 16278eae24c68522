package com.bridgeai.infra.config;

import com.bridgeai.infra.config.EnvConfig.GpuCapacity;
import com.bridgeai.infra.config.EnvConfig.NodeGroup;
import com.bridgeai.infra.modules.aws.eks.GpuFamily;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The env file's node-group keys: the cluster's managed node group (image, capacity, sizes, disk, taint). */
record NodeGroupKeys(YamlFields f) {
    static final List<String> KEYS = List.of("ami_type", "capacity_type", "instance_types", "min_size", "desired_size",
            "max_size", "node_disk_size", "gpu_taint");

    /** The EKS API's Nodegroup.amiType enum (API reference, 2024-2025). */
    static final Set<String> AMI_TYPES = Set.of(
            "AL2_x86_64", "AL2_x86_64_GPU", "AL2_ARM_64", "CUSTOM",
            "BOTTLEROCKET_ARM_64", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64_FIPS", "BOTTLEROCKET_x86_64_FIPS",
            "BOTTLEROCKET_ARM_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA",
            "WINDOWS_CORE_2019_x86_64", "WINDOWS_FULL_2019_x86_64", "WINDOWS_CORE_2022_x86_64", "WINDOWS_FULL_2022_x86_64",
            "AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NEURON", "AL2023_x86_64_NVIDIA",
            "AL2023_ARM_64_NVIDIA");
    /** The images a Karpenter GPU pool may use: NVIDIA variants of the families EC2NodeClass aliases name (al2023, bottlerocket). */
    static final List<String> KARPENTER_GPU_AMI_TYPES = List.of("AL2023_x86_64_NVIDIA", "AL2023_ARM_64_NVIDIA",
            "BOTTLEROCKET_x86_64_NVIDIA", "BOTTLEROCKET_ARM_64_NVIDIA");
    /** The EKS API's Nodegroup.capacityType enum. */
    static final Set<String> CAPACITY_TYPES = Set.of("ON_DEMAND", "SPOT", "CAPACITY_BLOCK");
    /** EKS stops publishing AL2 AMIs after Kubernetes 1.32. */
    static final int LAST_AL2_MINOR = 32;
    /** node_disk_size bounds in GiB: EKS's own default (20) and gp3's largest volume (16 TiB). */
    static final int MIN_DISK_SIZE_GIB = 20;
    static final int MAX_DISK_SIZE_GIB = 16384;

    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");

    /**
     * The node group, or null when one of its keys has an error. {@code kubernetesVersion} (null
     * when it has an error) decides whether an AL2 image still exists.
     */
    NodeGroup read(String kubernetesVersion) {
        return read(kubernetesVersion, GpuCapacity.NODE_GROUP);
    }

    /**
     * As {@link #read(String)}; with {@code gpu_capacity: karpenter} ({@code mode}) the keys describe
     * the Karpenter GPU pool, and what a NodePool cannot express is an error: {@code desired_size}
     * (Karpenter decides the count), a {@code min_size} other than 0 (the pool scales from zero), a
     * capacity block, an image family without a Karpenter alias or GPUs, a type without NVIDIA GPUs
     * or of the other CPU architecture, {@code gpu_taint: false} (the pool is always tainted).
     */
    NodeGroup read(String kubernetesVersion, GpuCapacity mode) {
        if (mode == GpuCapacity.KARPENTER) {
            return karpenterPool(kubernetesVersion);
        }
        String amiType = f.string("ami_type", true).filter(oneOf("ami_type", AMI_TYPES)).orElse(null);
        if (amiType != null && kubernetesVersion != null && amiType.startsWith("AL2_")
                && ClusterKeys.minor(kubernetesVersion) > LAST_AL2_MINOR) {
            f.invalid("ami_type", "expected an AL2023 or Bottlerocket AMI type for kubernetes_version " + kubernetesVersion
                    + " (EKS publishes AL2 AMIs only up to 1." + LAST_AL2_MINOR + "), found \"" + amiType + "\"");
        }
        String capacity = f.string("capacity_type", true).filter(oneOf("capacity_type", CAPACITY_TYPES)).orElse(null);
        List<String> instanceTypes = f.strings("instance_types", true).filter(this::instanceTypes).orElse(null);
        Integer min = f.integer("min_size", true).orElse(null);
        Integer desired = f.integer("desired_size", true).orElse(null);
        Integer max = f.integer("max_size", true).orElse(null);
        sizes(min, desired, max);
        int disk = f.integer("node_disk_size", false).filter(f.check("node_disk_size",
                v -> v >= MIN_DISK_SIZE_GIB && v <= MAX_DISK_SIZE_GIB,
                "a root volume size in GiB between " + MIN_DISK_SIZE_GIB + " and " + MAX_DISK_SIZE_GIB))
                .orElse(NodeGroup.DEFAULT_DISK_SIZE_GIB);
        boolean gpuTaint = f.bool("gpu_taint", false).orElse(NodeGroup.DEFAULT_GPU_TAINT);
        if (gpuTaint && amiType != null && GpuFamily.of(amiType) == GpuFamily.NONE) {
            f.invalid("gpu_taint", "expected gpu_taint only with a GPU ami_type (AL2023_x86_64_NVIDIA,"
                    + " BOTTLEROCKET_x86_64_NVIDIA, ...), found true with \"" + amiType + "\" (nodes without GPUs get no GPU taint)");
        }
        if (amiType == null || capacity == null || instanceTypes == null || min == null || desired == null || max == null) {
            return null;
        }
        return new NodeGroup(amiType, capacity, instanceTypes, min, desired, max, disk, gpuTaint);
    }

    /** The seed's keys read as the Karpenter GPU pool (see {@link #read(String, GpuCapacity)}). */
    private NodeGroup karpenterPool(String kubernetesVersion) {
        String amiType = f.string("ami_type", true).filter(oneOf("ami_type", AMI_TYPES)).orElse(null);
        if (amiType != null && !KARPENTER_GPU_AMI_TYPES.contains(amiType)) {
            f.invalid("ami_type", "expected an NVIDIA image Karpenter's node class can select by alias with"
                    + " gpu_capacity: karpenter (" + String.join(", ", KARPENTER_GPU_AMI_TYPES) + "), found \"" + amiType + "\""
                    + (amiType.startsWith("AL2_") ? " (AL2 GPU images ended on 2025-11-26)" : ""));
            amiType = null;
        }
        String knownAmiType = amiType;
        String capacity = f.string("capacity_type", true).filter(oneOf("capacity_type", CAPACITY_TYPES)).orElse(null);
        if ("CAPACITY_BLOCK".equals(capacity)) {
            f.invalid("capacity_type", "expected ON_DEMAND or SPOT with gpu_capacity: karpenter (the GPU pool's"
                    + " karpenter.sh/capacity-type), found \"CAPACITY_BLOCK\" (a capacity block needs a reservation"
                    + " the node class selects: use gpu_capacity: node_group)");
            capacity = null;
        }
        List<String> instanceTypes = f.strings("instance_types", true).filter(this::instanceTypes)
                .filter(types -> gpuTypes(types, knownAmiType)).orElse(null);
        Integer min = f.integer("min_size", true).filter(f.check("min_size", v -> v == 0,
                "0 with gpu_capacity: karpenter (the GPU pool scales from zero: Karpenter starts a node when a pod asks"
                        + " for a GPU)")).orElse(null);
        if (f.has("desired_size")) {
            f.invalid("desired_size", "expected no desired_size with gpu_capacity: karpenter (Karpenter starts as many"
                    + " GPU nodes as pending pods need, up to max_size), found " + YamlFields.describe(f.node("desired_size"))
                    + " (remove the key)");
        }
        Integer max = f.integer("max_size", true).filter(f.check("max_size", v -> v >= 1,
                "1 or more (the most GPU nodes of the pool's largest type running at once)")).orElse(null);
        int disk = f.integer("node_disk_size", false).filter(f.check("node_disk_size",
                v -> v >= MIN_DISK_SIZE_GIB && v <= MAX_DISK_SIZE_GIB,
                "a root volume size in GiB between " + MIN_DISK_SIZE_GIB + " and " + MAX_DISK_SIZE_GIB))
                .orElse(NodeGroup.DEFAULT_DISK_SIZE_GIB);
        Optional<Boolean> taint = f.bool("gpu_taint", false);
        if (taint.isPresent() && !taint.get()) {
            f.invalid("gpu_taint", "expected no gpu_taint (or true) with gpu_capacity: karpenter (the GPU pool is always"
                    + " tainted nvidia.com/gpu, so only work that asks for a GPU starts a GPU node), found false");
        }
        if (amiType == null || capacity == null || instanceTypes == null || min == null || max == null
                || kubernetesVersion == null) {
            return null;
        }
        return new NodeGroup(amiType, capacity, instanceTypes, min, min, max, disk, true);
    }

    /** Every type of the Karpenter GPU pool has NVIDIA GPUs and the node image's CPU architecture. */
    private boolean gpuTypes(List<String> types, String amiType) {
        boolean ok = true;
        for (String t : types) {
            Optional<GpuInstanceTypes.GpuInstanceType> gpu = GpuInstanceTypes.of(t);
            if (gpu.isEmpty()) {
                f.invalid("instance_types", "expected NVIDIA GPU instance types for the Karpenter GPU pool (families "
                        + GpuInstanceTypes.families() + "), found \"" + t + "\"");
                ok = false;
            } else if (amiType != null && !gpu.get().architecture().equals(amiType.contains("ARM_64") ? "arm64" : "amd64")) {
                f.invalid("instance_types", "expected instance types of the image's architecture (" + amiType + "), found \""
                        + t + "\" (" + gpu.get().architecture() + ")");
                ok = false;
            }
        }
        return ok;
    }

    /**
     * The warning of a {@code node_group} env whose sizes suggest autoscaling: nothing changes a
     * managed group's size between min and max without an autoscaler (the seed read them as
     * "bounds for when autoscaling nodes").
     */
    static Optional<ConfigWarning> sizeWarning(java.nio.file.Path file, YamlFields f, EnvConfig.Cluster cluster) {
        NodeGroup ng = cluster.nodeGroup();
        if (cluster.karpenter().isPresent() || ng.minSize() == ng.maxSize()) {
            return Optional.empty();
        }
        return Optional.of(new ConfigWarning(file, YamlFields.line(f.node("min_size")), "min_size",
                "min_size " + ng.minSize() + " and max_size " + ng.maxSize() + " differ, but nothing autoscales a managed"
                        + " node group here (no Cluster Autoscaler): the group stays at desired_size " + ng.desiredSize()
                        + "; for GPU nodes that start on demand and go when idle, set gpu_capacity: karpenter"));
    }

    private boolean instanceTypes(List<String> types) {
        return instanceTypeList(f, "instance_types", "g4dn.xlarge", types);
    }

    /**
     * A list of EC2 instance types under {@code key}: not empty, each like {@code example}, each once.
     * Shared by the GPU capacity's {@code instance_types} and the system group's {@code system_instance_types}.
     */
    static boolean instanceTypeList(YamlFields f, String key, String example, List<String> types) {
        if (types.isEmpty()) {
            f.invalid(key, "expected at least one EC2 instance type like \"" + example + "\", found an empty list");
            return false;
        }
        boolean ok = true;
        for (String t : types) {
            if (!INSTANCE_TYPE.matcher(t).matches()) {
                f.invalid(key, "expected EC2 instance types like \"" + example + "\", found \"" + t + "\"");
                ok = false;
            }
        }
        if (new HashSet<>(types).size() != types.size()) {
            f.invalid(key, "expected each instance type once, found duplicates in " + types);
            ok = false;
        }
        return ok;
    }

    private void sizes(Integer min, Integer desired, Integer max) {
        if (min != null && min < 0) {
            f.invalid("min_size", "expected 0 or more, found " + min);
        }
        if (max != null && max < 1) {
            f.invalid("max_size", "expected 1 or more (EKS needs a node group of at least one node), found " + max);
        }
        if (min != null && desired != null && desired < min) {
            f.invalid("desired_size", "expected min_size <= desired_size, found desired_size " + desired
                    + " < min_size " + min);
        }
        if (desired != null && max != null && desired > max) {
            f.invalid("desired_size", "expected desired_size <= max_size, found desired_size " + desired
                    + " > max_size " + max);
        }
        if (min != null && max != null && desired == null && min > max) {
            f.invalid("min_size", "expected min_size <= max_size, found " + min + " > " + max);
        }
    }

    private java.util.function.Predicate<String> oneOf(String key, Set<String> allowed) {
        return f.check(key, allowed::contains, "one of " + String.join(", ", allowed.stream().sorted().toList()));
    }
}
