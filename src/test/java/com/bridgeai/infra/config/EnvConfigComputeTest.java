package com.bridgeai.infra.config;

import static com.bridgeai.infra.config.EnvConfigLoaderTest.lineOf;
import static com.bridgeai.infra.config.EnvConfigLoaderTest.renamed;
import static com.bridgeai.infra.config.EnvConfigLoaderTest.with;
import static com.bridgeai.infra.config.EnvConfigLoaderTest.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.config.EnvConfig.GpuCapacity;
import com.bridgeai.infra.config.EnvConfig.Karpenter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gpu_capacity and the Karpenter keys: the seed keeps its meaning (node_group), a karpenter env with
 * its defaults and with every key set, and each contradiction or bad value as an error naming the
 * file, line and key.
 */
class EnvConfigComputeTest {
    @TempDir
    Path root;

    /** The seed renamed, moved to a current image and version, as a Karpenter env with the defaults. */
    static String karpenter(String name) {
        String yaml = renamed(name);
        yaml = EnvConfigLoaderTest.with(yaml, "ami_type", "\"AL2023_x86_64_NVIDIA\"");
        yaml = EnvConfigLoaderTest.with(yaml, "kubernetes_version", "\"1.35\"");
        yaml = EnvConfigLoaderTest.with(yaml, "min_size", "0");
        yaml = EnvConfigLoaderTest.with(yaml, "max_size", "2");
        yaml = without(yaml, "desired_size");
        return yaml + "gpu_capacity: \"karpenter\"\n";
    }

    @Test
    void theSeedStaysANodeGroupEnv() throws IOException {
        EnvConfig env = EnvConfigLoader.load(EnvConfigLoaderTest.SEED);
        assertEquals(GpuCapacity.NODE_GROUP, env.cluster().gpuCapacity());
        assertTrue(env.cluster().karpenter().isEmpty());
        // min_size = max_size = 1: nothing to warn about autoscaling
        assertTrue(env.warnings().stream().noneMatch(w -> w.key().equals("min_size")), env.warnings()::toString);
    }

    @Test
    void aNodeGroupWithDifferentMinAndMaxIsWarnedThatNothingAutoscales() throws IOException {
        String yaml = with(with(renamed("alpha"), "min_size", "1"), "max_size", "3");
        EnvConfig env = load(yaml);
        ConfigWarning w = env.warnings().stream().filter(x -> x.key().equals("min_size")).findFirst().orElseThrow();
        assertEquals(lineOf(yaml, "min_size:"), w.line());
        assertTrue(w.message().contains("nothing autoscales a managed node group"), w::toString);
        assertTrue(w.message().contains("gpu_capacity: karpenter"), w::toString);
    }

    @Test
    void aKarpenterEnvWithTheDefaults() throws IOException {
        EnvConfig env = load(karpenter("alpha"));
        assertEquals(GpuCapacity.KARPENTER, env.cluster().gpuCapacity());
        assertEquals(Optional.of(new Karpenter(List.of("m7i.large"), 2, "al2023", "v20260714", "10m", 2, "amd64")),
                env.cluster().karpenter());
        assertEquals("al2023@v20260714", env.cluster().karpenter().orElseThrow().amiAlias());
        assertEquals("AL2023_x86_64_STANDARD", env.cluster().karpenter().orElseThrow().systemAmiType());
        EnvConfig.NodeGroup pool = env.cluster().nodeGroup();
        assertEquals(0, pool.minSize());
        assertEquals(0, pool.desiredSize()); // absent, read as min_size
        assertTrue(pool.gpuTaint()); // the pool is always tainted
        assertTrue(env.warnings().stream().noneMatch(w -> w.key().equals("min_size")), env.warnings()::toString);
    }

    @Test
    void aKarpenterEnvWithEveryKeySet() throws IOException {
        String yaml = with(karpenter("alpha"), "instance_types", "[\"g5.xlarge\", \"g5.12xlarge\"]")
                + "system_instance_types: [\"m7g.large\", \"m6g.large\"]\nsystem_node_count: 3\n"
                + "gpu_ami_version: \"v20260701\"\ngpu_consolidate_after: \"1h30m\"\n";
        Karpenter k = load(yaml).cluster().karpenter().orElseThrow();
        // max_size 2 × the largest type's 4 GPUs (g5.12xlarge)
        assertEquals(new Karpenter(List.of("m7g.large", "m6g.large"), 3, "al2023", "v20260701", "1h30m", 8, "amd64"), k);
        assertEquals("AL2023_ARM_64_STANDARD", k.systemAmiType());
    }

    @Test
    void bottlerocketNeedsAnExplicitVersion() throws IOException {
        String yaml = with(karpenter("alpha"), "ami_type", "\"BOTTLEROCKET_x86_64_NVIDIA\"");
        assertError(yaml, "ami_type", "gpu_ami_version", "expected gpu_ami_version with ami_type BOTTLEROCKET_x86_64_NVIDIA");
        Karpenter k = load(yaml + "gpu_ami_version: \"v1.52.0\"\n").cluster().karpenter().orElseThrow();
        assertEquals("bottlerocket@v1.52.0", k.amiAlias());
        assertError(yaml + "gpu_ami_version: \"v20260714\"\n", "gpu_ami_version", "gpu_ami_version", "a Bottlerocket release");
    }

    @Test
    void contradictionsWithKarpenterAreErrors() throws IOException {
        String k = karpenter("alpha");
        assertError(k + "desired_size: 1\n", "desired_size", "desired_size", "expected no desired_size with gpu_capacity: karpenter");
        assertError(with(k, "min_size", "1"), "min_size", "min_size", "0 with gpu_capacity: karpenter");
        assertError(with(k, "instance_types", "[\"m5.large\"]"), "instance_types", "instance_types",
                "expected NVIDIA GPU instance types for the Karpenter GPU pool");
        assertError(with(k, "instance_types", "[\"g4ad.xlarge\"]"), "instance_types", "instance_types", "found \"g4ad.xlarge\"");
        assertError(with(k, "instance_types", "[\"g5g.xlarge\"]"), "instance_types", "instance_types",
                "of the image's architecture (AL2023_x86_64_NVIDIA), found \"g5g.xlarge\" (arm64)");
        assertError(with(k, "ami_type", "\"AL2023_x86_64_STANDARD\""), "ami_type", "ami_type",
                "expected an NVIDIA image Karpenter's node class can select by alias");
        assertError(with(k, "capacity_type", "\"CAPACITY_BLOCK\""), "capacity_type", "capacity_type", "expected ON_DEMAND or SPOT");
        assertError(k + "gpu_taint: false\n", "gpu_taint", "gpu_taint", "the GPU pool is always tainted");
        assertError(k + "system_instance_types: [\"g4dn.xlarge\"]\n", "system_instance_types", "system_instance_types",
                "found the GPU type \"g4dn.xlarge\"");
        assertError(k + "system_instance_types: [\"m7i.large\", \"m7g.large\"]\n", "system_instance_types",
                "system_instance_types", "of one CPU architecture");
        assertError(k + "system_instance_types: []\n", "system_instance_types", "system_instance_types", "at least one");
        assertError(k + "system_instance_types: [\"large\"]\n", "system_instance_types", "system_instance_types", "found \"large\"");
        assertError(k + "system_node_count: 0\n", "system_node_count", "system_node_count", "between 1 and 10");
        assertError(k + "system_node_count: 11\n", "system_node_count", "system_node_count", "between 1 and 10");
        assertError(k + "gpu_consolidate_after: \"Never\"\n", "gpu_consolidate_after", "gpu_consolidate_after",
                "found \"Never\" (GPU nodes would run, and be billed");
        assertError(k + "gpu_consolidate_after: \"10 minutes\"\n", "gpu_consolidate_after", "gpu_consolidate_after",
                "Karpenter's duration syntax");
        assertError(k + "gpu_consolidate_after: \"25h\"\n", "gpu_consolidate_after", "gpu_consolidate_after", "at most 24h");
        assertError(k + "gpu_consolidate_after: \"0s\"\n", "gpu_consolidate_after", "gpu_consolidate_after", "more than 0");
        assertError(k + "gpu_ami_version: \"latest\"\n", "gpu_ami_version", "gpu_ami_version", "never latest");
        assertError(with(k, "gpu_capacity", "\"autoscaler\""), "gpu_capacity", "gpu_capacity",
                "expected \"node_group\" (one managed GPU node group of fixed size, the seed's) or \"karpenter\"");
    }

    @Test
    void karpenterKeysWithoutKarpenterAreErrors() throws IOException {
        for (String line : List.of("system_instance_types: [\"m7i.large\"]", "system_node_count: 2", "gpu_ami_version: \"v20260714\"",
                "gpu_consolidate_after: \"10m\"")) {
            String key = line.substring(0, line.indexOf(':'));
            assertError(renamed("alpha") + line + "\n", key, key, "expected " + key + " only with gpu_capacity: karpenter,"
                    + " found it with gpu_capacity: node_group (the default)");
        }
    }

    @Test
    void karpenterNeedsGitOps() throws IOException {
        String yaml = without(karpenter("alpha"), "github_owner");
        assertError(yaml, "gpu_capacity", "gpu_capacity", "expected github_owner with gpu_capacity: karpenter");
    }

    @Test
    void anUnreadableGpuCapacityIsOneErrorAlsoWithoutGitOps() throws IOException {
        // read once: the github_owner rule asks the typed config, not the key again (a second "expected a string")
        String yaml = without(renamed("alpha"), "github_owner") + "gpu_capacity: {mode: karpenter}\n";
        assertError(yaml, "gpu_capacity", "gpu_capacity", "expected a string");
    }

    @Test
    void secondsOfKarpenterDurations() {
        assertEquals(600, ComputeKeys.seconds("10m"));
        assertEquals(5400, ComputeKeys.seconds("1h30m"));
        assertEquals(45, ComputeKeys.seconds("45s"));
    }

    private void assertError(String yaml, String lineMarker, String key, String messagePart) throws IOException {
        Path file = write(yaml);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.loadAll(root, Set.of()));
        assertEquals(1, e.errors().size(), e::getMessage);
        ConfigError error = e.errors().get(0);
        assertEquals(file, error.file());
        assertEquals(key, error.keyPath(), error::toString);
        assertTrue(error.message().contains(messagePart), error::toString);
        assertEquals(lineOf(yaml, lineMarker + ":"), error.line(), error::toString);
    }

    private EnvConfig load(String yaml) throws IOException {
        return EnvConfigLoader.load(write(yaml));
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createDirectories(root.resolve("alpha")).resolve(EnvConfigLoader.FILE_NAME);
        Files.writeString(file, yaml);
        return file;
    }
}
