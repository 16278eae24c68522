package com.bridgeai.infra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;
import org.junit.jupiter.api.Test;

/**
 * Each section reader reads exactly the keys it declares in {@code KEYS}: given a file in which
 * every known key holds a wrong-typed value (a mapping), a reader reports an error on each of its
 * own keys and on no other. So a key added to a reader without being declared (or declared and
 * never read) fails here, and the declared sets, which make up the loader's known keys, do not overlap.
 */
class SectionReadersTest {
    static final Path FILE = Path.of("env", "x", "env.yaml");

    static Stream<Arguments> readers() {
        return Stream.of(
                reader("StateKeys", StateKeys.KEYS, (f, e) -> new StateKeys(f).read()),
                reader("ProjectKeys", ProjectKeys.KEYS, (f, e) -> new ProjectKeys(f, "x").read()),
                reader("NetworkKeys", NetworkKeys.KEYS, (f, e) -> new NetworkKeys(f).read(null)),
                reader("LoggingKeys", LoggingKeys.KEYS, (f, e) -> new LoggingKeys(f).retentionDays()),
                reader("NodeGroupKeys", NodeGroupKeys.KEYS, (f, e) -> new NodeGroupKeys(f).read(null)),
                // the cluster reads its node group's keys through NodeGroupKeys, gpu_capacity's through ComputeKeys
                reader("ClusterKeys", Stream.of(ClusterKeys.KEYS, NodeGroupKeys.KEYS, ComputeKeys.KEYS).flatMap(List::stream).toList(),
                        (f, e) -> new ClusterKeys(f).read()),
                reader("AddonKeys", AddonKeys.KEYS, (f, e) -> new AddonKeys(f, e).read()),
                reader("DatabaseKeys", DatabaseKeys.KEYS, (f, e) -> new DatabaseKeys(f).read()),
                reader("GitOpsKeys", GitOpsKeys.KEYS, (f, e) -> new GitOpsKeys(f, e).read(null, null, null)),
                reader("EmulatorKeys", EmulatorKeys.KEYS, (f, e) -> new EmulatorKeys(f).read()),
                reader("CiKeys", CiKeys.KEYS, (f, e) -> new CiKeys(f, e).read(null, false)));
    }

    private static Arguments reader(String name, List<String> keys, BiConsumer<YamlFields, List<ConfigError>> read) {
        return Arguments.of(name, keys, read);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readers")
    void aReaderReadsExactlyTheKeysItDeclares(String name, List<String> keys,
            BiConsumer<YamlFields, List<ConfigError>> read) {
        String text = new TreeSet<>(EnvConfigLoader.KNOWN_KEYS).stream().map(k -> k + ": {wrong: type}")
                .collect(Collectors.joining("\n"));
        List<ConfigError> errors = new ArrayList<>();
        YamlFields f = YamlFields.of(FILE, "", new Yaml().compose(new StringReader(text)), errors);
        read.accept(f, errors);
        Set<String> reported = errors.stream().map(e -> e.keyPath().split("[.\\[]")[0])
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(keys), reported, name + " errors: " + errors);
    }

    @Test
    void noKeyIsDeclaredByTwoReaders() {
        List<List<String>> declared = List.of(StateKeys.KEYS, ProjectKeys.KEYS, NetworkKeys.KEYS, LoggingKeys.KEYS,
                ClusterKeys.KEYS, NodeGroupKeys.KEYS, ComputeKeys.KEYS, AddonKeys.KEYS, DatabaseKeys.KEYS, GitOpsKeys.KEYS,
                EmulatorKeys.KEYS, CiKeys.KEYS);
        Set<String> seen = new HashSet<>();
        for (List<String> keys : declared) {
            for (String key : keys) {
                assertTrue(seen.add(key), key + " is declared by two readers");
            }
        }
        assertEquals(EnvConfigLoader.KNOWN_KEYS, seen);
    }
}
