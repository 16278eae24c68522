package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two views of a stack the other tests use must agree, and hold nothing machine-specific. */
class SynthFixtureTest {
    static final SynthFixture F = SynthFixture.seed();

    @Test
    void testingSynthIsTheWrittenFileWithoutMetadata() {
        for (SynthStack s : F.stacks()) {
            assertEquals(withoutMetadata(s.tree()), CanonicalJson.parse(s.json()),
                    s + ": the matchers would check something other than what terraform reads");
        }
    }

    @Test
    void synthesizedFilesHoldNoPathOfThisMachine() throws Exception {
        String root = System.getProperty("user.dir");
        for (SynthStack s : F.stacks()) {
            String text = Files.readString(s.file());
            assertFalse(text.contains(F.outdir().toString()), s + " names the output folder");
            assertFalse(text.contains(root), s + " names the checkout " + root);
        }
    }

    @Test
    void theFixtureHoldsBothEnvironmentsAndFindsTheirStacksByName() {
        // the AWS stacks first, in deploy order (the ci stack only with CI keys: env/local has them);
        // stacks added to an environment later come after them
        assertEquals(List.of("test-state", "test-vpc", "test-eks"),
                F.stacksOf("test").stream().map(SynthStack::name).toList().subList(0, 3));
        assertEquals(List.of("local-state", "local-ci", "local-vpc", "local-eks"),
                F.stacksOf("local").stream().map(SynthStack::name).toList());
        // the record EnvironmentStacks returns and the construct tree hold the same stacks
        assertEquals(F.stack("test-eks").stack(), F.record("test").eks());
        assertEquals(F.stack("local-vpc").stack(), F.record("local").vpc());
    }

    private static JsonNode withoutMetadata(JsonNode node) {
        if (node instanceof ObjectNode o) {
            ObjectNode copy = CanonicalJson.MAPPER.createObjectNode();
            o.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("//")) {
                    copy.set(e.getKey(), withoutMetadata(e.getValue()));
                }
            });
            return copy;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode copy = CanonicalJson.MAPPER.createArrayNode();
            a.forEach(item -> copy.add(withoutMetadata(item)));
            return copy;
        }
        return node;
    }
}
