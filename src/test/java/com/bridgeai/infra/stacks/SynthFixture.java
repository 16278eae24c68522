package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import com.hashicorp.cdktf.TestingAppConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;
import software.constructs.IConstruct;

/**
 * Environments synthesized once per JVM and shared by every stack test: an App costs seconds
 * in the jsii kernel, a test method should cost milliseconds.
 *
 * <p>{@link #seed()} holds {@code env/test}, {@code env/local} and {@code env/prod} in one {@link Testing#app()}
 * (as Main puts all envs in one App), synthesized with {@code app.synth()}: that runs cdktf's
 * prepare step on all stacks first, which is what adds cross-stack outputs and remote-state
 * reads, so every stack's JSON is complete. Stacks are found in the construct tree, not in the
 * {@link EnvironmentStacks} record, so stacks added to an environment later show up here too.
 */
final class SynthFixture {
    static final Path TEST_ENV = Path.of("env", "test", EnvConfigLoader.FILE_NAME);
    static final Path LOCAL_ENV = Path.of("env", "local", EnvConfigLoader.FILE_NAME);
    static final Path PROD_ENV = Path.of("env", "prod", EnvConfigLoader.FILE_NAME);

    private final App app;
    private final Path outdir;
    private final Map<String, EnvConfig> envs = new LinkedHashMap<>();
    private final Map<String, EnvironmentStacks> records = new LinkedHashMap<>();
    private final Map<String, SynthStack> stacks = new LinkedHashMap<>();

    private static final class Seed {
        static final SynthFixture INSTANCE = new SynthFixture("seed",
                List.of(EnvConfigLoader.load(TEST_ENV), EnvConfigLoader.load(LOCAL_ENV), EnvConfigLoader.load(PROD_ENV)));
    }

    private static final class Variant {
        static final SynthFixture INSTANCE = new SynthFixture("variant", List.of(variantConfig()));
    }

    /** {@code test}, {@code local} and {@code prod} as committed. */
    static SynthFixture seed() {
        return Seed.INSTANCE;
    }

    /**
     * {@code env/test} with the choices the seed does not make: one NAT gateway, no VPC flow logs,
     * the GPU taint, a lock table shared with another env (create_lock_table: false), CI keys (the ci stack; immutable-sub repository, own GitHub environment), the EFS add-on's role under an IAM path, and one more add-on for each way {@link EksStack#addon} can find a role (none needed, the
     * account placeholder for an add-on without a known IRSA policy, a concrete ARN).
     */
    static SynthFixture variant() {
        return Variant.INSTANCE;
    }

    static final String VARIANT_PLACEHOLDER_ARN = "arn:aws:iam::<aws_account_id>:role/AdotCollectorRole";
    static final String VARIANT_CONCRETE_ARN = "arn:aws:iam::123456789012:role/MountpointS3Role";
    static final String VARIANT_ROLE_PATH = "service-role/";
    static final String VARIANT_CI_REPOSITORY = "digicatapult@1234567/bridgeai-infra@89012345";
    static final String VARIANT_CI_ACCOUNT = "210987654321";

    @SuppressWarnings("unchecked")
    private static EnvConfig variantConfig() {
        try {
            Map<String, Object> yaml = new Yaml().load(Files.readString(TEST_ENV));
            yaml.put("nat_gateways", "single");
            yaml.put("flow_logs", false);
            yaml.put("gpu_taint", true);
            yaml.put("create_lock_table", false);
            List<Object> addons = new ArrayList<>((List<Object>) yaml.get("addons"));
            // the EFS role under an IAM path (role/service-role/<name>)
            addons.replaceAll(a -> {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) a);
                copy.computeIfPresent("service_account_role_arn",
                        (k, v) -> v.toString().replace("role/AmazonEKS_EFS", "role/" + VARIANT_ROLE_PATH + "AmazonEKS_EFS"));
                return copy;
            });
            addons.add(addon("vpc-cni", "latest", null)); // resolved at plan time, the newest AWS offers
            addons.add(addon("adot", "v0.117.0-eksbuild.1", VARIANT_PLACEHOLDER_ARN));
            // GPU metrics (Container Insights): a known IRSA policy, so the stack creates its role
            addons.add(addon("amazon-cloudwatch-observability", "default", null));
            addons.add(addon("aws-mountpoint-s3-csi-driver", "v1.7.0-eksbuild.1", VARIANT_CONCRETE_ARN));
            yaml.put("addons", addons);
            // CI from a repository with immutable subject claims, applied from its own GitHub environment
            yaml.put("ci_github_repository", VARIANT_CI_REPOSITORY);
            yaml.put("ci_aws_account_id", VARIANT_CI_ACCOUNT);
            yaml.put("ci_github_environment", "test-approval");
            yaml.put("ci_reviewers", List.of("@alice", "@digicatapult/platform"));
            Path file = tempDir("bridgeai-env-variant-").resolve("test").resolve(EnvConfigLoader.FILE_NAME);
            Files.createDirectories(file.getParent());
            Files.writeString(file, new Yaml().dump(yaml));
            return EnvConfigLoader.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> addon(String name, String version, String arn) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("addon_name", name);
        a.put("addon_version", version);
        if (arn != null) {
            a.put("service_account_role_arn", arn);
        }
        return a;
    }

    /** Its own App (stack names may repeat another fixture's); built on first use only. */
    SynthFixture(String label, List<EnvConfig> configs) {
        outdir = tempDir("bridgeai-synth-" + label + "-");
        app = Testing.app(TestingAppConfig.builder().outdir(outdir.toString()).build());
        for (EnvConfig env : configs) {
            envs.put(env.name(), env);
            records.put(env.name(), EnvironmentStacks.add(app, env));
        }
        app.synth();
        if (!Path.of(app.getOutdir()).toAbsolutePath().normalize().equals(outdir)) {
            throw new IllegalStateException("cdktf wrote to " + app.getOutdir() + " instead of " + outdir
                    + " (is CDKTF_OUTDIR set?)");
        }
        for (IConstruct child : app.getNode().getChildren()) {
            if (child instanceof TerraformStack stack) {
                String name = stack.getNode().getId();
                stacks.put(name, new SynthStack(name, stack, outdir.resolve("stacks").resolve(name).resolve("cdk.tf.json")));
            }
        }
    }

    EnvConfig env(String name) {
        return require(envs, name, "environment");
    }

    EnvironmentStacks record(String env) {
        return require(records, env, "environment");
    }

    SynthStack stack(String name) {
        return require(stacks, name, "stack");
    }

    /** Every stack of the fixture, in construct order. */
    List<SynthStack> stacks() {
        return List.copyOf(stacks.values());
    }

    /** Every stack of one environment: by name, {@code <env>-<unit>} (see {@link StackUnit}). */
    List<SynthStack> stacksOf(String env) {
        require(envs, env, "environment");
        return stacks.values().stream().filter(s -> s.name().startsWith(env + "-")).toList();
    }

    /** cdktf's manifest.json of this App (stack folders, dependencies). */
    JsonNode manifest() {
        try {
            return CanonicalJson.parse(Files.readString(outdir.resolve("manifest.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path outdir() {
        return outdir;
    }

    private static <T> T require(Map<String, T> map, String key, String what) {
        T value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no " + what + " " + key + " in the fixture; there are " + map.keySet());
        }
        return value;
    }

    /** A temp folder removed when the JVM exits (synth output, terraform working dirs). */
    static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix).toAbsolutePath().normalize();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) { // does not follow symlinks (terraform's provider links)
            List<Path> paths = new ArrayList<>(walk.toList());
            paths.sort(Comparator.reverseOrder());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e);
        }
    }
}
