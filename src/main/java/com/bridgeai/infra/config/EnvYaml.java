package com.bridgeai.infra.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
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
 * Reads one env file into a YAML node tree, safely: one document of plain core-schema values,
 * UTF-8, few aliases, no tags. What cannot be read becomes a {@link ConfigError} with the line.
 */
final class EnvYaml {
    /** Anchors/aliases of lists or mappings allowed per file (the "billion laughs" guard). */
    static final int MAX_COLLECTION_ALIASES = 20;

    private EnvYaml() {}

    /** The file's root node; null when it cannot be read, is empty or holds a foreign tag (all recorded). */
    static Node read(Path file, List<ConfigError> errors) {
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
        int before = errors.size();
        rejectForeignTags(file, root, "", errors, Collections.newSetFromMap(new IdentityHashMap<>()));
        return errors.size() > before ? null : root;
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
