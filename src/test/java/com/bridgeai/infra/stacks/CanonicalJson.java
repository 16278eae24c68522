package com.bridgeai.infra.stacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One text form per JSON value: object keys sorted, two-space indent, one value per line,
 * {@code {}} / {@code []} when empty, a final newline. It is cdktf's own cdk.tf.json layout
 * (minus its "{\n}" for empty objects), so golden files read like the synthesized files and
 * line diffs show real changes only.
 */
final class CanonicalJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private CanonicalJson() {}

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, "", out);
        return out.append('\n').toString();
    }

    private static void write(JsonNode node, String indent, StringBuilder out) {
        String inner = indent + "  ";
        if (node.isObject()) {
            if (node.isEmpty()) {
                out.append("{}");
                return;
            }
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            out.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> it = sorted.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.append(inner).append(MAPPER.getNodeFactory().textNode(e.getKey())).append(": ");
                write(e.getValue(), inner, out);
                out.append(it.hasNext() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < node.size(); i++) {
                out.append(inner);
                write(node.get(i), inner, out);
                out.append(i < node.size() - 1 ? ",\n" : "\n");
            }
            out.append(indent).append(']');
        } else {
            out.append(node); // a scalar's toString is its JSON text, escapes included
        }
    }

    /** Lines of {@link #write} output, for diffs. */
    static List<String> lines(String text) {
        return text.lines().toList();
    }
}
