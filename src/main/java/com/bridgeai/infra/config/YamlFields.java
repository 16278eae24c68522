package com.bridgeai.infra.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed, error-collecting reads from one YAML mapping node. Works on the composed node
 * tree (not on constructed Java objects) so that every error carries a line number, the
 * text as written (an unquoted {@code 1.30} is still "1.30" here) and the resolved type.
 * A read that fails records a {@link ConfigError} and returns empty; the loader reports
 * all errors of a file together.
 */
final class YamlFields {
    private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(4);

    private final Path file;
    private final String path;
    private final Node owner;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final List<ConfigError> errors;

    private YamlFields(Path file, String path, Node owner, List<ConfigError> errors) {
        this.file = file;
        this.path = path;
        this.owner = owner;
        this.errors = errors;
    }

    /** Reads a mapping; null if the node is not one (the error is recorded). */
    static YamlFields of(Path file, String path, Node node, List<ConfigError> errors) {
        YamlFields fields = new YamlFields(file, path, node, errors);
        if (!(node instanceof MappingNode mapping)) {
            fields.error(node, path, "expected a mapping of keys to values, found " + describe(node));
            return null;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode key) || !Tag.STR.equals(keyNode.getTag())) {
                fields.error(keyNode, path, "expected keys to be plain words, found " + describe(keyNode));
                continue;
            }
            if (fields.entries.containsKey(key.getValue())) {
                fields.error(keyNode, fields.child(key.getValue()), "duplicate key: expected each key once, found it"
                        + " again (first set on line " + line(fields.entries.get(key.getValue()).getKeyNode()) + ")");
                continue;
            }
            fields.entries.put(key.getValue(), tuple);
        }
        return fields;
    }

    /** Records an error for every key not in {@code known}, suggesting the nearest known key. */
    void rejectUnknownKeys(Set<String> known) {
        rejectUnknownKeys(known, key -> Optional.empty());
    }

    /**
     * Like {@link #rejectUnknownKeys(Set)}, but an unknown key for which {@code refusal} has a
     * message gets that message instead of a suggestion ({@code %s} in it = the key; the key's
     * value is never shown).
     */
    void rejectUnknownKeys(Set<String> known, Function<String, Optional<String>> refusal) {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (known.contains(e.getKey())) {
                continue;
            }
            Optional<String> refused = refusal.apply(e.getKey());
            if (refused.isPresent()) {
                error(e.getValue().getKeyNode(), child(e.getKey()), String.format(refused.get(), e.getKey()));
                continue;
            }
            String suggestion = known.stream().sorted()
                    .filter(k -> DISTANCE.apply(k, e.getKey()) >= 0)
                    .min((a, b) -> DISTANCE.apply(a, e.getKey()) - DISTANCE.apply(b, e.getKey()))
                    .map(k -> " (did you mean '" + k + "'?)")
                    .orElse("");
            error(e.getValue().getKeyNode(), child(e.getKey()), "unknown key" + suggestion + "; expected one of "
                    + String.join(", ", known.stream().sorted().toList()) + ", found '" + e.getKey() + "'");
        }
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    Optional<String> string(String key, boolean required) {
        return scalar(key, required, Tag.STR, "a string").map(ScalarNode::getValue);
    }

    Optional<Integer> integer(String key, boolean required) {
        return scalar(key, required, Tag.INT, "a whole number").flatMap(n -> {
            try {
                return Optional.of(Integer.decode(n.getValue().replace("_", "")));
            } catch (NumberFormatException ex) {
                error(n, child(key), "expected a whole number between 0 and " + Integer.MAX_VALUE + ", found " + n.getValue());
                return Optional.empty();
            }
        });
    }

    Optional<Boolean> bool(String key, boolean required) {
        return scalar(key, required, Tag.BOOL, "true or false")
                .map(n -> Set.of("true", "yes", "on", "y").contains(n.getValue().toLowerCase()));
    }

    /**
     * A list of strings; an element of another type is an error naming its index, and the read
     * is then empty (rules on the list would otherwise judge a list the file does not hold).
     */
    Optional<List<String>> strings(String key, boolean required) {
        return sequence(key, required).flatMap(seq -> {
            List<String> out = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                if (item instanceof ScalarNode s && Tag.STR.equals(s.getTag())) {
                    out.add(s.getValue());
                } else {
                    error(item, child(key) + "[" + i + "]", "expected a string, found " + describe(item));
                    ok = false;
                }
            }
            return ok ? Optional.of(List.copyOf(out)) : Optional.empty();
        });
    }

    /** A list of mappings, each read by {@code reader} with its own key path ({@code addons[1]}). */
    <T> Optional<List<T>> mappings(String key, boolean required, Function<YamlFields, T> reader) {
        return sequence(key, required).map(seq -> {
            List<T> out = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                YamlFields item = of(file, child(key) + "[" + i + "]", seq.getValue().get(i), errors);
                if (item != null) {
                    T value = reader.apply(item);
                    if (value != null) {
                        out.add(value);
                    }
                }
            }
            return List.copyOf(out);
        });
    }

    /** The value node of {@code key} (for errors about a value that parsed but broke a rule). */
    Node node(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? owner : t.getValueNode();
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Records a rule violation on {@code key}'s value. */
    void invalid(String key, String message) {
        error(node(key), child(key), message);
    }

    /** A predicate that records "expected {@code expected}, found <value>" when it fails. */
    <T> Predicate<T> check(String key, Predicate<T> rule, String expected) {
        return v -> {
            if (rule.test(v)) {
                return true;
            }
            invalid(key, "expected " + expected + ", found " + (v instanceof String ? "\"" + v + "\"" : v));
            return false;
        };
    }

    void error(Node node, String keyPath, String message) {
        errors.add(new ConfigError(file, line(node), keyPath, message));
    }

    private Optional<SequenceNode> sequence(String key, boolean required) {
        return value(key, required).flatMap(node -> {
            if (node instanceof SequenceNode seq && Tag.SEQ.equals(seq.getTag())) {
                return Optional.of(seq);
            }
            error(node, child(key), "expected a list, found " + describe(node));
            return Optional.empty();
        });
    }

    private Optional<ScalarNode> scalar(String key, boolean required, Tag tag, String expected) {
        return value(key, required).flatMap(node -> {
            if (node instanceof ScalarNode s && tag.equals(s.getTag())) {
                return Optional.of(s);
            }
            error(node, child(key), "expected " + expected + ", found " + describe(node));
            return Optional.empty();
        });
    }

    private Optional<Node> value(String key, boolean required) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            if (required) {
                // inside a list item the item's line helps; at the top level it would point at an unrelated key
                error(path.isEmpty() ? null : owner, child(key), "missing required key: expected '" + key
                        + ":' with a value, found no such key");
            }
            return Optional.empty();
        }
        Node node = tuple.getValueNode();
        if (Tag.NULL.equals(node.getTag())) {
            if (required) {
                error(node, child(key), "expected a value, found nothing (null)");
            }
            return Optional.empty();
        }
        return Optional.of(node);
    }

    /** What a node is, in words, with its text: {@code the number 1.30}. */
    static String describe(Node node) {
        if (node == null) {
            return "nothing";
        }
        Tag tag = node.getTag();
        if (node instanceof ScalarNode s) {
            String text = s.getValue();
            if (Tag.STR.equals(tag)) return "the string \"" + text + "\"";
            if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) return "the number " + text;
            if (Tag.BOOL.equals(tag)) return "the boolean " + text;
            if (Tag.TIMESTAMP.equals(tag)) return "the date " + text + " (quote it to make it a string)";
            if (Tag.MERGE.equals(tag)) return "the merge key " + text + " (anchors and merges are not supported)";
            if (Tag.NULL.equals(tag)) return "nothing (null)";
            return "a value tagged " + tag.getValue() + " (" + text + ")";
        }
        if (node instanceof SequenceNode) return "a list";
        if (node instanceof MappingNode) return "a mapping";
        return "a " + node.getNodeId();
    }

    static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
