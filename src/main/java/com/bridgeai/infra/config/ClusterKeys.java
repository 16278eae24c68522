package com.bridgeai.infra.config;

import com.bridgeai.infra.config.EnvConfig.Cluster;
import com.bridgeai.infra.config.EnvConfig.GpuCapacity;
import com.bridgeai.infra.config.EnvConfig.Karpenter;
import com.bridgeai.infra.config.EnvConfig.NodeGroup;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The env file's EKS control-plane keys: the Kubernetes version, API endpoint access, control-plane
 * logs; the node group's keys are read by {@link NodeGroupKeys} in between (in file-reference order).
 */
record ClusterKeys(YamlFields f) {
    static final List<String> KEYS = List.of("kubernetes_version", "support_type", "endpoint_public_access",
            "endpoint_private_access", "public_access_cidrs", "public_access_open_to_world", "cluster_log_types");
    /** The EKS API's UpgradePolicy supportType enum. */
    static final List<String> SUPPORT_TYPES = List.of("STANDARD", "EXTENDED");

    /** The EKS API's LogType enum. */
    static final Set<String> LOG_TYPES = Set.of("api", "audit", "authenticator", "controllerManager", "scheduler");
    /**
     * The oldest Kubernetes minor accepted at all: older ones had left EKS extended support before
     * this loader was written; {@link EksVersionCalendar} warns about the ones after it.
     */
    static final int MIN_MINOR = 23;
    /** The range open to everyone, as a public_access_cidrs entry. */
    static final String ANYWHERE = "0.0.0.0/0";

    private static final Pattern K8S_VERSION = Pattern.compile("1\\.(\\d{2})");

    /**
     * The cluster with its node group; a component is null where its key has an error (the node
     * group when any of its keys has one).
     */
    Cluster read() {
        String version = kubernetesVersion();
        String supportType = f.string("support_type", false).filter(f.check("support_type", SUPPORT_TYPES::contains,
                "STANDARD (EKS upgrades the cluster when the version's standard support ends) or EXTENDED (it stays,"
                        + " at the extended-support price)")).orElse(Cluster.DEFAULT_SUPPORT_TYPE);
        ComputeKeys compute = new ComputeKeys(f);
        GpuCapacity mode = compute.mode();
        // with an unreadable gpu_capacity the node-group keys' rules (which depend on it) are not applied:
        // one error for the one wrong key, not a cascade from guessing the mode
        NodeGroup nodeGroup = mode == null ? null : new NodeGroupKeys(f).read(version, mode);
        Optional<Karpenter> karpenter = mode == GpuCapacity.KARPENTER ? compute.karpenter(nodeGroup) : Optional.empty();
        boolean publicAccess = f.bool("endpoint_public_access", false).orElse(Cluster.DEFAULT_ENDPOINT_PUBLIC_ACCESS);
        boolean privateAccess = f.bool("endpoint_private_access", false).orElse(Cluster.DEFAULT_ENDPOINT_PRIVATE_ACCESS);
        if (!publicAccess && !privateAccess) {
            f.invalid("endpoint_private_access",
                    "expected at least one of endpoint_public_access / endpoint_private_access to be true, found both false");
        }
        List<String> accessCidrs = f.strings("public_access_cidrs", false)
                .filter(l -> cidrList("public_access_cidrs", l)).orElse(Cluster.DEFAULT_PUBLIC_ACCESS_CIDRS);
        boolean openToWorld = f.bool("public_access_open_to_world", false).orElse(Cluster.DEFAULT_PUBLIC_ACCESS_OPEN_TO_WORLD);
        boolean open = publicAccess && accessCidrs.contains(ANYWHERE);
        if (openToWorld && !open) {
            f.invalid("public_access_open_to_world", "expected public_access_open_to_world: true only with the public"
                    + " endpoint on and " + ANYWHERE + " in public_access_cidrs, found "
                    + (publicAccess ? "public_access_cidrs without " + ANYWHERE : "endpoint_public_access: false")
                    + " (remove the key)");
        }
        List<String> logTypes = f.strings("cluster_log_types", false)
                .filter(l -> allOf("cluster_log_types", l, LOG_TYPES)).orElse(Cluster.DEFAULT_LOG_TYPES);
        return new Cluster(version, supportType, publicAccess, privateAccess, accessCidrs, openToWorld, logTypes, nodeGroup,
                karpenter);
    }

    /**
     * A real-AWS env whose public endpoint admits {@value #ANYWHERE} must say so in its own file
     * ({@code public_access_open_to_world: true}): checkov's CKV_AWS_38 is then waived for that
     * env's cluster alone (EksStack), and every other env fails here, at synth, before a scan. The
     * emulated env is exempt (moto's endpoint is not on the internet).
     */
    void requireExplicitOpenEndpoint(Cluster cluster, boolean emulated) {
        if (emulated || cluster == null || !cluster.endpointPublicAccess() || !cluster.publicAccessCidrs().contains(ANYWHERE)
                || cluster.publicAccessOpenToWorld()) {
            return;
        }
        // at the key's line when the file writes it, else line 0 (as a missing key): the default is open
        f.error(f.has("public_access_cidrs") ? f.node("public_access_cidrs") : null, "public_access_cidrs", "expected the public EKS API endpoint of this real-AWS env to be limited to your ranges, found it open to "
                + ANYWHERE + (f.has("public_access_cidrs") ? "" : " (public_access_cidrs' default)")
                + ": set public_access_cidrs to the ranges you deploy from (office, VPN, CI runners), or"
                + " endpoint_public_access: false, or, to open it to the internet on purpose, public_access_open_to_world: true");
    }

    /**
     * What a valid cluster of a real-AWS env may cost or expose without being wrong: a public
     * endpoint opened to everyone on purpose, a Kubernetes version past, in or near the end of
     * standard support (worded after {@code support_type}).
     */
    List<ConfigWarning> warnings(Path file, Cluster cluster, boolean emulated, LocalDate today) {
        List<ConfigWarning> warnings = new ArrayList<>();
        if (!emulated && cluster.endpointPublicAccess() && cluster.publicAccessCidrs().contains(ANYWHERE)) {
            warnings.add(new ConfigWarning(file, f.has("public_access_cidrs") ? YamlFields.line(f.node("public_access_cidrs")) : 0,
                    "public_access_cidrs", "the EKS API endpoint of this real-AWS env is public and open to " + ANYWHERE
                    + (f.has("public_access_cidrs") ? "" : " (the default)") + " (public_access_open_to_world: true);"
                    + " anyone on the internet can try to authenticate against it: set public_access_cidrs to the ranges"
                    + " you deploy from (office, VPN, CI runners), or endpoint_public_access: false"));
        }
        NodeGroupKeys.sizeWarning(file, f, cluster).ifPresent(warnings::add);
        if (!emulated) {
            // the emulator accepts any version; real AWS refuses ended ones and bills extended ones
            EksVersionCalendar.bundled().warning(cluster.kubernetesVersion(), cluster.supportType(), today).ifPresent(message -> warnings.add(
                    new ConfigWarning(file, YamlFields.line(f.node("kubernetes_version")), "kubernetes_version", message)));
        }
        return warnings;
    }

    /** The minor of a valid {@code 1.NN} version. */
    static int minor(String version) {
        return Integer.parseInt(version.substring(2));
    }

    private String kubernetesVersion() {
        Node node = f.node("kubernetes_version");
        if (f.has("kubernetes_version") && node instanceof ScalarNode s
                && (Tag.FLOAT.equals(s.getTag()) || Tag.INT.equals(s.getTag()))) {
            String quoted = K8S_VERSION.matcher(s.getValue()).matches() ? s.getValue() : "1.30";
            f.invalid("kubernetes_version", "expected a quoted string like \"1.30\", found the number " + s.getValue()
                    + " (YAML reads an unquoted 1.30 as 1.3: write kubernetes_version: \"" + quoted + "\")");
            return null;
        }
        return f.string("kubernetes_version", true).filter(f.check("kubernetes_version",
                v -> K8S_VERSION.matcher(v).matches() && minor(v) >= MIN_MINOR,
                "a Kubernetes minor version \"1.NN\" (1." + MIN_MINOR + " or newer) like \"1.30\"")).orElse(null);
    }

    private boolean cidrList(String key, List<String> list) {
        boolean ok = !list.isEmpty();
        if (!ok) {
            f.invalid(key, "expected at least one CIDR block, found an empty list");
        }
        for (String v : list) {
            if (Cidr.parse(v).filter(Cidr::isNetworkAddress).isEmpty()) {
                f.invalid(key, "expected IPv4 CIDR blocks like \"203.0.113.0/24\", found \"" + v + "\"");
                ok = false;
            }
        }
        return ok;
    }

    private boolean allOf(String key, List<String> values, Set<String> allowed) {
        boolean ok = true;
        for (String v : values) {
            if (!allowed.contains(v)) {
                f.invalid(key, "expected values from " + String.join(", ", allowed.stream().sorted().toList())
                        + ", found \"" + v + "\"");
                ok = false;
            }
        }
        return ok;
    }
}
