package com.bridgeai.infra.config;

import com.bridgeai.infra.config.EnvConfig.Addon;
import com.bridgeai.infra.config.EnvConfig.Addons;
import com.bridgeai.infra.config.EnvConfig.AppsDatabase;
import com.bridgeai.infra.config.EnvConfig.AppsDatabaseKind;
import com.bridgeai.infra.config.EnvConfig.Cluster;
import com.bridgeai.infra.config.EnvConfig.GitOps;
import com.bridgeai.infra.config.EnvConfig.NatGateways;
import com.bridgeai.infra.config.EnvConfig.Network;
import com.bridgeai.infra.config.EnvConfig.NodeGroup;
import com.bridgeai.infra.config.EnvConfig.Project;
import com.bridgeai.infra.config.EnvConfig.StateBackend;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.nio.charset.CharacterCodingException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import com.bridgeai.infra.modules.aws.eks.AddonCatalog;
import com.bridgeai.infra.modules.aws.eks.GpuFamily;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Finds every {@code env/<name>/env.yaml}, parses it safely and validates it into an
 * {@link EnvConfig}. All problems of all files are collected and thrown together as one
 * {@link InvalidConfigException}, before any construct is built.
 */
public final class EnvConfigLoader {
    public static final String FILE_NAME = "env.yaml";

    /** The EKS API's Nodegroup.amiType enum (API reference, 2024-2025). */
    static final Set<String> AMI_TYPES = Set.of(
            "AL2_x86_64", "AL2_x86_64_GPU", "AL2_ARM_64", "CUSTOM",
            "BOTTLEROCKET_ARM_64", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64_FIPS", "BOTTLEROCKET_x86_64_FIPS",
            "BOTTLEROCKET_ARM_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA",
            "WINDOWS_CORE_2019_x86_64", "WINDOWS_FULL_2019_x86_64", "WINDOWS_CORE_2022_x86_64", "WINDOWS_FULL_2022_x86_64",
            "AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NEURON", "AL2023_x86_64_NVIDIA",
            "AL2023_ARM_64_NVIDIA");
    /** The EKS API's Nodegroup.capacityType enum. */
    static final Set<String> CAPACITY_TYPES = Set.of("ON_DEMAND", "SPOT", "CAPACITY_BLOCK");
    /** The EKS API's LogType enum. */
    static final Set<String> LOG_TYPES = Set.of("api", "audit", "authenticator", "controllerManager", "scheduler");
    /** EKS stops publishing AL2 AMIs after Kubernetes 1.32. */
    static final int LAST_AL2_MINOR = 32;
    /** IAM role names (64 max) are the cluster name plus suffixes like "-aws-efs-csi-driver". */
    static final int MAX_CLUSTER_NAME = 40;
    /** The retention periods CloudWatch Logs accepts (PutRetentionPolicy retentionInDays). */
    static final Set<Integer> LOG_RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
            731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    /** One year: what audit baselines (CIS, checkov CKV_AWS_338) ask of security logs. */
    static final int DEFAULT_LOG_RETENTION_DAYS = 365;
    /** Anchors/aliases of lists or mappings allowed per file (the "billion laughs" guard). */
    static final int MAX_COLLECTION_ALIASES = 20;

    static final Set<String> KNOWN_KEYS = Set.of(
            // backend
            "bucket", "dynamodb_table", "create_lock_table",
            // project
            "availability_zones", "cidr_block", "environment", "profile", "project", "region", "stage",
            "nat_gateways", "flow_logs", "log_retention_days",
            // cluster
            "ami_type", "capacity_type", "desired_size", "kubernetes_version", "instance_types", "max_size", "min_size",
            "node_disk_size", "gpu_taint", "endpoint_public_access", "endpoint_private_access",
            "public_access_cidrs", "cluster_log_types",
            // add-ons
            "enable_addons", "addons",
            // the apps' metadata database
            "apps_database", "db_instance_class", "db_multi_az",
            // GitOps (github + flux stacks; all optional, the stacks exist only with github_owner)
            "github_owner", "gitops_repository", "gitops_branch", "gitops_visibility", "gitops_create_repository",
            "flux_path", "flux_image_automation",
            // emulated environment only
            "emulator_endpoint",
            // GitHub Actions pipeline (the <env>-ci stack; all optional, the stack exists only with ci_github_repository)
            "ci_github_repository", "ci_branch", "ci_github_environment", "ci_aws_account_id", "ci_create_oidc_provider");
    static final Set<String> ADDON_KEYS = Set.of("addon_name", "addon_version", "service_account_role_arn");

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}[a-z0-9]");
    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9_+=,.@-]{1,64}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Pattern K8S_VERSION = Pattern.compile("1\\.(\\d{2})");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
    private static final Pattern ADDON_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern ADDON_VERSION = Pattern.compile("v\\d+\\.\\d+\\.\\d+-eksbuild\\.\\d+");
    /** What addon_version accepts, for messages: the three forms. */
    static final String ADDON_VERSION_FORMS = "a pinned version like \"v1.32.0-eksbuild.1\", \"" + EnvConfig.ADDON_DEFAULT
            + "\" (the version AWS marks default for the cluster's Kubernetes version) or \"" + EnvConfig.ADDON_LATEST
            + "\" (the newest AWS offers for it), both resolved at plan time";
    /** RDS DB instance classes: db.<family>.<size>, e.g. db.t4g.small, db.m7g.large. */
    private static final Pattern DB_INSTANCE_CLASS = Pattern.compile("db\\.[a-z][a-z0-9-]*\\.[a-z0-9]+");
    private static final Pattern ROLE_ARN =
            // role/<optional path segments>/<name>: IAM names are 1-64 characters, path segments non-empty
            Pattern.compile("arn:aws(-[a-z]+)*:iam::(\\d{12}|<aws_account_id>):role/([A-Za-z0-9_+=,.@-]+/){0,20}[A-Za-z0-9_+=,.@-]{1,64}");
    private static final Pattern EMULATOR = Pattern.compile("https?://(127\\.0\\.0\\.1|localhost):\\d{2,5}");

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
        errors.addAll(sharedAccountResources(all, new EnvOrigin(envRoot)));
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return all.stream().map(Located::env).filter(c -> only.isEmpty() || only.contains(c.name())).toList();
    }

    /** Where an env's names must be unique: its emulator, or (real AWS) the account its profile stands for. */
    private static String account(EnvConfig env) {
        return env.emulated() ? "emulator " + env.emulatorEndpoint().orElseThrow() : "profile " + env.project().profile();
    }

    /** The account an env's CI stack deploys to: its emulator, or ci_aws_account_id. */
    private static String ciAccount(EnvConfig env) {
        return env.emulated() ? account(env) : "account " + env.ci().orElseThrow().awsAccountId();
    }

    /** An env's lock table as one name in one region of one account. */
    private static String lockTable(EnvConfig env) {
        return env.backend().lockTable() + " in " + env.project().region() + " (" + account(env) + ")";
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

    /** A valid env with the line of each of its keys ({@code bucket}, {@code addons[0].service_account_role_arn}, ...). */
    record Located(EnvConfig env, Map<String, Integer> lines) {
        int line(String... keys) {
            for (String key : keys) {
                Integer line = lines.get(key);
                if (line != null) {
                    return line;
                }
            }
            return 0;
        }

        String at(String... keys) {
            int line = line(keys);
            return line > 0 ? env.file() + ":" + line : env.file().toString();
        }
    }

    /**
     * Names that two envs deployed to the same place cannot both create (the second apply would
     * fail with "already exists"): the state bucket (names are global in AWS), the lock table
     * unless {@code create_lock_table: false} (per account and region) and the IRSA roles named by
     * placeholder ARNs (per account, case-insensitively). For real AWS the profile stands in for
     * the account; an emulated env's "account" is its emulator endpoint. Only envs without other
     * errors take part (an invalid file is reported first). Each clash is reported once, in the
     * file that should change ({@link EnvOrigin}: not the deployed or earlier committed one),
     * naming the other file and line.
     */
    static List<ConfigError> sharedAccountResources(List<Located> envs, EnvOrigin origin) {
        record Owner(Located env, int index) {}
        List<ConfigError> errors = new ArrayList<>();
        Map<String, Owner> buckets = new HashMap<>();
        Map<String, Owner> tables = new HashMap<>();
        Map<String, Owner> roles = new HashMap<>();
        Map<String, Owner> oidcProviders = new HashMap<>();
        for (Located here : envs) {
            EnvConfig env = here.env();
            String account = account(env);
            String bucket = env.backend().bucket();
            Owner other = buckets.putIfAbsent(bucket + (env.emulated() ? " in " + account : ""), new Owner(here, 0));
            if (other != null) {
                errors.add(clash(origin, here, other.env(), "bucket", who -> new String[] {"bucket"},
                        (fix, keep) -> "expected a state bucket of this environment alone (its state stack creates"
                                + " it; bucket names are global), found \"" + bucket + "\", also the bucket of "
                                + keep.at("bucket")));
            }
            // the state stack also creates <bucket>-logs (access logs): it must not be another env's bucket
            String logBucket = env.backend().accessLogBucket();
            other = other != null ? null // the same bucket twice: said above, the log bucket follows from it
                    : buckets.putIfAbsent(logBucket + (env.emulated() ? " in " + account : ""), new Owner(here, 0));
            if (other != null) {
                Located owner = other.env();
                errors.add(clash(origin, here, owner, "bucket", who -> new String[] {"bucket"},
                        (fix, keep) -> "expected a state bucket whose access-log bucket (its name + \"-logs\") is no"
                                + " other environment's bucket, found \"" + logBucket + "\", the access-log bucket of "
                                + here.at("bucket") + " and also a bucket of " + owner.at("bucket")
                                + "; rename one of the buckets"));
            }
            String table = lockTable(env);
            if (env.backend().createLockTable()) {
                other = tables.putIfAbsent(table, new Owner(here, 0));
                if (other != null) {
                    errors.add(clash(origin, here, other.env(), "create_lock_table",
                            who -> new String[] {"create_lock_table", "dynamodb_table"},
                            (fix, keep) -> "expected false when another environment's state stack creates the same"
                                    + " lock table (" + keep.at("create_lock_table", "dynamodb_table")
                                    + " creates dynamodb_table " + table + "), found true (set or by default);"
                                    + " set create_lock_table: false here (its state stack then reads the table),"
                                    + " or name another dynamodb_table"));
                }
            }
            Optional<String> oidcAccount = env.ci().filter(EnvConfig.Ci::createOidcProvider).map(ci -> ciAccount(env));
            if (oidcAccount.isPresent()) {
                other = oidcProviders.putIfAbsent(oidcAccount.get(), new Owner(here, 0));
                if (other != null) {
                    errors.add(clash(origin, here, other.env(), "ci_create_oidc_provider",
                            who -> new String[] {"ci_create_oidc_provider", "ci_github_repository"},
                            (fix, keep) -> "expected false when another environment's ci stack creates GitHub's OIDC"
                                    + " provider in the same account (" + keep.at("ci_create_oidc_provider",
                                    "ci_github_repository") + " creates it in " + oidcAccount.get() + "; IAM holds one"
                                    + " provider per issuer and account), found true (set or by default); set"
                                    + " ci_create_oidc_provider: false here (its ci stack then reads the provider)"));
                }
            }
            List<Addon> addons = env.addons().enabled() ? env.addons().list() : List.of();
            for (int i = 0; i < addons.size(); i++) {
                Addon a = addons.get(i);
                Optional<String> arn = a.serviceAccountRoleArn();
                if (arn.isEmpty() || !arn.get().contains(EnvConfig.ACCOUNT_PLACEHOLDER)
                        || AddonCatalog.irsa(a.name()).isEmpty()) {
                    continue; // no role created, or one named after the cluster (unique per env)
                }
                String role = arn.get().substring(arn.get().lastIndexOf('/') + 1); // the path is not part of the name
                Owner owner = roles.putIfAbsent(role.toLowerCase(Locale.ROOT) + " (" + account + ")", new Owner(here, i));
                String key = "addons[" + i + "].service_account_role_arn";
                if (owner != null && owner.env() == here) {
                    errors.add(new ConfigError(env.file(), here.line(key), key, "expected each placeholder role name"
                            + " once (this stack creates the role; IAM role names are unique per account, ignoring"
                            + " case), found role " + role + " also at addons[" + owner.index() + "] (line "
                            + here.line("addons[" + owner.index() + "].service_account_role_arn") + ")"));
                } else if (owner != null) {
                    String otherKey = "addons[" + owner.index() + "].service_account_role_arn";
                    errors.add(clash(origin, here, owner.env(), null,
                            who -> new String[] {who == here ? key : otherKey},
                            (fix, keep) -> {
                                String fixArn = fix == here ? arn.get() : roleArn(owner.env(), owner.index());
                                String keepKey = keep == here ? key : otherKey;
                                return "expected an IAM role name no other environment in this account creates ("
                                        + keep.at(keepKey) + " creates role " + role + " with " + account
                                        + "), found \"" + fixArn + "\"; give each env its own name (e.g. " + role
                                        + "-" + fix.env().name() + ") or drop the line for a role named after the cluster";
                            }));
                }
            }
        }
        // an emulator starts empty: a lock table it does not create itself can only come from
        // another env on the same emulator (a real account may hold one made outside this project)
        for (Located here : envs) {
            EnvConfig env = here.env();
            if (env.emulated() && !env.backend().createLockTable()) {
                String table = lockTable(env);
                if (!tables.containsKey(table)) {
                    errors.add(new ConfigError(env.file(), here.line("create_lock_table"), "create_lock_table",
                            "expected true in an emulated environment unless another env on the same emulator creates"
                                    + " dynamodb_table " + table + " (an emulator starts empty), found false"));
                }
            }
            if (env.emulated() && env.ci().isPresent() && !env.ci().get().createOidcProvider()
                    && !oidcProviders.containsKey(ciAccount(env))) {
                errors.add(new ConfigError(env.file(), here.line("ci_create_oidc_provider"), "ci_create_oidc_provider",
                        "expected true in an emulated environment unless another env on the same emulator creates"
                                + " GitHub's OIDC provider (an emulator starts empty), found false"));
            }
        }
        return errors;
    }

    private static String roleArn(Located env, int index) {
        return env.env().addons().list().get(index).serviceAccountRoleArn().orElse("");
    }

    /**
     * One error for a clash between {@code here} and {@code other}, placed in the file that should
     * change; {@code keys} gives the key (first) and its fallbacks whose line the error points at,
     * {@code message} is written from the point of view of that file ({@code fix}) and the one that
     * keeps its value ({@code keep}).
     */
    private static ConfigError clash(EnvOrigin origin, Located here, Located other, String keyPath,
            java.util.function.Function<Located, String[]> keys,
            java.util.function.BiFunction<Located, Located, String> message) {
        EnvOrigin.Verdict verdict = origin.judge(here.env(), other.env());
        Located fix = verdict.fix() == here.env() ? here : other;
        Located keep = fix == here ? other : here;
        String[] fixKeys = keys.apply(fix);
        StringBuilder text = new StringBuilder(message.apply(fix, keep));
        text.append(" (fix it in this file: ").append(verdict.why()).append(")");
        List<Integer> copied = EnvOrigin.commentsNaming(fix.env().file(), keep.env().name());
        if (!copied.isEmpty()) {
            text.append("; its comments still name \"").append(keep.env().name()).append("\" (line")
                    .append(copied.size() == 1 ? " " : "s ")
                    .append(String.join(", ", copied.stream().map(String::valueOf).toList()))
                    .append("): a copy of ").append(keep.env().file()).append("? update them too");
        }
        return new ConfigError(fix.env().file(), fix.line(fixKeys), keyPath == null ? fixKeys[0] : keyPath,
                text.toString());
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
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = safeYaml().compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            if ("expected a single document in the stream".equals(e.getContext())) {
                errors.add(new ConfigError(file, line, "", "expected a single YAML document, found a second one"
                        + " (a '---' separator); put all keys of the environment in one document"));
                return null;
            }
            errors.add(new ConfigError(file, line, "", "expected valid YAML, found a syntax error: "
                    + oneLine(e.getProblem()) + (e.getContext() == null ? "" : " (" + oneLine(e.getContext()) + ")")));
            return null;
        } catch (YAMLException e) {
            String message = oneLine(e.getMessage());
            if (e.getCause() instanceof CharacterCodingException) {
                message = "expected UTF-8 text, found bytes that are not UTF-8";
            } else if (message.startsWith("Number of aliases for non-scalar nodes")) {
                message = "expected at most " + MAX_COLLECTION_ALIASES + " aliases (*name) of lists or mappings,"
                        + " found more (an alias bomb?); env files need no anchors or aliases";
            } else {
                message = "expected valid YAML, found: " + message;
            }
            errors.add(new ConfigError(file, 0, "", message));
            return null;
        } catch (CharacterCodingException e) {
            errors.add(new ConfigError(file, 0, "", "expected UTF-8 text, found bytes that are not UTF-8"));
            return null;
        } catch (IOException e) {
            errors.add(new ConfigError(file, 0, "", "cannot read the file: " + e.getMessage()));
            return null;
        }
        if (root == null) {
            errors.add(new ConfigError(file, 0, "", "expected a mapping of env keys, found an empty file"));
            return null;
        }
        rejectForeignTags(file, root, "", errors, Collections.newSetFromMap(new IdentityHashMap<>()));
        if (!errors.isEmpty()) {
            return null;
        }
        YamlFields f = YamlFields.of(file, "", root, errors);
        if (f == null) {
            return null;
        }
        f.rejectUnknownKeys(KNOWN_KEYS, GitOpsKeys::tokenKeyRefusal);
        EnvConfig config = new Validation(file, f, errors, today).run();
        return config == null ? null : new Located(config, keyLines(root));
    }

    /** The line of each top-level key and of each key in the mappings of a top-level list ({@code addons[0].x}). */
    private static Map<String, Integer> keyLines(Node root) {
        Map<String, Integer> lines = new HashMap<>();
        if (root instanceof MappingNode m) {
            for (var t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    continue;
                }
                lines.putIfAbsent(k.getValue(), YamlFields.line(t.getKeyNode()));
                if (t.getValueNode() instanceof SequenceNode seq) {
                    for (int i = 0; i < seq.getValue().size(); i++) {
                        if (seq.getValue().get(i) instanceof MappingNode item) {
                            for (var it : item.getValue()) {
                                if (it.getKeyNode() instanceof ScalarNode ik) {
                                    lines.putIfAbsent(k.getValue() + "[" + i + "]." + ik.getValue(),
                                            YamlFields.line(it.getKeyNode()));
                                }
                            }
                        }
                    }
                }
            }
        }
        return lines;
    }

    /** Reads each env key, checks each rule; builds the record only when the file has no error. */
    private record Validation(Path file, YamlFields f, List<ConfigError> errors, LocalDate today) {

        EnvConfig run() {
            int before = errors.size();
            String folder = file.toAbsolutePath().getParent().getFileName().toString();

            // Backend
            String bucket = f.string("bucket", true).filter(this::bucketName).orElse(null);
            String table = f.string("dynamodb_table", true)
                    .filter(f.check("dynamodb_table", v -> TABLE.matcher(v).matches(),
                            "a DynamoDB table name: 3-255 characters of A-Z a-z 0-9 _ . -")).orElse(null);
            boolean createLockTable = f.bool("create_lock_table", false).orElse(true);

            // Project
            String project = f.string("project", true).filter(f.check("project", v -> NAME.matcher(v).matches(),
                    "2-32 characters of a-z 0-9 and '-', starting with a letter (it prefixes resource names)")).orElse(null);
            String environment = f.string("environment", true)
                    .filter(f.check("environment", v -> NAME.matcher(v).matches(), "2-32 characters of a-z 0-9 and '-',"
                            + " starting with a letter (it names the stacks, the state keys and AWS resources)"))
                    .filter(f.check("environment", folder::equals,
                    "the environment's folder name \"" + folder + "\" (env/" + folder + "/" + FILE_NAME + ")")).orElse(null);
            if (project != null && environment != null && (project + "-" + environment + "-cluster").length() > MAX_CLUSTER_NAME) {
                f.invalid("environment", "expected project and environment short enough for the cluster name \""
                        + project + "-" + environment + "-cluster\" to have at most " + MAX_CLUSTER_NAME
                        + " characters (IAM role names derive from it), found " + (project + "-" + environment + "-cluster").length());
            }
            String stage = f.string("stage", true).filter(f.check("stage", v -> NAME.matcher(v).matches(),
                    "2-32 characters of a-z 0-9 and '-', starting with a letter")).orElse(null);
            String region = f.string("region", true).filter(f.check("region", v -> REGION.matcher(v).matches(),
                    "an AWS region code like \"eu-west-2\"")).orElse(null);
            String profile = f.string("profile", true).filter(f.check("profile", v -> PROFILE.matcher(v).matches(),
                    "an AWS CLI profile name (1-64 characters of A-Z a-z 0-9 _ + = , . @ -)")).orElse(null);

            // Network
            List<String> zones = f.strings("availability_zones", true).filter(z -> zones(z, region)).orElse(null);
            String cidr = f.string("cidr_block", true).filter(c -> cidr(c, zones)).orElse(null);
            NatGateways nat = f.string("nat_gateways", false).map(v -> switch (v) {
                case "one_per_az" -> NatGateways.ONE_PER_AZ;
                case "single" -> NatGateways.SINGLE;
                default -> {
                    f.invalid("nat_gateways", "expected \"one_per_az\" or \"single\", found \"" + v + "\"");
                    yield null;
                }
            }).orElse(NatGateways.ONE_PER_AZ);
            // on unless turned off: the record of who talked to what is needed after an incident
            boolean flowLogs = f.bool("flow_logs", false).orElse(true);
            int logRetention = f.integer("log_retention_days", false).filter(f.check("log_retention_days",
                    LOG_RETENTION_DAYS::contains, "a CloudWatch Logs retention period in days, one of "
                            + new TreeSet<>(LOG_RETENTION_DAYS))).orElse(DEFAULT_LOG_RETENTION_DAYS);

            // Cluster
            String version = kubernetesVersion();
            String amiType = f.string("ami_type", true).filter(oneOf("ami_type", AMI_TYPES)).orElse(null);
            if (amiType != null && version != null && amiType.startsWith("AL2_") && minor(version) > LAST_AL2_MINOR) {
                f.invalid("ami_type", "expected an AL2023 or Bottlerocket AMI type for kubernetes_version " + version
                        + " (EKS publishes AL2 AMIs only up to 1." + LAST_AL2_MINOR + "), found \"" + amiType + "\"");
            }
            String capacity = f.string("capacity_type", true).filter(oneOf("capacity_type", CAPACITY_TYPES)).orElse(null);
            List<String> instanceTypes = f.strings("instance_types", true).filter(this::instanceTypes).orElse(null);
            Integer min = f.integer("min_size", true).orElse(null);
            Integer desired = f.integer("desired_size", true).orElse(null);
            Integer max = f.integer("max_size", true).orElse(null);
            sizes(min, desired, max);
            int disk = f.integer("node_disk_size", false).filter(f.check("node_disk_size", v -> v >= 20 && v <= 16384,
                    "a root volume size in GiB between 20 and 16384")).orElse(100);
            boolean gpuTaint = f.bool("gpu_taint", false).orElse(false);
            if (gpuTaint && amiType != null && GpuFamily.of(amiType) == GpuFamily.NONE) {
                f.invalid("gpu_taint", "expected gpu_taint only with a GPU ami_type (AL2023_x86_64_NVIDIA,"
                        + " BOTTLEROCKET_x86_64_NVIDIA, ...), found true with \"" + amiType + "\" (nodes without GPUs get no GPU taint)");
            }
            boolean publicAccess = f.bool("endpoint_public_access", false).orElse(true);
            boolean privateAccess = f.bool("endpoint_private_access", false).orElse(true);
            if (!publicAccess && !privateAccess) {
                f.invalid("endpoint_private_access",
                        "expected at least one of endpoint_public_access / endpoint_private_access to be true, found both false");
            }
            List<String> accessCidrs = f.strings("public_access_cidrs", false)
                    .filter(l -> cidrList("public_access_cidrs", l)).orElse(List.of("0.0.0.0/0"));
            List<String> logTypes = f.strings("cluster_log_types", false)
                    .filter(l -> allOf("cluster_log_types", l, LOG_TYPES))
                    // all five by default: scheduler and controller-manager logs explain pending GPU pods
                    // and scaling decisions (cost: CloudWatch ingestion; narrow the list to save it)
                    .orElse(List.of("api", "audit", "authenticator", "controllerManager", "scheduler"));

            // Add-ons
            boolean addonsEnabled = f.bool("enable_addons", true).orElse(false);
            int errorsBeforeAddons = errors.size();
            List<Addon> addons = f.mappings("addons", false, this::addon).orElse(List.of());
            if (addonsEnabled && addons.isEmpty() && errors.size() == errorsBeforeAddons) {
                Node node = f.node("addons");
                f.invalid("enable_addons", "expected at least one entry in addons while enable_addons is true, found "
                        + (!f.has("addons") ? "no addons key" : node instanceof SequenceNode ? "an empty list" : "no value")
                        + " (set enable_addons: false for a cluster without managed add-ons)");
            }
            Set<String> seen = new HashSet<>();
            for (Addon a : addons) {
                if (!seen.add(a.name())) {
                    f.invalid("addons", "expected each addon_name once, found \"" + a.name() + "\" twice");
                }
            }

            AppsDatabase appsDatabase = appsDatabase();

            Optional<GitOps> gitops = new GitOpsKeys(f, errors).read(project, environment, version);

            Optional<String> emulator = f.string("emulator_endpoint", false)
                    .filter(f.check("emulator_endpoint", v -> EMULATOR.matcher(v).matches(),
                            "a loopback URL like \"http://127.0.0.1:5000\" (emulated environments only)"));

            Optional<EnvConfig.Ci> ci = new CiKeys(f, errors).read(environment, emulator.isPresent());

            if (errors.size() > before) {
                return null;
            }
            List<ConfigWarning> warnings = new ArrayList<>();
            if (emulator.isEmpty() && publicAccess && accessCidrs.contains("0.0.0.0/0")) {
                warnings.add(new ConfigWarning(file, f.has("public_access_cidrs") ? YamlFields.line(f.node("public_access_cidrs")) : 0,
                        "public_access_cidrs", "the EKS API endpoint of this real-AWS env is public and open to 0.0.0.0/0"
                        + (f.has("public_access_cidrs") ? "" : " (the default)") + "; anyone on the internet can try"
                        + " to authenticate against it: set public_access_cidrs to the ranges you deploy from"
                        + " (office, VPN, CI runners), or endpoint_public_access: false"));
            }
            if (emulator.isEmpty()) {
                // the emulator accepts any version; real AWS refuses ended ones and bills extended ones
                EksVersionCalendar.bundled().warning(version, today).ifPresent(message -> warnings.add(
                        new ConfigWarning(file, YamlFields.line(f.node("kubernetes_version")), "kubernetes_version", message)));
            }
            return new EnvConfig(file,
                    new StateBackend(bucket, table, createLockTable),
                    new Project(project, environment, stage, region, profile),
                    new Network(cidr, zones, nat, flowLogs),
                    new Cluster(version, publicAccess, privateAccess, accessCidrs, logTypes,
                            new NodeGroup(amiType, capacity, instanceTypes, min, desired, max, disk, gpuTaint)),
                    new Addons(addonsEnabled, addons),
                    logRetention,
                    appsDatabase,
                    gitops,
                    emulator,
                    ci,
                    List.copyOf(warnings));
        }

        private Addon addon(YamlFields a) {
            a.rejectUnknownKeys(ADDON_KEYS);
            Optional<String> name = a.string("addon_name", true).filter(v -> {
                if (ADDON_NAME.matcher(v).matches()) return true;
                a.invalid("addon_name", "expected an EKS add-on name like \"aws-ebs-csi-driver\", found \"" + v + "\"");
                return false;
            });
            Optional<String> version = a.string("addon_version", true).filter(v -> {
                if (ADDON_VERSION.matcher(v).matches() || v.equals(EnvConfig.ADDON_DEFAULT) || v.equals(EnvConfig.ADDON_LATEST)) {
                    return true;
                }
                a.invalid("addon_version", "expected " + ADDON_VERSION_FORMS + ", found \"" + v + "\"");
                return false;
            });
            boolean arnOk = true;
            Optional<String> arn = a.string("service_account_role_arn", false);
            if (arn.isPresent() && !ROLE_ARN.matcher(arn.get()).matches()) {
                a.invalid("service_account_role_arn", "expected an IAM role ARN like "
                        + "\"arn:aws:iam::<aws_account_id>:role/Name\" (12-digit account or the placeholder, an optional "
                        + "path like role/service-role/Name, a name of 1-64 characters), found \""
                        + arn.get() + "\"");
                arnOk = false;
            }
            if (name.isPresent() && arn.isEmpty() && !AddonCatalog.known(name.get())) {
                a.invalid("addon_name", "expected service_account_role_arn for add-on \"" + name.get()
                        + "\": no IRSA role is known for it (known add-ons: " + String.join(", ", AddonCatalog.names())
                        + "), found no service_account_role_arn");
                arnOk = false;
            }
            return name.isPresent() && version.isPresent() && arnOk ? new Addon(name.get(), version.get(), arn) : null;
        }

        /**
         * apps_database (rds | bundled, default rds), db_instance_class (rds only, default a
         * small burstable class) and db_multi_az (rds only, default true).
         */
        private AppsDatabase appsDatabase() {
            AppsDatabaseKind kind = f.string("apps_database", false).map(v -> switch (v) {
                case "rds" -> AppsDatabaseKind.RDS;
                case "bundled" -> AppsDatabaseKind.BUNDLED;
                default -> {
                    f.invalid("apps_database", "expected \"rds\" (an Amazon RDS for PostgreSQL instance for Airflow's and"
                            + " MLflow's metadata) or \"bundled\" (the charts' own PostgreSQL, demo only), found \"" + v + "\"");
                    yield null;
                }
            }).orElse(AppsDatabaseKind.RDS);
            Optional<String> instanceClass = f.string("db_instance_class", false)
                    .filter(f.check("db_instance_class", v -> DB_INSTANCE_CLASS.matcher(v).matches(),
                            "an RDS DB instance class like \"" + AppsDatabase.DEFAULT_INSTANCE_CLASS + "\""));
            if (kind == AppsDatabaseKind.BUNDLED && instanceClass.isPresent()) {
                f.invalid("db_instance_class", "expected no db_instance_class with apps_database: bundled (there is no RDS"
                        + " instance to size), found \"" + instanceClass.get() + "\"");
            }
            Optional<Boolean> multiAz = f.bool("db_multi_az", false);
            if (kind == AppsDatabaseKind.BUNDLED && multiAz.isPresent()) {
                f.invalid("db_multi_az", "expected no db_multi_az with apps_database: bundled (there is no RDS"
                        + " instance to replicate), found " + multiAz.get());
            }
            return kind == null ? null : new AppsDatabase(kind, instanceClass.orElse(AppsDatabase.DEFAULT_INSTANCE_CLASS),
                    multiAz.orElse(AppsDatabase.DEFAULT_MULTI_AZ));
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
                    v -> K8S_VERSION.matcher(v).matches() && minor(v) >= 23,
                    "a Kubernetes minor version \"1.NN\" (1.23 or newer) like \"1.30\"")).orElse(null);
        }

        private boolean bucketName(String v) {
            String why = null;
            if (!BUCKET.matcher(v).matches()) {
                why = "3-63 characters of a-z 0-9 . -, starting and ending with a letter or digit";
            } else if (v.contains("..")) {
                why = "no two adjacent dots";
            } else if (IPV4.matcher(v).matches()) {
                why = "not formatted as an IP address";
            } else if (v.startsWith("xn--") || v.startsWith("sthree-") || v.endsWith("-s3alias") || v.endsWith("--ol-s3")) {
                why = "no reserved prefix (xn--, sthree-) or suffix (-s3alias, --ol-s3)";
            }
            if (why != null) {
                f.invalid("bucket", "expected an S3 bucket name (" + why + "), found \"" + v + "\"");
            }
            return why == null;
        }

        private boolean zones(List<String> zones, String region) {
            boolean ok = true;
            if (new LinkedHashSet<>(zones).size() < 2) {
                f.invalid("availability_zones", "expected at least two distinct availability zones (EKS CreateCluster"
                        + " needs two), found " + zones);
                ok = false;
            }
            if (new LinkedHashSet<>(zones).size() != zones.size()) {
                f.invalid("availability_zones", "expected each zone once, found duplicates in " + zones);
                ok = false;
            }
            for (int i = 0; i < zones.size(); i++) {
                String z = zones.get(i);
                if (region != null && !z.matches(Pattern.quote(region) + "[a-z]")) {
                    f.error(f.node("availability_zones"), "availability_zones[" + i + "]",
                            "expected a zone of region " + region + " like \"" + region + "a\", found \"" + z + "\"");
                    ok = false;
                }
            }
            return ok;
        }

        /** A VPC CIDR must be a /16../28 network with room for one public and one private subnet per AZ. */
        private boolean cidr(String v, List<String> zones) {
            Optional<Cidr> parsed = Cidr.parse(v);
            if (parsed.isEmpty()) {
                f.invalid("cidr_block", "expected an IPv4 CIDR block like \"10.0.0.0/16\", found \"" + v + "\"");
                return false;
            }
            Cidr c = parsed.get();
            if (!c.isNetworkAddress()) {
                f.invalid("cidr_block", "expected the network address of the block (\"" + c.canonical()
                        + "\"), found \"" + v + "\" which has host bits set");
                return false;
            }
            if (c.prefix() < 16 || c.prefix() > 28) {
                f.invalid("cidr_block", "expected a prefix between /16 and /28 (the VPC limits), found /" + c.prefix());
                return false;
            }
            if (zones != null) {
                int subnets = 2 * zones.size();
                int newBits = Cidr.bitsFor(subnets);
                if (c.prefix() + newBits > 28) {
                    f.invalid("cidr_block", "expected room for " + subnets + " subnets of at least /28 (a public and a"
                            + " private one in each of " + zones.size() + " zones), found /" + c.prefix()
                            + " which only splits into /" + (c.prefix() + newBits) + " subnets; use /"
                            + (28 - newBits) + " or larger");
                    return false;
                }
            }
            return true;
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

        private boolean instanceTypes(List<String> types) {
            if (types.isEmpty()) {
                f.invalid("instance_types", "expected at least one EC2 instance type like \"g4dn.xlarge\", found an empty list");
                return false;
            }
            boolean ok = true;
            for (String t : types) {
                if (!INSTANCE_TYPE.matcher(t).matches()) {
                    f.invalid("instance_types", "expected EC2 instance types like \"g4dn.xlarge\", found \"" + t + "\"");
                    ok = false;
                }
            }
            if (new HashSet<>(types).size() != types.size()) {
                f.invalid("instance_types", "expected each instance type once, found duplicates in " + types);
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

    static int minor(String version) {
        return Integer.parseInt(version.substring(2));
    }

    /**
     * Safe composition: only the YAML core types resolve, no tags construct objects, few aliases
     * (no "billion laughs"), a size cap. Duplicate keys are found on the node tree by {@link YamlFields}.
     */
    private static Yaml safeYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        // Composing a node tree never constructs an object from a tag; letting every tag through
        // composition means rejectForeignTags reports it with its key path and line (snakeyaml's
        // default inspector would fail on the first global tag with a bare "Global tag is not allowed").
        options.setTagInspector(tag -> true);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(512 * 1024);
        DumperOptions dumper = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options);
    }

    /**
     * Any explicit tag outside the core schema (e.g. {@code !!python/object}, {@code !foo}) is refused,
     * and so is an alias inside its own anchor ({@code &a [*a]}), which would make the tree endless.
     * Timestamps and the merge key are what the resolver makes of plain {@code 2024-06-01} and
     * {@code <<}: not tags the user wrote; {@link YamlFields} reports them as wrong types.
     */
    private static void rejectForeignTags(Path file, Node node, String path, List<ConfigError> errors,
            Set<Node> ancestors) {
        Set<Tag> core = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ,
                Tag.TIMESTAMP, Tag.MERGE);
        if (ancestors.contains(node)) {
            errors.add(new ConfigError(file, YamlFields.line(node), path, "expected plain YAML values, found an alias"
                    + " to its own enclosing anchor &" + node.getAnchor() + " (a recursive structure)"));
            return;
        }
        if (!core.contains(node.getTag())) {
            errors.add(new ConfigError(file, YamlFields.line(node), path,
                    "expected plain YAML values, found the tag " + node.getTag().getValue()
                            + " (tags are not allowed in env files)"));
            return;
        }
        ancestors.add(node);
        if (node instanceof MappingNode m) {
            m.getValue().forEach(t -> {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
                rejectForeignTags(file, t.getKeyNode(), path, errors, ancestors);
                rejectForeignTags(file, t.getValueNode(), path.isEmpty() ? key : path + "." + key, errors, ancestors);
            });
        } else if (node instanceof SequenceNode s) {
            for (int i = 0; i < s.getValue().size(); i++) {
                rejectForeignTags(file, s.getValue().get(i), path + "[" + i + "]", errors, ancestors);
            }
        }
        ancestors.remove(node);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
