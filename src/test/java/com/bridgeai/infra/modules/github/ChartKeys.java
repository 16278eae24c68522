package com.bridgeai.infra.modules.github;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Key paths of Helm values, and the allowlists under src/test/resources/chart-keys/: for each
 * pinned chart, the key paths our values set, each checked against the chart's own values file
 * (written by us; no chart content).
 *
 * <p>A key path joins map keys with ".", writes {@code \.} for a dot inside a key and {@code []}
 * for the items of a list ({@code tolerations[].key}); it ends at a scalar, an empty map or an
 * empty list.
 */
final class ChartKeys {
    static final String ITEMS = "[]";

    private ChartKeys() {
    }

    /** Every key path {@code values} sets. */
    static SortedSet<String> paths(Object values) {
        SortedSet<String> out = new TreeSet<>();
        collect(values, "", out);
        return out;
    }

    private static void collect(Object node, String at, SortedSet<String> out) {
        if (node instanceof Map<?, ?> map && !map.isEmpty()) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.isEmpty() || key.contains("\\") || key.contains(ITEMS)) {
                    throw new IllegalArgumentException("a key path cannot hold the key \"" + key + "\" (at " + at + ")");
                }
                collect(e.getValue(), (at.isEmpty() ? "" : at + ".") + key.replace(".", "\\."), out);
            }
        } else if (node instanceof List<?> list && !list.isEmpty()) {
            for (Object item : list) {
                collect(item, at + ITEMS, out);
            }
        } else if (!at.isEmpty()) {
            out.add(at);
        }
    }

    /** The steps of a key path: keys, and "[]" for list items. */
    static List<String> steps(String path) {
        List<String> steps = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length() && path.charAt(i + 1) == '.') {
                key.append('.');
                i++;
            } else if (c == '.') {
                steps.add(key.toString());
                key.setLength(0);
            } else if (path.startsWith(ITEMS, i)) {
                if (!key.isEmpty()) {
                    steps.add(key.toString());
                    key.setLength(0);
                }
                steps.add(ITEMS);
                i++;
                if (i + 1 < path.length() && path.charAt(i + 1) == '.') {
                    i++;
                }
            } else {
                key.append(c);
            }
        }
        if (!key.isEmpty()) {
            steps.add(key.toString());
        }
        return steps;
    }

    /**
     * Whether a chart's values.yaml has every key of the path, down to a free-form value (an empty
     * map, a list, a scalar or null default: Helm takes what we set there as is). Stepping into list
     * items where the chart has a map with keys is refused. A {@code nodeSelector} is a Kubernetes
     * label map (any label key) even where the chart's default names one (Karpenter's
     * {@code kubernetes.io/os: linux}).
     */
    static boolean inValues(Object defaults, List<String> steps) {
        Object node = defaults;
        String previous = null;
        for (String step : steps) {
            if (!(node instanceof Map<?, ?> map) || map.isEmpty() || (previous != null && LABEL_MAPS.contains(previous))) {
                return true;
            }
            if (ITEMS.equals(step) || !map.containsKey(step)) {
                return false;
            }
            node = map.get(step);
            previous = step;
        }
        return true;
    }

    /** Keys whose value is a Kubernetes label map: the chart's default entries are examples, not the allowed keys. */
    static final java.util.Set<String> LABEL_MAPS = java.util.Set.of("nodeSelector");

    /** The allowlist of chart-keys/&lt;chart&gt;.txt (comments and blank lines left out); null when there is none. */
    static SortedSet<String> allowlist(String chart) throws IOException {
        try (InputStream in = ChartKeys.class.getResourceAsStream("/chart-keys/" + chart + ".txt")) {
            if (in == null) {
                return null;
            }
            SortedSet<String> keys = new TreeSet<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String key = line.strip();
                if (!key.isEmpty() && !key.startsWith("#")) {
                    keys.add(key);
                }
            }
            return keys;
        }
    }
}
