package com.bridgeai.infra.modules.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A chart's values.schema.json (JSON Schema draft-07) applied to the values a HelmRelease sets.
 *
 * <p>Helm validates the values after merging them into the chart's defaults; this check sees only
 * ours, so it reports only what no default can repair: a key the schema does not allow
 * ({@code additionalProperties: false}, or a value failing an {@code additionalProperties} schema),
 * a value of the wrong {@code type}, outside {@code enum}/{@code const}, not matching
 * {@code pattern}, out of numeric or length bounds, or that no {@code anyOf}/{@code oneOf} branch
 * accepts; {@code allOf} branches all apply. Inside an array nothing is merged (Helm replaces lists
 * whole), so there the check is exact: {@code required}, {@code min/maxProperties}, {@code oneOf}'s
 * "exactly one", {@code not} and {@code if/then/else} apply as well. In objects Helm merges, a
 * {@code null} value deletes the chart default and is not validated.
 *
 * <p>{@code $ref} resolves JSON pointers into the same document; as draft-07 says, the keywords
 * beside a {@code $ref} are ignored. {@code format} is not checked. A keyword this class does not
 * know fails the check (IllegalStateException) instead of passing silently.
 */
final class ValuesSchema {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keywords that do not constrain a value. */
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$comment", "title", "description",
            "default", "examples", "definitions", "format", "readOnly", "writeOnly", "deprecated");
    private static final Set<String> ASSERTIONS = Set.of("$ref", "type", "enum", "const",
            "properties", "additionalProperties", "required", "minProperties", "maxProperties",
            "items", "minItems", "maxItems", "uniqueItems", "pattern", "minLength", "maxLength",
            "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
            "allOf", "anyOf", "oneOf", "not", "if", "then", "else");

    private final JsonNode root;
    private final Set<String> unsupported = new TreeSet<>();
    private final Map<String, Pattern> patterns = new HashMap<>();

    private ValuesSchema(JsonNode root) {
        this.root = root;
    }

    /** What the schema rejects in {@code values}, one "path: reason" each; empty when it accepts them. */
    static List<String> problems(Object values, JsonNode schema) {
        ValuesSchema check = new ValuesSchema(schema);
        List<String> out = new ArrayList<>();
        check.check(JSON.valueToTree(values), schema, "", true, out);
        if (!check.unsupported.isEmpty()) {
            throw new IllegalStateException("schema keywords this check does not handle: " + check.unsupported);
        }
        return out;
    }

    /**
     * Whether the schema lets values have the key path {@code steps} (map keys; {@code "[]"} steps
     * into the items of an array), whatever value sits at its end. A key is allowed where
     * {@code properties} names it, or where {@code additionalProperties} is absent, true or a schema
     * that allows the rest of the path; a {@code type}, {@code enum} or {@code const} that admits no
     * object (no array, for "[]") allows nothing below. {@code allOf} branches must all allow the path, one {@code anyOf} / {@code oneOf}
     * branch must.
     */
    static boolean allowsKeyPath(JsonNode schema, List<String> steps) {
        ValuesSchema check = new ValuesSchema(schema);
        boolean allowed = check.allows(schema, steps, 0);
        if (!check.unsupported.isEmpty()) {
            throw new IllegalStateException("schema keywords this check does not handle: " + check.unsupported);
        }
        return allowed;
    }

    private boolean allows(JsonNode schema, List<String> steps, int i) {
        if (i == steps.size()) {
            return true;
        }
        if (schema.isBoolean()) {
            return schema.asBoolean();
        }
        if (schema.has("$ref")) {
            return allows(resolve(schema.get("$ref").asText()), steps, i);
        }
        noteUnsupported(schema, String.join(".", steps.subList(0, i)));
        String step = steps.get(i);
        boolean item = "[]".equals(step);
        JsonNode type = schema.get("type");
        if (type != null && !typeMatches(item ? JSON.createArrayNode() : JSON.createObjectNode(), type)) {
            return false;
        }
        if (schema.has("const") && !(item ? schema.get("const").isArray() : schema.get("const").isObject())) {
            return false;
        }
        if (schema.has("enum")) {
            boolean any = false;
            for (JsonNode option : schema.get("enum")) {
                any |= item ? option.isArray() : option.isObject();
            }
            if (!any) {
                return false;
            }
        }
        boolean own;
        if (item) {
            JsonNode items = schema.get("items");
            // tuple form: items past the listed schemas are free
            own = items == null || items.isArray() || allows(items, steps, i + 1);
        } else {
            JsonNode property = schema.path("properties").get(step);
            JsonNode additional = schema.get("additionalProperties");
            if (property != null) {
                own = allows(property, steps, i + 1);
            } else if (additional == null) {
                own = true;
            } else {
                own = additional.isBoolean() ? additional.asBoolean() : allows(additional, steps, i + 1);
            }
        }
        if (!own) {
            return false;
        }
        for (JsonNode branch : schema.path("allOf")) {
            if (!allows(branch, steps, i)) {
                return false;
            }
        }
        for (String keyword : List.of("anyOf", "oneOf")) {
            if (schema.has(keyword)) {
                boolean any = false;
                for (JsonNode branch : schema.get(keyword)) {
                    any |= allows(branch, steps, i);
                }
                if (!any) {
                    return false;
                }
            }
        }
        return true;
    }

    private void noteUnsupported(JsonNode schema, String at) {
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ANNOTATIONS.contains(name) && !ASSERTIONS.contains(name) && !name.startsWith("x-")) {
                unsupported.add(name + " (at " + (at.isEmpty() ? "the root" : at) + ")");
            }
        }
    }

    /**
     * @param merged whether Helm merges this value with the chart defaults (false below an array):
     *               checks defaults could satisfy are then skipped
     */
    private void check(JsonNode value, JsonNode schema, String at, boolean merged, List<String> out) {
        if (schema.isBoolean()) {
            if (!schema.asBoolean()) {
                out.add(at + ": not allowed by the schema");
            }
            return;
        }
        if (merged && value.isNull()) {
            return;
        }
        if (schema.has("$ref")) {
            check(value, resolve(schema.get("$ref").asText()), at, merged, out);
            return;
        }
        noteUnsupported(schema, at);
        JsonNode type = schema.get("type");
        if (type != null && !typeMatches(value, type)) {
            out.add(at + ": expected " + (type.isArray() ? "one of " + type : type.asText()) + ", found " + typeOf(value));
            return;
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && !contains(allowed, value)) {
            out.add(at + ": " + value + " is not one of " + allowed);
        }
        if (schema.has("const") && !same(schema.get("const"), value)) {
            out.add(at + ": " + value + " is not " + schema.get("const"));
        }
        if (value.isObject()) {
            checkObject(value, schema, at, merged, out);
        } else if (value.isArray()) {
            checkArray(value, schema, at, out);
        } else if (value.isTextual()) {
            checkString(value.asText(), schema, at, out);
        } else if (value.isNumber()) {
            checkNumber(value.decimalValue(), schema, at, out);
        }
        for (JsonNode branch : schema.path("allOf")) {
            check(value, branch, at, merged, out);
        }
        if (schema.has("anyOf")) {
            List<List<String>> failures = branchFailures(value, schema.get("anyOf"), at, merged);
            if (failures.stream().allMatch(f -> !f.isEmpty())) {
                out.add(at + ": matches no anyOf branch " + failures);
            }
        }
        if (schema.has("oneOf")) {
            List<List<String>> failures = branchFailures(value, schema.get("oneOf"), at, merged);
            long matching = failures.stream().filter(List::isEmpty).count();
            if (matching == 0) {
                out.add(at + ": matches no oneOf branch " + failures);
            } else if (matching > 1 && !merged) {
                out.add(at + ": matches " + matching + " oneOf branches, not exactly one");
            }
        }
        if (!merged) {
            if (schema.has("not") && passes(value, schema.get("not"), at, false)) {
                out.add(at + ": matches the schema under not");
            }
            if (schema.has("if")) {
                JsonNode branch = passes(value, schema.get("if"), at, false) ? schema.get("then") : schema.get("else");
                if (branch != null) {
                    check(value, branch, at, false, out);
                }
            }
        }
    }

    private void checkObject(JsonNode value, JsonNode schema, String at, boolean merged, List<String> out) {
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = at.isEmpty() ? field.getKey() : at + "." + field.getKey();
            JsonNode property = properties.get(field.getKey());
            if (property != null) {
                check(field.getValue(), property, path, merged, out);
            } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                out.add(path + ": key not allowed by the schema");
            } else if (additional != null && additional.isObject()) {
                check(field.getValue(), additional, path, merged, out);
            }
        }
        if (merged) {
            return;
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                out.add(at + ": required key " + required.asText() + " is missing");
            }
        }
        if (schema.has("minProperties") && value.size() < schema.get("minProperties").asInt()) {
            out.add(at + ": fewer than " + schema.get("minProperties").asInt() + " keys");
        }
        if (schema.has("maxProperties") && value.size() > schema.get("maxProperties").asInt()) {
            out.add(at + ": more than " + schema.get("maxProperties").asInt() + " keys");
        }
    }

    private void checkArray(JsonNode value, JsonNode schema, String at, List<String> out) {
        JsonNode items = schema.get("items");
        for (int i = 0; i < value.size(); i++) {
            // tuple form: items past the listed schemas are free (additionalItems is not supported)
            JsonNode item = items == null ? null : items.isArray() ? items.get(i) : items;
            if (item != null) {
                check(value.get(i), item, at + "[" + i + "]", false, out);
            }
        }
        if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
            out.add(at + ": fewer than " + schema.get("minItems").asInt() + " items");
        }
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
            out.add(at + ": more than " + schema.get("maxItems").asInt() + " items");
        }
        if (schema.path("uniqueItems").asBoolean(false)) {
            for (int i = 0; i < value.size(); i++) {
                for (int j = i + 1; j < value.size(); j++) {
                    if (same(value.get(i), value.get(j))) {
                        out.add(at + ": items " + i + " and " + j + " are equal");
                    }
                }
            }
        }
    }

    private void checkString(String value, JsonNode schema, String at, List<String> out) {
        if (schema.has("pattern")) {
            Pattern pattern = patterns.computeIfAbsent(schema.get("pattern").asText(), Pattern::compile);
            if (!pattern.matcher(value).find()) {
                out.add(at + ": \"" + value + "\" does not match " + pattern);
            }
        }
        int length = value.codePointCount(0, value.length());
        if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
            out.add(at + ": shorter than " + schema.get("minLength").asInt());
        }
        if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
            out.add(at + ": longer than " + schema.get("maxLength").asInt());
        }
    }

    private void checkNumber(BigDecimal value, JsonNode schema, String at, List<String> out) {
        if (schema.has("minimum") && value.compareTo(schema.get("minimum").decimalValue()) < 0) {
            out.add(at + ": " + value + " is below the minimum " + schema.get("minimum"));
        }
        if (schema.has("maximum") && value.compareTo(schema.get("maximum").decimalValue()) > 0) {
            out.add(at + ": " + value + " is above the maximum " + schema.get("maximum"));
        }
        if (schema.has("exclusiveMinimum") && value.compareTo(schema.get("exclusiveMinimum").decimalValue()) <= 0) {
            out.add(at + ": " + value + " is not above " + schema.get("exclusiveMinimum"));
        }
        if (schema.has("exclusiveMaximum") && value.compareTo(schema.get("exclusiveMaximum").decimalValue()) >= 0) {
            out.add(at + ": " + value + " is not below " + schema.get("exclusiveMaximum"));
        }
        if (schema.has("multipleOf") && value.remainder(schema.get("multipleOf").decimalValue()).signum() != 0) {
            out.add(at + ": " + value + " is not a multiple of " + schema.get("multipleOf"));
        }
    }

    private List<List<String>> branchFailures(JsonNode value, JsonNode branches, String at, boolean merged) {
        List<List<String>> failures = new ArrayList<>();
        for (JsonNode branch : branches) {
            List<String> problems = new ArrayList<>();
            check(value, branch, at, merged, problems);
            failures.add(problems);
        }
        return failures;
    }

    private boolean passes(JsonNode value, JsonNode schema, String at, boolean merged) {
        List<String> problems = new ArrayList<>();
        check(value, schema, at, merged, problems);
        return problems.isEmpty();
    }

    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#")) {
            throw new IllegalStateException("only $ref into the same document is supported: " + ref);
        }
        JsonNode target = root.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new IllegalStateException("$ref " + ref + " does not resolve");
        }
        return target;
    }

    private static boolean typeMatches(JsonNode value, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(value, t)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "null" -> value.isNull();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "number" -> value.isNumber();
            case "integer" -> isInteger(value);
            default -> throw new IllegalStateException("unknown type " + type);
        };
    }

    /** draft-07: an integer is any number with a zero fractional part (1.0 included). */
    private static boolean isInteger(JsonNode value) {
        return value.isIntegralNumber()
                || value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
    }

    private static String typeOf(JsonNode value) {
        if (value.isNumber()) {
            return isInteger(value) ? "integer " + value : "number " + value;
        }
        if (value.isTextual()) {
            return "string \"" + value.asText() + "\"";
        }
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static boolean contains(JsonNode options, JsonNode value) {
        for (JsonNode option : options) {
            if (same(option, value)) {
                return true;
            }
        }
        return false;
    }

    /** JSON equality: numbers by value (1 == 1.0), objects regardless of key order. */
    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<String> names = a.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!b.has(name) || !same(a.get(name), b.get(name))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
