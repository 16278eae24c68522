package com.bridgeai.infra.modules.github;

import static com.bridgeai.infra.modules.github.GitOpsTreeTest.FLUX_INSTANCE;
import static com.bridgeai.infra.modules.github.GitOpsTreeTest.fluxProps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.flux.FluxModule;
import com.bridgeai.infra.modules.flux.FluxModuleProps;
import com.bridgeai.infra.modules.flux.FluxRelease;
import com.bridgeai.infra.modules.gitops.Manifests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Opt-in (-Dcharts.dir, see chart-keys/README.md): the FluxInstance the flux-instance chart renders
 * from our values ({@link FluxInstanceTemplate}), for every pinned Flux release and variant, is
 * valid against the {@code openAPIV3Schema} of the operator's FluxInstance CRD, checked by
 * networknt json-schema-validator.
 *
 * <p>The schema is closed first: every object schema that lists {@code properties} and neither
 * {@code additionalProperties} nor {@code x-kubernetes-preserve-unknown-fields} gets
 * {@code additionalProperties: false}. That is the API server's structural pruning made visible:
 * it would silently drop an unknown (misspelt) field, here it is an error. Not checked by a JSON
 * Schema validator: the CRD's CEL rules ({@code x-kubernetes-validations}); the one our values can
 * reach (the name must be "flux") is asserted directly, and no {@code sync.provider} is set.
 */
class FluxInstanceCrdTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Schema crd;
    private static Map<String, Object> chartDefaults;

    /** The CRD schema and the chart's defaults, once; skips the calling test (with where to get them) when absent. */
    static void load() throws IOException {
        if (crd != null) {
            return;
        }
        Map<String, Object> definition;
        try (InputStream in = Files.newInputStream(ChartFiles.file("fluxinstance-crd-v0.49.0"))) {
            definition = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        JsonNode versions = JSON.valueToTree(definition).at("/spec/versions");
        JsonNode schema = null;
        for (JsonNode version : versions) {
            if ("v1".equals(version.path("name").asText())) {
                schema = version.at("/schema/openAPIV3Schema");
            }
        }
        assertTrue(schema != null && schema.isObject(), "no v1 openAPIV3Schema in the FluxInstance CRD");
        chartDefaults = ChartFiles.values(FLUX_INSTANCE);
        crd = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(closed(schema.deepCopy()));
    }

    /** additionalProperties: false wherever Kubernetes would prune unknown fields. */
    static JsonNode closed(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            object.properties().forEach(e -> closed(e.getValue()));
        } else if (node != null && node.isArray()) {
            node.forEach(FluxInstanceCrdTest::closed);
        }
        return node;
    }

    static List<String> errors(Map<String, Object> values) throws IOException {
        load();
        Map<String, Object> instance = FluxInstanceTemplate.render(chartDefaults, values, Manifests.FLUX_NAMESPACE);
        List<String> out = new ArrayList<>();
        for (Error error : crd.validate(JSON.valueToTree(instance))) {
            out.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return out;
    }

    @Test
    void everyRenderedFluxInstanceIsValidAgainstTheCrd() throws IOException {
        load();
        int checked = 0;
        for (FluxRelease release : FluxRelease.PINNED) {
            for (boolean imageAutomation : List.of(true, false)) {
                for (boolean tainted : List.of(true, false)) {
                    FluxModuleProps props = fluxProps(release, imageAutomation, tainted);
                    Map<String, Object> values = FluxModule.instanceValues(props);
                    assertEquals(List.of(), errors(values), "Flux " + release.fluxVersion() + ", image automation "
                            + imageAutomation + ", tainted " + tainted);
                    Map<String, Object> rendered = FluxInstanceTemplate.render(chartDefaults, values, Manifests.FLUX_NAMESPACE);
                    JsonNode tree = JSON.valueToTree(rendered);
                    // the CRD's CEL rule: the only accepted name is "flux"
                    assertEquals("flux", tree.at("/metadata/name").asText());
                    assertEquals(release.fluxVersion(), tree.at("/spec/distribution/version").asText());
                    assertTrue(tree.at("/spec/sync/provider").isMissingNode());
                    assertEquals("refs/heads/main", tree.at("/spec/sync/ref").asText());
                    assertEquals("clusters/test", tree.at("/spec/sync/path").asText());
                    checked++;
                }
            }
        }
        assertEquals(FluxRelease.PINNED.size() * 4, checked);
    }

    /**
     * The template prints sync.path and sync.ref unquoted: a value YAML reads as another type would
     * reach Kubernetes retyped. Refs are always "refs/heads/...", and paths with a "/" are safe; a
     * one-word flux_path such as "true" is not, and this check is what catches it.
     */
    @Test
    void aValueTheTemplateWouldRetypeIsCaught() throws IOException {
        load();
        FluxModuleProps props = fluxProps(false, false);
        FluxModuleProps odd = new FluxModuleProps(props.release(), props.clusterName(), props.endpoint(),
                props.certificateAuthority(), props.region(), Optional.empty(), props.repositoryUrl(), "1.0", "true",
                "key", "pub", "gitsync", false, false, false);
        List<String> errors = errors(FluxModule.instanceValues(odd));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("/spec/sync/path"), errors.toString());
        assertEquals("refs/heads/1.0", JSON.valueToTree(FluxInstanceTemplate.render(chartDefaults,
                FluxModule.instanceValues(odd), Manifests.FLUX_NAMESPACE)).at("/spec/sync/ref").asText());
    }

    @Test
    void theCheckRefusesWhatTheApiServerWouldDropOrReject() throws IOException {
        load();
        Map<String, Object> good = FluxModule.instanceValues(fluxProps(true, true));
        assertEquals(List.of(), errors(good));
        List<UnaryOperator<Map<String, Object>>> broken = List.of(
                // a misspelt key in the instance's cluster section (the template copies every key)
                v -> with(v, "instance", "cluster", "networkpolicy", true),
                // a component that does not exist
                v -> with(v, "instance", "components", null, List.of("source-controller", "image-automation")),
                // an interval the CRD's pattern refuses
                v -> with(v, "instance", "sync", "interval", "1 minute"),
                // a kustomize patch without its required "patch"
                v -> with(v, "instance", "kustomize", "patches", List.of(Map.of("target", Map.of("kind", "Deployment")))));
        for (UnaryOperator<Map<String, Object>> change : broken) {
            List<String> errors = errors(change.apply(good));
            assertFalse(errors.isEmpty(), "accepted: " + change.apply(good));
        }
    }

    /** A copy of {@code values} with {@code section.sub.key} set ({@code key} null: {@code section.sub} itself). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> with(Map<String, Object> values, String section, String sub, String key, Object value) {
        Map<String, Object> copy = (Map<String, Object>) FluxInstanceTemplate.coalesce(Map.of(), values);
        Map<String, Object> sectionMap = (Map<String, Object>) copy.get(section);
        if (key == null) {
            sectionMap.put(sub, value);
        } else {
            Map<String, Object> subMap = new LinkedHashMap<>((Map<String, Object>) sectionMap.get(sub));
            subMap.put(key, value);
            sectionMap.put(sub, subMap);
        }
        return copy;
    }
}
