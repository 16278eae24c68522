package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files: the cdk.tf.json of every stack of {@code test} and {@code prod}, in {@link CanonicalJson} form,
 * committed under src/test/resources/snapshots/<stack>.json. Any change to what is synthesized
 * shows up as a diff here and in the commit that refreshes the file. Stacks are taken from
 * the synthesized environment, so a stack added later fails here until its snapshot exists.
 *
 * <p>Refresh after an intended change (writes changed/missing files, deletes orphaned ones):
 * {@value #REFRESH}
 */
class SnapshotTest {
    static final String REFRESH = "mvn -B -o test -pl src -am -Dtest=SnapshotTest -Dsnapshots.update=true"
            + " -Dsurefire.failIfNoSpecifiedTests=false";
    /** Surefire passes -D user properties of the mvn command line on to the test JVM. */
    static final boolean UPDATE = Boolean.getBoolean("snapshots.update");
    /** The source folder (tests run from the repository root), not the copy in target/. */
    static final Path DIR = Path.of("src", "test", "resources", "snapshots");
    /** The seed's env and the one that deploys today. */
    static final List<String> ENVS = List.of("test", "prod");

    static final SynthFixture F = SynthFixture.seed();

    @TestFactory
    Stream<DynamicTest> everyStackMatchesItsGoldenFile() {
        List<SynthStack> stacks = ENVS.stream().flatMap(e -> F.stacksOf(e).stream()).toList();
        assertTrue(stacks.size() >= 6, () -> "stacks of " + ENVS + ": " + stacks);
        return stacks.stream().map(s -> dynamicTest(s.name(), () -> check(s)));
    }

    private static void check(SynthStack stack) throws IOException {
        Path golden = DIR.resolve(stack.name() + ".json");
        String actual = CanonicalJson.write(stack.tree());
        if (UPDATE) {
            if (!Files.exists(golden) || !Files.readString(golden).equals(actual)) {
                Files.createDirectories(DIR);
                Files.writeString(golden, actual);
                System.out.println("snapshot written: " + golden);
            }
            return;
        }
        if (!Files.exists(golden)) {
            fail("no golden file " + golden + " for stack " + stack.name() + "; review the stack's JSON, then create it with:\n  "
                    + REFRESH);
        }
        String diff = UnifiedDiff.diff(golden.toString(), Files.readAllLines(golden),
                stack.name() + " (synthesized)", CanonicalJson.lines(actual));
        if (!diff.isEmpty()) {
            fail(stack.name() + " differs from its golden file. If the change is intended, refresh the snapshots with:\n  "
                    + REFRESH + "\n" + diff);
        }
    }

    @Test
    void noGoldenFileOutlivesItsStack() throws IOException {
        Set<String> stacks = ENVS.stream().flatMap(e -> F.stacksOf(e).stream()).map(s -> s.name() + ".json")
                .collect(Collectors.toSet());
        List<Path> orphans;
        try (Stream<Path> files = Files.exists(DIR) ? Files.list(DIR) : Stream.empty()) {
            orphans = files.filter(f -> !stacks.contains(f.getFileName().toString())).sorted().toList();
        }
        if (UPDATE) {
            for (Path orphan : orphans) {
                Files.delete(orphan);
                System.out.println("snapshot deleted: " + orphan);
            }
            return;
        }
        assertEquals(List.of(), orphans, () -> "golden files without a stack of " + ENVS + "; remove them with:\n  " + REFRESH);
    }

    /** The diff a failure prints: changed lines with context, nothing for equal input. */
    @Test
    void diffShowsOnlyTheChangedLinesWithContext() {
        List<String> a = List.of("{", "  \"a\": 1,", "  \"b\": 2,", "  \"c\": 3,", "  \"d\": 4,", "  \"e\": 5,", "  \"f\": 6,",
                "  \"g\": 7,", "  \"h\": 8,", "  \"i\": 9", "}");
        List<String> b = Stream.concat(a.stream().limit(8), Stream.of("  \"h\": 80,", "  \"i\": 9", "}")).toList();
        assertEquals("", UnifiedDiff.diff("old", a, "new", a));
        assertEquals(String.join("\n", "--- old", "+++ new", "@@ -6,6 +6,6 @@",
                "   \"e\": 5,", "   \"f\": 6,", "   \"g\": 7,", "-  \"h\": 8,", "+  \"h\": 80,", "   \"i\": 9", " }", ""),
                UnifiedDiff.diff("old", a, "new", b));
        assertEquals(String.join("\n", "--- old", "+++ new", "@@ -1,2 +1,3 @@", " x", "+y", " z", ""),
                UnifiedDiff.diff("old", List.of("x", "z"), "new", List.of("x", "y", "z")));
    }

    /** Golden files must be the same text for the same JSON, whatever the key order. */
    @Test
    void canonicalFormSortsKeysAndKeepsEmptyContainersOnOneLine() {
        String text = CanonicalJson.write(CanonicalJson.parse("{\"b\":[],\"a\":{\"y\":\"\\\"q\\\"\",\"x\":{}},\"c\":[1,true,null]}"));
        assertEquals(String.join("\n", "{", "  \"a\": {", "    \"x\": {},", "    \"y\": \"\\\"q\\\"\"", "  },", "  \"b\": [],",
                "  \"c\": [", "    1,", "    true,", "    null", "  ]", "}", ""), text);
    }
}
