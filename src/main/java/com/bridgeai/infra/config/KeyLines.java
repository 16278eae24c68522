package com.bridgeai.infra.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Where each top-level key of a valid env file is written, for messages outside the loader that
 * point at a key the way {@link ConfigError} does ({@code env/prod/env.yaml:34: public_access_cidrs}).
 * {@link EnvConfig} holds values only; bin/preflight reads the lines here, with the loader's own
 * safe YAML reader.
 */
public record KeyLines(Path file, Map<String, Integer> lines) {
    public KeyLines {
        lines = Map.copyOf(lines);
    }

    /** The key lines of {@code file} (already validated by {@link EnvConfigLoader}: no errors expected). */
    public static KeyLines of(Path file) {
        List<ConfigError> errors = new ArrayList<>();
        Node root = EnvYaml.read(file, errors);
        Map<String, Integer> lines = new HashMap<>();
        if (root instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    lines.putIfAbsent(key.getValue(), YamlFields.line(key));
                }
            }
        }
        return new KeyLines(file, lines);
    }

    /**
     * {@code file:line: key} for a key in the file; for a key left out, {@code file: key (not set:
     * the default)}: the value a check judged is then the loader's default, changed by adding the key.
     */
    public String at(String key) {
        Integer line = lines.get(key);
        return line == null ? file + ": " + key + " (not set: the default)" : file + ":" + line + ": " + key;
    }
}
