package com.bridgeai.infra.modules.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schema check on small schemas built like the charts' ones. */
class ValuesSchemaTest {
    static final JsonNode SCHEMA = json("""
            {
              "$schema": "http://json-schema.org/draft-07/schema",
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "depth": {"type": "integer"},
                "size": {"type": ["string", "null"]},
                "executor": {"type": "string", "pattern": "^(Local|Kubernetes)Executor$"},
                "mode": {"enum": ["a", "b"]},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "free": {"type": "object"},
                "securityContext": {"type": "object", "$ref": "#/definitions/Ctx", "default": {}},
                "tolerations": {"type": "array", "items": {"$ref": "#/definitions/Toleration"}},
                "hosts": {"type": "array", "items": {"oneOf": [
                  {"type": "object", "additionalProperties": false, "required": ["name"],
                   "properties": {"name": {"type": "string"}, "tls": {"type": "boolean"}}},
                  {"type": "string"}]}},
                "port": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "minLength": 1}]},
                "either": {"oneOf": [{"type": "object", "required": ["x"]}, {"type": "object", "required": ["y"]}]},
                "list": {"type": "array", "items": {"oneOf": [{"type": "object", "required": ["x"]}, {"type": "object", "required": ["y"]}]}}
              },
              "definitions": {
                "Ctx": {"type": "object", "additionalProperties": false,
                        "properties": {"runAsUser": {"type": "integer", "format": "int64"}}},
                "Toleration": {"type": "object", "additionalProperties": false, "required": ["key"],
                               "properties": {"key": {"type": "string"}, "operator": {"type": "string"}}}
              }
            }
            """);

    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<String> problems(Object values) {
        return ValuesSchema.problems(values, SCHEMA);
    }

    @Test
    void acceptsWhatTheSchemaAllows() {
        Map<String, Object> values = new HashMap<>();
        values.put("depth", 1.0);
        values.put("size", null);
        values.put("executor", "KubernetesExecutor");
        values.put("mode", "b");
        values.put("labels", Map.of("team", "ml"));
        values.put("free", Map.of("anything", List.of(1, Map.of("x", true))));
        values.put("securityContext", Map.of("runAsUser", 50000));
        values.put("tolerations", List.of(Map.of("key", "nvidia.com/gpu", "operator", "Exists")));
        values.put("hosts", List.of("a.example", Map.of("name", "b.example", "tls", true)));
        values.put("port", "http");
        values.put("either", Map.of());
        assertEquals(List.of(), problems(values));
    }

    @Test
    void refusesUnknownKeysAtEveryDepth() {
        assertEquals(List.of("deph: key not allowed by the schema"), problems(Map.of("deph", 1)));
        assertEquals(List.of("securityContext.runAsUsr: key not allowed by the schema"),
                problems(Map.of("securityContext", Map.of("runAsUsr", 1))));
        assertEquals(List.of("tolerations[0].efect: key not allowed by the schema"),
                problems(Map.of("tolerations", List.of(Map.of("key", "k", "efect", "NoSchedule")))));
    }

    @Test
    void refusesWrongTypesEnumsAndPatterns() {
        assertEquals(List.of("depth: expected integer, found string \"1\""), problems(Map.of("depth", "1")));
        assertEquals(List.of("depth: expected integer, found number 1.5"), problems(Map.of("depth", 1.5)));
        assertEquals(List.of("size: expected one of [\"string\",\"null\"], found integer 10"), problems(Map.of("size", 10)));
        assertEquals(List.of("labels.team: expected string, found boolean"), problems(Map.of("labels", Map.of("team", true))));
        assertEquals(List.of("securityContext.runAsUser: expected integer, found string \"root\""),
                problems(Map.of("securityContext", Map.of("runAsUser", "root"))));
        assertEquals(List.of("mode: \"c\" is not one of [\"a\",\"b\"]"), problems(Map.of("mode", "c")));
        assertEquals(1, problems(Map.of("executor", "CeleryExecutor")).size());
    }

    @Test
    void anyOfAndOneOfNeedAMatchingBranch() {
        assertEquals(List.of(), problems(Map.of("port", 8080)));
        assertEquals(1, problems(Map.of("port", 0)).size(), "below the integer branch's minimum, not a string");
        assertEquals(1, problems(Map.of("port", "")).size());
        assertEquals(1, problems(Map.of("hosts", List.of(Map.of("name", "a", "tls", "yes")))).size());
        assertEquals(1, problems(Map.of("hosts", List.of(true))).size());
    }

    @Test
    void requiredAndExactlyOneApplyOnlyWhereHelmDoesNotMergeDefaults() {
        // merged objects: the chart defaults may hold the required keys / tell the branches apart
        assertEquals(List.of(), problems(Map.of("either", Map.of("x", 1, "y", 2))));
        // list items replace the defaults whole
        assertEquals(List.of("tolerations[0]: required key key is missing"),
                problems(Map.of("tolerations", List.of(Map.of("operator", "Exists")))));
        assertEquals(List.of("list[0]: matches 2 oneOf branches, not exactly one"),
                problems(Map.of("list", List.of(Map.of("x", 1, "y", 2)))));
        assertEquals(1, problems(Map.of("hosts", List.of(Map.of("tls", true)))).size(), "host without name");
    }

    @Test
    void keywordsItDoesNotHandleFailLoudly() {
        JsonNode schema = json("{\"type\": \"object\", \"properties\": {\"a\": {\"patternProperties\": {}}}}");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ValuesSchema.problems(Map.of("a", Map.of()), schema));
        assertTrue(e.getMessage().contains("patternProperties"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> ValuesSchema.problems(Map.of("a", 1), json("{\"properties\": {\"a\": {\"$ref\": \"#/definitions/None\"}}}")));
    }

    @Test
    void keyPathsAreCheckedAgainstPropertiesItemsAndBranches() {
        for (String allowed : List.of("depth", "labels.team", "free.any.thing", "free.list[].x", "securityContext.runAsUser",
                "tolerations[].key", "hosts[].name", "hosts[].tls", "either.x", "size")) {
            assertTrue(ValuesSchema.allowsKeyPath(SCHEMA, ChartKeys.steps(allowed)), allowed);
        }
        for (String refused : List.of("deph", "securityContext.runAsUsr", "tolerations[].efect", "tolerations.key",
                "hosts[].port", "depth.x", "port.x", "labels[]", "mode.a")) {
            assertFalse(ValuesSchema.allowsKeyPath(SCHEMA, ChartKeys.steps(refused)), refused);
        }
        // allOf: every branch must allow the key
        JsonNode both = json("{\"allOf\": [{\"properties\": {\"a\": {}}}, "
                + "{\"additionalProperties\": false, \"properties\": {\"b\": {}}}]}");
        assertTrue(ValuesSchema.allowsKeyPath(both, List.of("b")));
        assertFalse(ValuesSchema.allowsKeyPath(both, List.of("a")));
    }

    @Test
    void keyPathsOfValuesAndBack() {
        Map<String, Object> values = Map.of(
                "dags", Map.of("gitSync", Map.of("subPath", "dags", "enabled", true)),
                "annotations", Map.of("eks.amazonaws.com/role-arn", "arn"),
                "tolerations", List.of(Map.of("key", "k", "operator", "Exists")),
                "args", List.of("a", "b"), "none", List.of(), "empty", Map.of());
        assertEquals(new java.util.TreeSet<>(List.of("dags.gitSync.subPath", "dags.gitSync.enabled",
                "annotations.eks\\.amazonaws\\.com/role-arn", "tolerations[].key", "tolerations[].operator",
                "args[]", "none", "empty")), ChartKeys.paths(values));
        assertEquals(List.of("annotations", "eks.amazonaws.com/role-arn"), ChartKeys.steps("annotations.eks\\.amazonaws\\.com/role-arn"));
        assertEquals(List.of("a", "[]", "[]", "b"), ChartKeys.steps("a[][].b"));
    }
}
