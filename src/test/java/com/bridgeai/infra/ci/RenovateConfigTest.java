package com.bridgeai.infra.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.pins.CodePins;
import com.bridgeai.infra.pins.Pin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * renovate.json (docs/pins.md): valid by Renovate's own JSON schema (renovate-schema.json of the
 * renovate npm package pinned in src/test/node/renovate-schema.sh, with no key the schema does not
 * name), every custom manager's matchStrings matching the files its managerFilePatterns name, every
 * ChartPin and every @Pinned pin with a datasource read by a manager at its current version, and
 * Renovate the only update bot.
 */
class RenovateConfigTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path CONFIG = Path.of("renovate.json");
    static final Path SCHEMA_SCRIPT = Path.of("src", "test", "node", "renovate-schema.sh");
    /** Syntax JavaScript's RegExp and RE2 (what Renovate runs) read differently or not at all. */
    static final Pattern NOT_RE2 = Pattern.compile("\\(\\?[=!]|\\(\\?<[=!]|\\\\[1-9]|\\(\\?[a-z]+\\)|\\\\[AZz]|[*+?}]\\+");
    static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\{(\\w+)}}}");

    /** One dependency a manager found: its capture groups with the templates applied, where. */
    record Found(int manager, String file, int start, int end, Map<String, String> fields) {}

    static JsonNode config() throws IOException {
        return JSON.readTree(CONFIG.toFile());
    }

    static Schema schemaOrSkip(JsonNode[] raw) throws IOException {
        Matcher v = Pattern.compile("(?m)^version=(\\S+)$").matcher(Files.readString(SCHEMA_SCRIPT));
        assertTrue(v.find(), "renovate-schema.sh pins a version");
        Path schema = SCHEMA_SCRIPT.resolveSibling(".downloads/renovate-" + v.group(1) + "/renovate-schema.json");
        if (!Files.isRegularFile(schema)) {
            String why = schema + " is missing (npm registry unreachable when the build ran src/test/node/renovate-schema.sh?)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
        raw[0] = JSON.readTree(schema.toFile());
        assertEquals(v.group(1), raw[0].path("x-renovate-version").asText(), "the schema of the pinned release");
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(raw[0]);
    }

    @Test
    void theConfigIsValidByRenovatesSchema() throws IOException {
        JsonNode[] raw = new JsonNode[1];
        Schema schema = schemaOrSkip(raw);
        JsonNode config = config();
        assertEquals(List.of(), schema.validate(config).stream().map(Object::toString).toList());
        assertEquals(List.of(), unknownKeys(config, raw[0]));
        // the checks can fail: a wrong type and an unknown manager type (schema), a misspelt option (unknown key)
        ObjectNode bad = config.deepCopy();
        bad.put("pinDigests", "yes");
        assertFalse(schema.validate(bad).isEmpty(), "pinDigests must be a boolean");
        bad = config.deepCopy();
        ((ObjectNode) bad.path("customManagers").get(0)).put("customType", "regexp");
        assertFalse(schema.validate(bad).isEmpty(), "customType regex or jsonata");
        ((ObjectNode) bad.path("customManagers").get(0)).putArray("fileMatches").add("x");
        bad.put("schedul", "weekly");
        assertEquals(List.of("schedul", "customManagers[0].fileMatches"), unknownKeys(bad, raw[0]));
    }

    /**
     * The schema leaves its objects open (no additionalProperties: false), so a misspelt option
     * passes it; Renovate's own validator refuses one ("Invalid configuration option"). The keys
     * of the config and of its custom managers must be options the schema names there; a package
     * rule's, one of its match/rule options or any option of the config (Renovate applies those per rule).
     */
    static List<String> unknownKeys(JsonNode config, JsonNode schema) {
        List<String> unknown = new ArrayList<>();
        Set<String> top = names(schema.path("properties"));
        top.add("$schema"); // the editor's pointer at the schema, which Renovate reads past
        config.fieldNames().forEachRemaining(k -> {
            if (!top.contains(k)) {
                unknown.add(k);
            }
        });
        for (String list : List.of("customManagers", "packageRules")) {
            Set<String> item = names(schema.path("definitions").path(list).path("items").path("allOf").get(0).path("properties"));
            assertTrue(item.size() > 10, list + " options in the schema");
            if (list.equals("packageRules")) {
                item.addAll(top);
            }
            for (int i = 0; i < config.path(list).size(); i++) {
                int index = i;
                config.path(list).get(i).fieldNames().forEachRemaining(k -> {
                    if (!item.contains(k)) {
                        unknown.add(list + "[" + index + "]." + k);
                    }
                });
            }
        }
        return unknown;
    }

    private static Set<String> names(JsonNode properties) {
        Set<String> names = new TreeSet<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Every custom manager finds something: a regular expression that matches nothing is a defect. */
    @Test
    void everyCustomManagerMatchesTheFilesItNames() throws IOException {
        JsonNode managers = config().path("customManagers");
        assertTrue(managers.size() >= 3, "ChartPin (https), ChartPin (oci), @Pinned");
        List<Found> found = apply(managers);
        for (int i = 0; i < managers.size(); i++) {
            int index = i;
            assertTrue(found.stream().anyMatch(f -> f.manager() == index), "customManagers[" + i + "] ("
                    + managers.get(i).path("description").asText() + ") matches nothing");
        }
        for (Found f : found) {
            for (String field : List.of("depName", "currentValue", "datasource")) {
                assertFalse(f.fields().getOrDefault(field, "").isBlank(), f + ": " + field);
            }
        }
    }

    /** Every ChartPin of the code and every @Pinned pin with a datasource is one dependency Renovate reads, at its version. */
    @Test
    void everyChartPinAndEveryRenovatePinIsReadAtItsVersion() throws IOException {
        List<Found> found = apply(config().path("customManagers"));
        List<Pin> pins = CodePins.all();
        List<String> missing = new ArrayList<>();
        for (Pin pin : pins) {
            String datasource = pin.updatedBy().matches("Renovate \\((.+)\\)") ? pin.updatedBy().replaceAll("Renovate \\((.+)\\)", "$1") : null;
            if (datasource == null) {
                continue;
            }
            boolean read = found.stream().anyMatch(f -> pin.name().equals(f.fields().get("depName"))
                    && pin.version().equals(f.fields().get("currentValue")) && datasource.equals(f.fields().get("datasource")));
            if (!read) {
                missing.add(pin.kind() + " " + pin.name() + " " + pin.version() + " (" + datasource + ", " + pin.declaredIn() + ")");
            }
        }
        assertEquals(List.of(), missing, "pins renovate.json does not read: write them as the managers expect (docs/pins.md)");
        // the OCI charts are the OCI repository's image <repository>/<chart>
        assertTrue(found.stream().anyMatch(f -> "ghcr.io/controlplaneio-fluxcd/charts/flux-operator".equals(f.fields().get("packageName"))
                && "docker".equals(f.fields().get("datasource"))), found::toString);
        assertTrue(found.stream().anyMatch(f -> "https://airflow.apache.org".equals(f.fields().get("registryUrl"))
                && "helm".equals(f.fields().get("datasource"))), found::toString);

        // and in the sources: every `new ChartPin(` and every @Pinned with a datasource lies in a match
        List<String> unread = new ArrayList<>();
        Pattern declaration = Pattern.compile("new ChartPin\\(|@Pinned\\([^)]*renovate = \"[a-z]");
        for (Path file : javaSources()) {
            String text = Files.readString(file);
            Matcher m = declaration.matcher(text);
            while (m.find()) {
                int at = m.start();
                String rel = file.toString();
                if (found.stream().noneMatch(f -> f.file().equals(rel) && f.start() <= at && at < f.end())) {
                    unread.add(rel + ":" + (text.substring(0, at).split("\n", -1).length) + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), unread, "declarations no custom manager matches (a ChartPin's version and repository as literals; "
                + "@Pinned(name = ..., renovate = ...) first, on a String constant)");
    }

    /** Renovate owns every ecosystem: no Dependabot version updates beside it (two pull requests per change). */
    @Test
    void renovateIsTheOnlyUpdateBot() throws IOException {
        assertFalse(Files.exists(Path.of(".github", "dependabot.yml")) || Files.exists(Path.of(".github", "dependabot.yaml")),
                "Dependabot version updates would duplicate Renovate's pull requests (docs/pins.md)");
        JsonNode rules = config().path("packageRules");
        boolean pinned = false;
        for (JsonNode rule : rules) {
            pinned |= rule.path("matchManagers").toString().equals("[\"github-actions\"]") && rule.path("pinDigests").asBoolean();
        }
        assertTrue(pinned, "GitHub Actions stay pinned by commit (pinDigests)");
        assertTrue(config().path("ignorePaths").toString().equals("[\"**/node_modules/**\"]"),
                "src/test/node/package.json is read (config:recommended would ignore **/test/**)");
    }

    /** Each custom manager applied as Renovate applies it: its patterns select files, each matchString finds dependencies. */
    static List<Found> apply(JsonNode managers) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(""))) {
            files = walk.filter(Files::isRegularFile).map(p -> Path.of("").toAbsolutePath().relativize(p.toAbsolutePath()))
                    .filter(p -> !p.toString().matches("(^|.*/)(node_modules|target|\\.git|cdktf\\.out|\\.downloads)/.*"))
                    .sorted().toList();
        }
        List<Found> found = new ArrayList<>();
        for (int i = 0; i < managers.size(); i++) {
            JsonNode manager = managers.get(i);
            assertEquals("regex", manager.path("customType").asText());
            List<Pattern> patterns = new ArrayList<>();
            for (JsonNode p : manager.path("managerFilePatterns")) {
                String text = p.asText();
                assertTrue(text.length() > 2 && text.startsWith("/") && text.endsWith("/"), "a /regex/ file pattern: " + text);
                patterns.add(Pattern.compile(text.substring(1, text.length() - 1)));
            }
            for (JsonNode s : manager.path("matchStrings")) {
                assertFalse(NOT_RE2.matcher(s.asText()).find(), "RE2 syntax only (Renovate runs RE2): " + s.asText());
                Pattern regex = Pattern.compile(s.asText());
                for (Path file : files) {
                    String rel = file.toString();
                    if (patterns.stream().noneMatch(p -> p.matcher(rel).find())) {
                        continue;
                    }
                    Matcher m = regex.matcher(Files.readString(file));
                    while (m.find()) {
                        Map<String, String> groups = new LinkedHashMap<>();
                        for (String name : groupNames(s.asText())) {
                            if (m.group(name) != null) {
                                groups.put(name, m.group(name));
                            }
                        }
                        Map<String, String> fields = new LinkedHashMap<>(groups);
                        for (Iterator<Map.Entry<String, JsonNode>> it = manager.fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> e = it.next();
                            if (e.getKey().endsWith("Template") && !e.getKey().equals("versioningTemplate")) {
                                String field = e.getKey().substring(0, e.getKey().length() - "Template".length());
                                fields.put(field, render(e.getValue().asText(), groups));
                            }
                        }
                        found.add(new Found(i, rel, m.start(), m.end(), fields));
                    }
                }
            }
        }
        return found;
    }

    private static List<String> groupNames(String regex) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(regex);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The {{{field}}} substitutions of a Renovate template (the only form the managers' templates use). */
    private static String render(String template, Map<String, String> groups) {
        assertFalse(template.replaceAll("\\{\\{\\{\\w+}}}", "").contains("{{"), "only {{{field}}} in " + template);
        Matcher m = TEMPLATE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            assertTrue(groups.containsKey(m.group(1)), template + ": no group " + m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(groups.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    static List<Path> javaSources() throws IOException {
        try (Stream<Path> walk = Stream.concat(Files.walk(Path.of("modules")), Files.walk(Path.of("src", "main", "java")))) {
            return walk.filter(p -> p.toString().endsWith(".java") && p.toString().contains("src/main/java/")).sorted().toList();
        }
    }

}
