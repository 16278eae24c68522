package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One synthesized stack: {@link #json()} is {@code Testing.synth} (what the cdktf matchers
 * take), {@link #tree()} is the cdk.tf.json that {@code app.synth()} wrote (what terraform
 * reads; it keeps cdktf's "//" metadata, whose construct paths let tests find a resource by
 * the construct that made it instead of by its hashed logical id).
 */
final class SynthStack {
    /** {@code ${type.name.attr}} or {@code ${data.type.name.attr}}: one reference, nothing around it. */
    private static final Pattern REF = Pattern.compile("\\$\\{(data\\.)?([a-z0-9_]+)\\.([A-Za-z0-9_-]+)\\.([^}]+)}");

    private final String name;
    private final TerraformStack stack;
    private final Path file;
    private JsonNode tree;
    private String json;

    SynthStack(String name, TerraformStack stack, Path file) {
        this.name = name;
        this.stack = stack;
        this.file = file;
    }

    /** A resource or data source: {@code kind} is "resource" or "data". */
    record Element(String kind, String type, String id, JsonNode config) {
        String address() {
            return (kind.equals("data") ? "data." : "") + type + "." + id;
        }

        /** The interpolation another resource uses to read {@code attr} of this one. */
        String ref(String attr) {
            return "${" + address() + "." + attr + "}";
        }

        JsonNode get(String path) {
            return config.at(path);
        }
    }

    String name() {
        return name;
    }

    TerraformStack stack() {
        return stack;
    }

    Path file() {
        return file;
    }

    synchronized JsonNode tree() {
        if (tree == null) {
            try {
                tree = CanonicalJson.parse(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tree;
    }

    /** Testing.synth of the stack; jsii calls are made from the test thread only. */
    synchronized String json() {
        if (json == null) {
            json = Testing.synth(stack);
        }
        return json;
    }

    JsonNode backend() {
        return tree().path("terraform").path("backend");
    }

    JsonNode requiredProviders() {
        return tree().path("terraform").path("required_providers");
    }

    JsonNode output(String outputName) {
        JsonNode out = tree().path("output").path(outputName);
        if (out.isMissingNode()) {
            fail(name + ": no output " + outputName + "; outputs: " + names(tree().path("output")));
        }
        return out;
    }

    List<Element> resources(String type) {
        return elements("resource", type);
    }

    List<Element> dataSources(String type) {
        return elements("data", type);
    }

    /** The resource made by the construct at {@code path} (relative to the stack, e.g. "eks/cluster"). */
    Element resource(String type, String path) {
        return byPath("resource", type, path);
    }

    Element dataSource(String type, String path) {
        return byPath("data", type, path);
    }

    /** The only resource of a type. */
    Element only(String type) {
        List<Element> all = resources(type);
        assertEquals(1, all.size(), () -> name + ": expected one " + type + ", found " + all.size());
        return all.get(0);
    }

    /** The element a {@code ${type.id.attr}} string points at (and that it is exactly one reference). */
    Element target(String reference, String attr) {
        Matcher m = REF.matcher(reference);
        assertTrue(m.matches(), () -> name + ": expected one reference like ${type.name." + attr + "}, found " + reference);
        assertEquals(attr, m.group(4), () -> name + ": reference " + reference + " reads the wrong attribute");
        String kind = m.group(1) == null ? "resource" : "data";
        JsonNode config = tree().path(kind).path(m.group(2)).path(m.group(3));
        assertTrue(config.isObject(), () -> name + ": " + reference + " points at nothing in the stack");
        return new Element(kind, m.group(2), m.group(3), config);
    }

    // ------------------------------------------------------------ cdktf matchers, with messages

    /** Testing.toHaveResourceWithProperties; on failure shows what the stack has of that type. */
    void assertResource(String type, Map<String, ?> properties) {
        assertTrue(Testing.toHaveResourceWithProperties(json(), type, properties),
                () -> name + ": no " + type + " with " + properties + "; the stack has " + describe("resource", type));
    }

    void assertNoResource(String type) {
        assertTrue(!Testing.toHaveResource(json(), type),
                () -> name + ": expected no " + type + ", found " + describe("resource", type));
    }

    void assertDataSource(String type, Map<String, ?> properties) {
        assertTrue(Testing.toHaveDataSourceWithProperties(json(), type, properties),
                () -> name + ": no data." + type + " with " + properties + "; the stack has " + describe("data", type));
    }

    void assertProvider(String type, Map<String, ?> properties) {
        assertTrue(Testing.toHaveProviderWithProperties(json(), type, properties),
                () -> name + ": no provider " + type + " with " + properties + "; the stack has "
                        + CanonicalJson.write(tree().path("provider")));
    }

    // ------------------------------------------------------------ internals

    private List<Element> elements(String kind, String type) {
        List<Element> out = new ArrayList<>();
        tree().path(kind).path(type).fields()
                .forEachRemaining(e -> out.add(new Element(kind, type, e.getKey(), e.getValue())));
        return out;
    }

    private Element byPath(String kind, String type, String path) {
        String full = name + "/" + path;
        List<Element> all = elements(kind, type);
        return all.stream()
                .filter(e -> full.equals(e.config().path("//").path("metadata").path("path").asText()))
                .findFirst()
                .orElseGet(() -> fail(name + ": no " + kind + " " + type + " made by construct " + full + "; there are "
                        + all.stream().map(e -> e.config().path("//").path("metadata").path("path").asText()).toList()));
    }

    private String describe(String kind, String type) {
        JsonNode items = tree().path(kind).path(type);
        return items.isMissingNode() ? "none" : ":\n" + CanonicalJson.write(items);
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
