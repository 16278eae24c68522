package com.bridgeai.infra.preflight;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.KeyLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Each of the node group's instance types in each of the env's zones: GPU types are not offered
 * everywhere (g5 is missing in some zones of eu-west-2, p-types in whole regions). The node group
 * has a subnet in every zone; a zone offering none of its types never gets a node there, and a
 * type offered nowhere in the env's zones is dead weight in the list.
 */
public final class InstanceOfferings {
    public static final String CHECK = "instance-offerings";

    private InstanceOfferings() {}

    /** One instance type offered in one zone. */
    public record Offer(String instanceType, String zone) {}

    public static Finding judge(String where, List<String> types, List<String> zones, Set<Offer> offered) {
        return judge(where, "instance_types", types, zones, offered);
    }

    /** As {@link #judge(String, List, List, Set)} for the types of env key {@code key} (the GPU or the system types). */
    public static Finding judge(String where, String key, List<String> types, List<String> zones, Set<Offer> offered) {
        List<String> blockers = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String zone : zones) {
            if (types.stream().noneMatch(t -> offered.contains(new Offer(t, zone)))) {
                blockers.add(zone + " offers none of " + types + " (if the zone name is right: an opt-in zone not enabled?)");
            }
        }
        for (String type : types) {
            List<String> missing = zones.stream().filter(z -> !offered.contains(new Offer(type, z))).toList();
            if (missing.size() == zones.size()) {
                blockers.add(type + " is offered in none of " + zones + " (a typo, or not sold in this region)");
            } else if (!missing.isEmpty()) {
                warnings.add(type + " is not offered in " + String.join(", ", missing));
            }
        }
        String change = "Change: " + key + " offered in every zone of availability_zones, or other zones (aws ec2"
                + " describe-instance-type-offerings --location-type availability-zone --filters Name=instance-type,Values="
                + String.join(",", types) + ")";
        if (!blockers.isEmpty()) {
            List<String> all = new ArrayList<>(blockers);
            all.addAll(warnings);
            return Finding.blocker(CHECK, where, String.join("; ", all) + ": no node of " + key + " can start there. " + change);
        }
        if (!warnings.isEmpty()) {
            return Finding.warn(CHECK, where, String.join("; ", warnings) + ": nodes there use the other types only. " + change);
        }
        return Finding.ok(CHECK, where, String.join(", ", types) + " offered in " + String.join(", ", zones));
    }

    public static Finding check(AwsCli aws, EnvConfig env, KeyLines lines) {
        return check(aws, env, lines, "instance_types", env.cluster().nodeGroup().instanceTypes());
    }

    /**
     * The same for the types of env key {@code key}: with {@code gpu_capacity: karpenter} the system
     * node group's ({@code system_instance_types}) are checked as well: its nodes run everything but GPU work.
     */
    public static Finding check(AwsCli aws, EnvConfig env, KeyLines lines, String key, List<String> types) {
        List<String> zones = env.network().availabilityZones();
        String where = lines.at(key);
        AwsCli.Answer answer = aws.call("ec2", "describe-instance-type-offerings", "--location-type", "availability-zone",
                "--filters", "Name=instance-type,Values=" + String.join(",", types),
                "Name=location,Values=" + String.join(",", zones));
        if (!answer.ok()) {
            return Finding.warn(CHECK, where, "cannot judge: DescribeInstanceTypeOfferings answered " + answer.error());
        }
        Set<Offer> offered = new TreeSet<>(java.util.Comparator.comparing(Offer::instanceType).thenComparing(Offer::zone));
        answer.body().path("InstanceTypeOfferings").forEach(o ->
                offered.add(new Offer(o.path("InstanceType").asText(), o.path("Location").asText())));
        return judge(where, key, types, zones, offered);
    }
}
