package com.bridgeai.infra.modules.github;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The FluxInstance the flux-instance chart (0.49.0) renders from its values: a Java transcription
 * of the chart's {@code templates/instance.yaml} at controlplaneio-fluxcd/charts commit cf746d9d
 * (Helm cannot run here). Values are merged the way Helm merges user values into the chart's
 * values.yaml (maps key by key, lists and scalars replaced), then each {@code key: {{ value }}}
 * of the template is read back as YAML, so a value that YAML would retype ("true", "1.0")
 * arrives the way Kubernetes would receive it. Metadata keeps only name and namespace (the CRD's
 * schema says nothing about the rest).
 */
final class FluxInstanceTemplate {
    private static final Yaml YAML = new Yaml(new SafeConstructor(new LoaderOptions()));

    private FluxInstanceTemplate() {
    }

    /** The FluxInstance for our values, with the chart's values.yaml as defaults. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> render(Map<String, Object> chartDefaults, Map<String, Object> values, String namespace) {
        Map<String, Object> merged = (Map<String, Object>) coalesce(chartDefaults, values);
        Map<String, Object> instance = (Map<String, Object>) merged.get("instance");
        Map<String, Object> distribution = (Map<String, Object>) instance.get("distribution");
        Map<String, Object> spec = new LinkedHashMap<>();

        Map<String, Object> dist = new LinkedHashMap<>();
        dist.put("version", String.valueOf(distribution.get("version")));            // | quote
        dist.put("registry", plain(distribution.get("registry")));
        putIfNotNull(dist, "artifact", plain(distribution.get("artifact")));          // "" renders as null
        for (String key : List.of("artifactPullSecret", "imagePullSecret", "variant")) {
            if (truthy(distribution.get(key))) {
                dist.put(key, plain(distribution.get(key)));
            }
        }
        spec.put("distribution", dist);
        spec.put("components", instance.get("components"));                          // toYaml

        // {{- range $key, $value := .Values.instance.cluster }}: Go ranges over a map in key order
        Map<String, Object> cluster = new LinkedHashMap<>();
        new TreeMap<>((Map<String, Object>) instance.get("cluster")).forEach((key, value) -> {
            if (!"".equals(value)) {
                putIfNotNull(cluster, key, plain(value));
            }
        });
        spec.put("cluster", cluster);

        Map<String, Object> commonMetadata = (Map<String, Object>) instance.get("commonMetadata");
        if (commonMetadata != null && (truthy(commonMetadata.get("annotations")) || truthy(commonMetadata.get("labels")))) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String key : List.of("annotations", "labels")) {
                if (truthy(commonMetadata.get(key))) {
                    out.put(key, commonMetadata.get(key));
                }
            }
            spec.put("commonMetadata", out);
        }
        spec.put("kustomize", instance.get("kustomize"));                             // toYaml

        Map<String, Object> sync = (Map<String, Object>) instance.get("sync");
        if (sync != null && truthy(sync.get("url"))) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String key : List.of("kind", "interval", "url", "ref", "path")) {
                putIfNotNull(out, key, plain(sync.get(key)));
            }
            for (String key : List.of("name", "provider", "pullSecret")) {
                if (truthy(sync.get(key))) {
                    out.put(key, plain(sync.get(key)));
                }
            }
            spec.put("sync", out);
        }
        Map<String, Object> storage = (Map<String, Object>) instance.get("storage");
        if (storage != null && truthy(storage.get("size"))) {
            spec.put("storage", storage);
        }
        Map<String, Object> sharding = (Map<String, Object>) instance.get("sharding");
        if (sharding != null && truthy(sharding.get("shards"))) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("key", plain(sharding.get("key")));
            out.put("shards", sharding.get("shards"));
            spec.put("sharding", out);
        }

        Map<String, Object> metadata = new LinkedHashMap<>();
        // include "flux-instance.fullname": fullnameOverride, whose default is "flux"
        metadata.put("name", truthy(merged.get("fullnameOverride")) ? merged.get("fullnameOverride") : null);
        metadata.put("namespace", namespace);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiVersion", "fluxcd.controlplane.io/v1");
        out.put("kind", "FluxInstance");
        out.put("metadata", metadata);
        out.put("spec", spec);
        return out;
    }

    /** Helm's merge of user values into chart defaults: maps key by key, anything else replaced; null deletes. */
    @SuppressWarnings("unchecked")
    static Object coalesce(Object defaults, Object values) {
        if (defaults instanceof Map<?, ?> d && values instanceof Map<?, ?> v) {
            Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) d);
            ((Map<String, Object>) v).forEach((key, value) -> {
                if (value == null) {
                    out.remove(key);
                } else {
                    out.put(key, coalesce(out.get(key), value));
                }
            });
            return out;
        }
        return values;
    }

    /** What {@code key: {{ value }}} reads back as: the value printed as Go prints it, parsed as a YAML scalar. */
    static Object plain(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new IllegalArgumentException("the template prints a scalar here, found " + value);
        }
        Map<?, ?> doc = YAML.load("k: " + value);
        return doc.get("k");
    }

    /** Go template truthiness: not null, not false, not 0, not "", not an empty map or list. */
    static boolean truthy(Object value) {
        if (value == null || Boolean.FALSE.equals(value) || "".equals(value)) {
            return false;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (value instanceof List<?> l) {
            return !l.isEmpty();
        }
        return true;
    }

    private static void putIfNotNull(Map<String, Object> map, String key, Object value) {
        // a YAML null on the API side: Kubernetes prunes nulls of non-nullable fields before validating
        if (value != null) {
            map.put(key, value);
        }
    }
}
