package com.bridgeai.infra.preflight;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfig.NodeGroup;
import com.bridgeai.infra.config.KeyLines;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GPU node group against the account's vCPU quota for G and VT instances. EC2 counts running
 * instances per class in vCPUs, per region and for the whole account (every env and anything else
 * of the account in the region shares it), and new accounts often have 0 for G and VT: the node
 * group then never gets a node and EKS reports it CREATE_FAILED after its timeout.
 */
public final class VcpuQuota {
    public static final String CHECK = "gpu-vcpu-quota";
    static final ServiceQuotas.Quota ON_DEMAND = new ServiceQuotas.Quota("L-DB2E81BA", "Running On-Demand G and VT instances");
    static final ServiceQuotas.Quota SPOT = new ServiceQuotas.Quota("L-3819A6DF", "All G and VT Spot Instance Requests");
    private static final Pattern FAMILY = Pattern.compile("([a-z]+)[0-9].*");

    private VcpuQuota() {}

    /** True for instance types under the G and VT quotas (g4dn, g5, g5g, g6, g6e, gr6, vt1, ...). */
    static boolean gAndVt(String instanceType) {
        Matcher m = FAMILY.matcher(instanceType);
        return m.matches() && (m.group(1).equals("g") || m.group(1).equals("gr") || m.group(1).equals("vt"));
    }

    /** The quota a node group of this capacity type runs under; empty for capacity blocks (bought ahead, no quota). */
    static Optional<ServiceQuotas.Quota> quotaFor(String capacityType) {
        return switch (capacityType) {
            case "ON_DEMAND" -> Optional.of(ON_DEMAND);
            case "SPOT" -> Optional.of(SPOT);
            default -> Optional.empty();
        };
    }

    /**
     * What the node group may run at most: every node of the largest of its G/VT types (EKS may
     * launch any of the listed types).
     */
    public record Need(int desiredNodes, int maxNodes, int vcpusPerNode, String largestType) {
        int desiredVcpus() {
            return desiredNodes * vcpusPerNode;
        }

        int maxVcpus() {
            return maxNodes * vcpusPerNode;
        }
    }

    /**
     * @param where      {@code file:line: max_size}
     * @param quota      the quota the node group runs under
     * @param need       what it needs
     * @param value      the quota's value in the region, if it could be read
     * @param inUse      vCPUs of this class already running in the region outside this env's cluster
     * @param cli        the CLI options that reach the account ({@code --region r --profile p}), for the printed command
     */
    public static Finding judge(String where, ServiceQuotas.Quota quota, Need need, ServiceQuotas.Value value, int inUse,
            String cli) {
        String needs = "max_size " + need.maxNodes() + " x " + need.vcpusPerNode() + " vCPUs (" + need.largestType() + ") = "
                + need.maxVcpus() + " vCPUs";
        if (value.value().isEmpty()) {
            return Finding.warn(CHECK, where, "cannot judge: " + quota + " could not be read (" + value.source() + "); the"
                    + " node group needs " + needs + (inUse > 0 ? " beside " + inUse + " vCPUs already running" : "")
                    + ". Look it up: aws service-quotas get-service-quota --service-code ec2 --quota-code " + quota.code()
                    + " " + cli);
        }
        double limit = value.value().get();
        double free = limit - inUse;
        String found = quota + " is " + ServiceQuotas.number(limit) + " vCPUs (" + value.source() + ")"
                + (inUse > 0 ? ", " + inUse + " of them used by running instances outside this cluster" : "");
        long ask = (long) Math.ceil(inUse + need.maxVcpus());
        String change = "Change: request an increase to at least " + ask + " vCPUs (aws service-quotas"
                + " request-service-quota-increase --service-code ec2 --quota-code " + quota.code() + " --desired-value "
                + ask + " " + cli + "; GPU increases can take days and may need a support case), or lower max_size";
        if (free < need.desiredVcpus()) {
            return Finding.blocker(CHECK, where, found + ": not even desired_size " + need.desiredNodes() + " x "
                    + need.vcpusPerNode() + " vCPUs = " + need.desiredVcpus() + " fits, so the node group gets no node and"
                    + " its creation fails. " + change);
        }
        if (free < need.maxVcpus()) {
            return Finding.blocker(CHECK, where, found + ": desired_size fits but " + needs + " does not: the node group"
                    + " cannot scale to the size the env file promises. " + change);
        }
        return Finding.ok(CHECK, where, found + "; the node group needs at most " + needs);
    }

    /** Asks the account and judges (the env's node group may be on-demand, spot or a capacity block). */
    public static Finding check(AwsCli aws, EnvConfig env, KeyLines lines, String cli) {
        NodeGroup group = env.cluster().nodeGroup();
        String where = lines.at("max_size");
        Optional<ServiceQuotas.Quota> quota = quotaFor(group.capacityType());
        if (quota.isEmpty()) {
            return Finding.warn(CHECK, lines.at("capacity_type"), group.capacityType() + ": the nodes run in a purchased"
                    + " Capacity Block, outside the On-Demand and Spot vCPU quotas: make sure the block holds max_size "
                    + group.maxSize() + " nodes of " + group.instanceTypes());
        }
        List<String> gpuTypes = group.instanceTypes().stream().filter(VcpuQuota::gAndVt).toList();
        List<String> others = group.instanceTypes().stream().filter(t -> !gAndVt(t)).toList();
        String otherNote = others.isEmpty() ? "" : " (" + String.join(", ", others) + ": not G or VT instances; their"
                + " vCPU quota, e.g. \"Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances\" (L-1216C47A), is"
                + " not checked here)";
        if (gpuTypes.isEmpty()) {
            return Finding.warn(CHECK, lines.at("instance_types"), "none of " + group.instanceTypes() + " is a G or VT"
                    + " instance type: the GPU quota does not apply" + otherNote);
        }
        // what else of the class runs in the region (other envs, anything of the account), minus this
        // cluster's own nodes: on a re-run they are already counted in the need
        AwsCli.Answer running = aws.call("ec2", "describe-instances", "--filters",
                "Name=instance-state-name,Values=pending,running");
        if (!running.ok()) {
            return Finding.warn(CHECK, where, "cannot judge: DescribeInstances answered " + running.error() + otherNote);
        }
        List<JsonNode> instances = new ArrayList<>();
        running.body().path("Reservations").forEach(r -> r.path("Instances").forEach(instances::add));
        boolean spot = group.capacityType().equals("SPOT");
        List<String> inUseTypes = new ArrayList<>();
        for (JsonNode i : instances) {
            String type = i.path("InstanceType").asText();
            // no lifecycle = on-demand; capacity-block instances run in a reservation, under no quota
            String lifecycle = i.path("InstanceLifecycle").asText();
            boolean counted = spot ? lifecycle.equals("spot") : !lifecycle.equals("spot") && !lifecycle.equals("capacity-block");
            if (gAndVt(type) && counted && !env.clusterName().equals(tag(i, "eks:cluster-name"))) {
                inUseTypes.add(type);
            }
        }
        Set<String> lookup = new LinkedHashSet<>(gpuTypes);
        lookup.addAll(inUseTypes);
        Map<String, Integer> vcpus = new HashMap<>();
        AwsCli.Answer types = aws.call("ec2", "describe-instance-types", "--filters",
                "Name=instance-type,Values=" + String.join(",", lookup));
        if (!types.ok()) {
            return Finding.warn(CHECK, where, "cannot judge: DescribeInstanceTypes answered " + types.error() + otherNote);
        }
        types.body().path("InstanceTypes").forEach(t ->
                vcpus.put(t.path("InstanceType").asText(), t.path("VCpuInfo").path("DefaultVCpus").asInt()));
        List<String> unknown = gpuTypes.stream().filter(t -> !vcpus.containsKey(t)).toList();
        if (unknown.size() == gpuTypes.size()) {
            return Finding.warn(CHECK, lines.at("instance_types"), "cannot judge: the region knows none of " + unknown
                    + " (see the instance-offerings line)" + otherNote);
        }
        String largest = gpuTypes.stream().filter(vcpus::containsKey).max(java.util.Comparator.comparing(vcpus::get)).orElseThrow();
        int inUse = inUseTypes.stream().mapToInt(t -> vcpus.getOrDefault(t, 0)).sum();
        Finding f = judge(where, quota.get(), new Need(group.desiredSize(), group.maxSize(), vcpus.get(largest), largest),
                ServiceQuotas.read(aws, quota.get()), inUse, cli);
        return otherNote.isEmpty() ? f : new Finding(f.level(), f.check(), f.where(), f.message() + otherNote);
    }

    /** The value of a resource's tag in a Describe answer ({@code Tags: [{Key, Value}]}); "" when absent. */
    static String tag(JsonNode resource, String key) {
        for (JsonNode t : resource.path("Tags")) {
            if (t.path("Key").asText().equals(key)) {
                return t.path("Value").asText();
            }
        }
        return "";
    }
}
