package com.bridgeai.infra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.config.EnvConfig.Addons;
import com.bridgeai.infra.config.EnvConfig.AppsDatabase;
import com.bridgeai.infra.config.EnvConfig.Ci;
import com.bridgeai.infra.config.EnvConfig.Cluster;
import com.bridgeai.infra.config.EnvConfig.GitOps;
import com.bridgeai.infra.config.EnvConfig.Network;
import com.bridgeai.infra.config.EnvConfig.NodeGroup;
import com.bridgeai.infra.config.EnvConfig.StateBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manual's env.yaml reference table (docs/env-yaml.md) against the code: every key the loader knows has a row,
 * every default in the table's {@code default} column is the {@code DEFAULT_*} constant of its
 * record (rendered as the table writes it), the seed file (which sets none of these keys) loads
 * with exactly those values, and every key the table calls {@code required} is refused when the
 * seed leaves it out.
 */
class ReadmeDefaultsTest {
    static final Path README = Path.of("docs", "env-yaml.md"); // the manual's env.yaml reference page
    static final Path SEED = Path.of("env", "test", "env.yaml");

    @TempDir
    Path root;

    /** One documented default: the constant as the README writes it, and the seed's loaded value likewise. */
    record Default(String constant, Function<EnvConfig, String> loaded) {}

    static final Map<String, Default> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("create_lock_table", new Default(code(StateBackend.DEFAULT_CREATE_LOCK_TABLE),
                e -> code(e.backend().createLockTable())));
        // enums are written in lower case in env.yaml (one_per_az, rds)
        DEFAULTS.put("nat_gateways", new Default(code(yaml(Network.DEFAULT_NAT_GATEWAYS)),
                e -> code(yaml(e.network().natGateways()))));
        DEFAULTS.put("flow_logs", new Default(code(Network.DEFAULT_FLOW_LOGS), e -> code(e.network().flowLogs())));
        DEFAULTS.put("log_retention_days", new Default(code(EnvConfig.DEFAULT_LOG_RETENTION_DAYS),
                e -> code(e.logRetentionDays())));
        DEFAULTS.put("node_disk_size", new Default(code(NodeGroup.DEFAULT_DISK_SIZE_GIB),
                e -> code(e.cluster().nodeGroup().diskSizeGib())));
        DEFAULTS.put("gpu_taint", new Default(code(NodeGroup.DEFAULT_GPU_TAINT),
                e -> code(e.cluster().nodeGroup().gpuTaint())));
        DEFAULTS.put("gpu_capacity", new Default(code(yaml(Cluster.DEFAULT_GPU_CAPACITY)),
                e -> code(yaml(e.cluster().gpuCapacity()))));
        // the karpenter keys' defaults: the seed is a node_group env, EnvConfigComputeTest loads them
        DEFAULTS.put("system_instance_types", new Default(code(flowList(EnvConfig.Karpenter.DEFAULT_SYSTEM_INSTANCE_TYPES)),
                e -> null));
        DEFAULTS.put("system_node_count", new Default(code(EnvConfig.Karpenter.DEFAULT_SYSTEM_NODE_COUNT), e -> null));
        DEFAULTS.put("gpu_ami_version", new Default(code(EnvConfig.Karpenter.DEFAULT_AL2023_AMI_VERSION), e -> null));
        DEFAULTS.put("gpu_consolidate_after", new Default(code(EnvConfig.Karpenter.DEFAULT_CONSOLIDATE_AFTER), e -> null));
        DEFAULTS.put("endpoint_public_access", new Default(code(Cluster.DEFAULT_ENDPOINT_PUBLIC_ACCESS),
                e -> code(e.cluster().endpointPublicAccess())));
        DEFAULTS.put("endpoint_private_access", new Default(code(Cluster.DEFAULT_ENDPOINT_PRIVATE_ACCESS),
                e -> code(e.cluster().endpointPrivateAccess())));
        DEFAULTS.put("public_access_cidrs", new Default(code(flowList(Cluster.DEFAULT_PUBLIC_ACCESS_CIDRS)),
                e -> code(flowList(e.cluster().publicAccessCidrs()))));
        DEFAULTS.put("support_type", new Default(code(Cluster.DEFAULT_SUPPORT_TYPE), e -> code(e.cluster().supportType())));
        DEFAULTS.put("public_access_open_to_world", new Default(code(Cluster.DEFAULT_PUBLIC_ACCESS_OPEN_TO_WORLD),
                e -> null)); // the seed sets it (its endpoint stays open to 0.0.0.0/0 on purpose)
        DEFAULTS.put("cluster_log_types", new Default(logTypes(Cluster.DEFAULT_LOG_TYPES),
                e -> logTypes(e.cluster().logTypes())));
        DEFAULTS.put("addons", new Default(code(flowList(Addons.DEFAULT_LIST.stream().map(Object::toString).toList())),
                e -> null)); // the seed sets addons
        DEFAULTS.put("apps_database", new Default(code(yaml(AppsDatabase.DEFAULT_KIND)),
                e -> code(yaml(e.appsDatabase().kind()))));
        DEFAULTS.put("db_instance_class", new Default(code(AppsDatabase.DEFAULT_INSTANCE_CLASS),
                e -> code(e.appsDatabase().instanceClass())));
        DEFAULTS.put("db_multi_az", new Default(code(AppsDatabase.DEFAULT_MULTI_AZ),
                e -> code(e.appsDatabase().multiAz())));
        DEFAULTS.put("gitops_repository", new Default(code(GitOps.defaultRepository("<project>", "<environment>")),
                e -> code(e.gitops().orElseThrow().repository()
                        .replace(e.project().project() + "-" + e.name(), "<project>-<environment>"))));
        DEFAULTS.put("gitops_branch", new Default(code(GitOps.DEFAULT_BRANCH), e -> code(e.gitops().orElseThrow().branch())));
        DEFAULTS.put("gitops_visibility", new Default(code(GitOps.DEFAULT_VISIBILITY),
                e -> code(e.gitops().orElseThrow().visibility())));
        DEFAULTS.put("gitops_create_repository", new Default(code(GitOps.DEFAULT_CREATE_REPOSITORY),
                e -> code(e.gitops().orElseThrow().createRepository())));
        DEFAULTS.put("flux_path", new Default(code(GitOps.defaultFluxPath("<environment>")),
                e -> code(e.gitops().orElseThrow().fluxPath().replace(e.name(), "<environment>"))));
        DEFAULTS.put("flux_image_automation", new Default(code(GitOps.DEFAULT_IMAGE_AUTOMATION),
                e -> code(e.gitops().orElseThrow().imageAutomation())));
        // the ci_* defaults: the seed has no CI keys, EnvConfigCiTest loads them
        DEFAULTS.put("ci_branch", new Default(code(Ci.DEFAULT_BRANCH), e -> null));
        DEFAULTS.put("ci_github_environment", new Default(
                Ci.defaultGithubEnvironment("an-env").equals("an-env") ? "the env's name" : "(not the env's name)", e -> null));
        DEFAULTS.put("ci_create_oidc_provider", new Default(code(Ci.DEFAULT_CREATE_OIDC_PROVIDER), e -> null));
        DEFAULTS.put("ci_runner_labels", new Default(code(flowList(Ci.DEFAULT_RUNNER_LABELS)), e -> null));
    }

    @Test
    void everyKnownKeyHasARowAndEveryRowAKnownKey() throws IOException {
        assertEquals(new TreeSet<>(EnvConfigLoader.KNOWN_KEYS), new TreeSet<>(readmeDefaults().keySet()));
    }

    @Test
    void everyDefaultInTheReadmeIsTheConstantOnTheRecord() throws IOException {
        Map<String, String> readme = readmeDefaults();
        for (var e : DEFAULTS.entrySet()) {
            assertEquals(e.getValue().constant(), readme.get(e.getKey()), "README default of " + e.getKey());
        }
        // every other key documents no default: required, or absent = feature off
        for (var e : readme.entrySet()) {
            if (!DEFAULTS.containsKey(e.getKey())) {
                assertTrue(e.getValue().startsWith("required") || e.getValue().startsWith("— ("),
                        e.getKey() + " documents a default no constant backs: " + e.getValue());
            }
        }
    }

    @Test
    void theSeedWhichSetsNoneOfTheseKeysLoadsWithTheDefaults() {
        EnvConfig seed = EnvConfigLoader.load(SEED);
        for (var e : DEFAULTS.entrySet()) {
            String loaded = e.getValue().loaded().apply(seed);
            if (loaded != null) {
                assertEquals(e.getValue().constant(), loaded, "the seed's " + e.getKey());
            }
        }
    }

    @Test
    void everyKeyTheReadmeCallsRequiredIsRefusedWhenMissing() throws IOException {
        List<String> seedLines = Files.readAllLines(SEED, StandardCharsets.UTF_8);
        Set<String> required = readmeDefaults().entrySet().stream().filter(e -> e.getValue().equals("required"))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(required.isEmpty());
        for (String key : required) {
            List<String> without = seedLines.stream().filter(l -> !l.startsWith(key + ":")).toList();
            // the seed loads, so it sets every key that really is required (on one line each)
            assertEquals(seedLines.size() - 1, without.size(), "the README calls " + key + " required, but the"
                    + " seed, which loads, does not set it on a line of its own: the README or the loader is wrong");
            Path file = Files.createDirectories(root.resolve("test")).resolve(EnvConfigLoader.FILE_NAME);
            Files.write(file, without, StandardCharsets.UTF_8);
            InvalidConfigException ex = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.load(file));
            assertTrue(ex.errors().stream().anyMatch(err -> err.keyPath().equals(key)
                            && err.message().startsWith("missing required key")),
                    key + " left out: " + ex.errors());
        }
    }

    /** The env.yaml reference table: key → the text of its default column (backticks kept). */
    static Map<String, String> readmeDefaults() throws IOException {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        int start = lines.indexOf("## env.yaml reference");
        assertTrue(start >= 0, "docs/env-yaml.md has no '## env.yaml reference' section");
        int header = start;
        while (!lines.get(header).startsWith("| key | type | default |")) {
            header++;
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            List<String> keys = List.of(cells[1].trim().split(" / "));
            List<String> values = List.of(cells[3].trim().split(" / "));
            for (int k = 0; k < keys.size(); k++) {
                String key = keys.get(k).replace("`", "");
                defaults.put(key, values.size() == keys.size() ? values.get(k) : cells[3].trim());
            }
        }
        return defaults;
    }

    private static String code(Object value) {
        return "`" + value + "`";
    }

    private static String yaml(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** A YAML flow list of strings: {@code ["0.0.0.0/0"]}. */
    private static String flowList(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    /** The README says "all five" for the whole EKS enum; any other default would be listed. */
    private static String logTypes(List<String> types) {
        return Set.copyOf(types).equals(ClusterKeys.LOG_TYPES) && types.size() == 5 ? "all five" : code(flowList(types));
    }
}
