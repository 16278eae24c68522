package com.bridgeai.infra.config;

import com.bridgeai.infra.config.CrossEnvChecks.Located;
import com.bridgeai.infra.config.EnvConfig.Addons;
import com.bridgeai.infra.config.EnvConfig.AppsDatabase;
import com.bridgeai.infra.config.EnvConfig.Ci;
import com.bridgeai.infra.config.EnvConfig.Cluster;
import com.bridgeai.infra.config.EnvConfig.GitOps;
import com.bridgeai.infra.config.EnvConfig.Network;
import com.bridgeai.infra.config.EnvConfig.Project;
import com.bridgeai.infra.config.EnvConfig.StateBackend;
import com.bridgeai.infra.modules.flux.FluxRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Finds every {@code env/<name>/env.yaml}, parses it safely ({@link EnvYaml}) and validates it
 * into an {@link EnvConfig}: each section of the file by its reader ({@link StateKeys},
 * {@link ProjectKeys}, {@link NetworkKeys}, {@link LoggingKeys}, {@link ClusterKeys} with
 * {@link NodeGroupKeys}, {@link AddonKeys}, {@link DatabaseKeys}, {@link GitOpsKeys},
 * {@link EmulatorKeys}, {@link CiKeys}), then the files against each other ({@link CrossEnvChecks}).
 * All problems of all files are collected and thrown together as one
 * {@link InvalidConfigException}, before any construct is built.
 */
public final class EnvConfigLoader {
    public static final String FILE_NAME = "env.yaml";

    /** Every top-level key of an env file: the union of the section readers' keys. */
    static final Set<String> KNOWN_KEYS = Stream.of(StateKeys.KEYS, ProjectKeys.KEYS, NetworkKeys.KEYS,
            LoggingKeys.KEYS, ClusterKeys.KEYS, NodeGroupKeys.KEYS, ComputeKeys.KEYS, AddonKeys.KEYS, DatabaseKeys.KEYS,
            GitOpsKeys.KEYS, EmulatorKeys.KEYS, CiKeys.KEYS).flatMap(List::stream).collect(Collectors.toUnmodifiableSet());

    private EnvConfigLoader() {}

    /**
     * Loads every environment under {@code envRoot} (sorted by name), optionally only those
     * named in {@code only}. Throws {@link InvalidConfigException} with every error of every file.
     */
    public static List<EnvConfig> loadAll(Path envRoot, Set<String> only) {
        return loadAll(envRoot, only, Clock.systemUTC());
    }

    /**
     * As {@link #loadAll(Path, Set)}, with "today" (for the EKS version calendar's warnings)
     * taken from {@code clock}: tests pass a fixed clock.
     */
    public static List<EnvConfig> loadAll(Path envRoot, Set<String> only, Clock clock) {
        LocalDate today = LocalDate.now(clock);
        List<ConfigError> errors = new ArrayList<>();
        if (!Files.isDirectory(envRoot)) {
            throw new InvalidConfigException(List.of(new ConfigError(envRoot, 0, "",
                    "expected a directory of environments (<env>/" + FILE_NAME + "), found no such directory")));
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(envRoot)) {
            // every visible folder is an environment: a misnamed env.yml must not be skipped silently
            dirs = s.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new InvalidConfigException(List.of(
                    new ConfigError(envRoot, 0, "", "cannot list environments: " + e.getMessage())));
        }
        if (dirs.isEmpty()) {
            throw new InvalidConfigException(List.of(new ConfigError(envRoot, 0, "",
                    "expected at least one <env>/" + FILE_NAME + ", found none")));
        }
        Set<String> found = new TreeSet<>();
        List<Located> all = new ArrayList<>();
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            found.add(name);
            Path file = dir.resolve(FILE_NAME);
            if (!Files.isRegularFile(file)) {
                errors.add(new ConfigError(file, 0, "", "expected this file (every folder under " + envRoot
                        + " is an environment), found " + folderContents(dir)));
                continue;
            }
            // every env is validated, also when only some are selected: an invalid file anywhere
            // stops the synth before anything is written
            List<ConfigError> fileErrors = new ArrayList<>();
            Located config = load(file, fileErrors, today);
            errors.addAll(fileErrors);
            if (fileErrors.isEmpty()) {
                all.add(config);
            }
        }
        for (String wanted : only) {
            if (!found.contains(wanted)) {
                errors.add(new ConfigError(envRoot.resolve(wanted).resolve(FILE_NAME), 0, "",
                        "expected this file (environment '" + wanted + "' was asked for), found no such file;"
                                + " environments found: " + found));
            }
        }
        errors.addAll(CrossEnvChecks.sharedAccountResources(all, new EnvOrigin(envRoot)));
        errors.addAll(CrossEnvChecks.promotion(all));
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return all.stream().map(Located::env).filter(c -> only.isEmpty() || only.contains(c.name())).toList();
    }

    private static String folderContents(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            return names.isEmpty() ? "an empty folder" : "no " + FILE_NAME + " (the folder holds: " + String.join(", ", names)
                    + "); name the file " + FILE_NAME + " or move the folder out of the env root";
        } catch (IOException e) {
            return "an unreadable folder: " + e.getMessage();
        }
    }

    /** Loads one file; throws {@link InvalidConfigException} with all its errors. */
    public static EnvConfig load(Path file) {
        return load(file, Clock.systemUTC());
    }

    /** Loads one file with "today" from {@code clock}; throws {@link InvalidConfigException} with all its errors. */
    public static EnvConfig load(Path file, Clock clock) {
        List<ConfigError> errors = new ArrayList<>();
        Located config = load(file, errors, LocalDate.now(clock));
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return config.env();
    }

    private static Located load(Path file, List<ConfigError> errors, LocalDate today) {
        Node root = EnvYaml.read(file, errors);
        if (root == null) {
            return null;
        }
        YamlFields f = YamlFields.of(file, "", root, errors);
        if (f == null) {
            return null;
        }
        f.rejectUnknownKeys(KNOWN_KEYS, GitOpsKeys::tokenKeyRefusal);
        EnvConfig config = validate(file, f, errors, today);
        return config == null ? null : Located.of(config, root);
    }

    /**
     * Reads each section in the order of the README's reference (later sections' rules use
     * earlier values: the zones need the region, the GitOps defaults the names, the node group
     * the Kubernetes version); builds the record only when the file has no error.
     */
    private static EnvConfig validate(Path file, YamlFields f, List<ConfigError> errors, LocalDate today) {
        int before = errors.size();
        String folder = file.toAbsolutePath().getParent().getFileName().toString();
        StateBackend backend = new StateKeys(f).read();
        Project project = new ProjectKeys(f, folder).read();
        Network network = new NetworkKeys(f).read(project.region());
        int logRetentionDays = new LoggingKeys(f).retentionDays();
        ClusterKeys clusterKeys = new ClusterKeys(f);
        Cluster cluster = clusterKeys.read();
        Addons addons = new AddonKeys(f, errors).read();
        AppsDatabase appsDatabase = new DatabaseKeys(f).read();
        Optional<GitOps> gitops = new GitOpsKeys(f, errors)
                .read(project.project(), project.environment(), cluster.kubernetesVersion());
        Optional<String> emulator = new EmulatorKeys(f).read();
        Optional<Ci> ci = new CiKeys(f, errors).read(project.environment(), emulator.isPresent());
        clusterKeys.requireExplicitOpenEndpoint(cluster, emulator.isPresent());
        // an emulated env has no GitOps stacks at all (no Kubernetes API, no GitHub): there Karpenter's
        // AWS side (roles, queue, rules, tags, system group) is applied and checked on its own
        if (gitops.isEmpty() && emulator.isEmpty() && cluster.karpenter().isPresent()) {
            f.invalid("gpu_capacity", "expected github_owner with gpu_capacity: karpenter (Flux installs Karpenter and its"
                    + " GPU node pool from the GitOps repository), found no github_owner");
        }
        if (gitops.isPresent() && cluster.karpenter().isPresent()) {
            // Karpenter's chart is an OCI artifact, fetched by an OCIRepository (v1 from Flux 2.6)
            FluxRelease.forKubernetes(cluster.kubernetesVersion()).filter(r -> !r.servesOciRepositoryV1()).ifPresent(r ->
                    f.invalid("kubernetes_version", "expected 1.31 or newer with gpu_capacity: karpenter (its Flux, "
                            + r.fluxVersion() + ", lacks the OCIRepository v1 API the GitOps tree installs Karpenter's"
                            + " chart with; Flux 2.6+), found \"" + cluster.kubernetesVersion() + "\""));
        }
        if (errors.size() > before) {
            return null;
        }
        List<ConfigWarning> warnings = new java.util.ArrayList<>(clusterKeys.warnings(file, cluster, emulator.isPresent(), today));
        warnings.addAll(CiKeys.warnings(file, f, ci, gitops.isPresent(), cluster, emulator.isPresent()));
        return new EnvConfig(file, backend, project, network, cluster, addons, logRetentionDays, appsDatabase,
                gitops, emulator, ci, List.copyOf(warnings));
    }
}
