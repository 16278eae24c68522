package com.bridgeai.infra.modules.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Opt-in (-Dcharts.dir, see chart-keys/README.md): the GPU NodePool and EC2NodeClass of every
 * Karpenter variant, valid against the {@code openAPIV3Schema} of the CRDs of the pinned release
 * (aws/karpenter-provider-aws v1.14.1, {@code pkg/apis/crds/}, which the chart's {@code crds/} link
 * to), closed as {@link FluxInstanceCrdTest} closes the FluxInstance CRD (an unknown field the API
 * server would prune is an error). This is the check of record for the pinned release:
 * {@code @kubernetes-models/karpenter} 2.0.0, which CI always runs, models Karpenter's v1 API but lags
 * 1.14 (no {@code Balanced} consolidation policy, asserted below). The CRDs' CEL rules
 * ({@code x-kubernetes-validations}) are not run by a JSON Schema validator; the ones our objects
 * reach are asserted directly.
 */
class KarpenterCrdTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE_POOLS = "karpenter-nodepools-crd-v1.14.1";
    private static final String NODE_CLASSES = "karpenter-ec2nodeclasses-crd-v1.14.1";

    /** The v1 openAPIV3Schema of a CRD file; skips the test (with where to get it) when the file is absent. */
    static JsonNode v1Schema(String crd) throws IOException {
        Map<String, Object> definition;
        try (InputStream in = Files.newInputStream(ChartFiles.file(crd))) {
            definition = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        for (JsonNode version : JSON.valueToTree(definition).at("/spec/versions")) {
            if ("v1".equals(version.path("name").asText())) {
                return version.at("/schema/openAPIV3Schema");
            }
        }
        throw new AssertionError("no v1 in " + crd);
    }

    static Schema closedSchema(String crd) throws IOException {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
                .getSchema(FluxInstanceCrdTest.closed(v1Schema(crd).deepCopy()));
    }

    static List<String> errors(Schema schema, Object object) {
        List<String> out = new ArrayList<>();
        for (Error error : schema.validate(JSON.valueToTree(object))) {
            out.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return out;
    }

    private static Map<String, Object> object(SortedMap<String, String> tree, String file) {
        return GitOpsTreeTest.parse(GitOpsTreeTest.resolve(tree.get(file)));
    }

    @Test
    void everyRenderedNodePoolAndNodeClassIsValidAgainstThePinnedCrds() throws IOException {
        Schema pools = closedSchema(NODE_POOLS);
        Schema classes = closedSchema(NODE_CLASSES);
        int checked = 0;
        for (GitOpsSpec variant : GitOpsTreeTest.karpenterVariants()) {
            SortedMap<String, String> tree = GitOpsTree.render(variant);
            Map<String, Object> pool = object(tree, "node-pools/gpu/gpu-nodepool.yaml");
            Map<String, Object> nodeClass = object(tree, "node-pools/gpu/gpu-ec2nodeclass.yaml");
            assertEquals(List.of(), errors(pools, pool), variant.gpuNodePool().amiAlias());
            assertEquals(List.of(), errors(classes, nodeClass), variant.gpuNodePool().amiAlias());
            celRulesOurObjectsReach(pool, nodeClass);
            checked++;
        }
        assertEquals(GitOpsTreeTest.karpenterVariants().size(), checked);
    }

    /** The CEL rules of the two CRDs that our values can reach, evaluated here by hand. */
    @SuppressWarnings("unchecked")
    static void celRulesOurObjectsReach(Map<String, Object> pool, Map<String, Object> nodeClass) {
        Map<String, Object> spec = (Map<String, Object>) nodeClass.get("spec");
        // "must specify exactly one of ['role', 'instanceProfile']"
        assertTrue(spec.containsKey("role") && !spec.containsKey("instanceProfile"));
        // the alias: family@version, a family Karpenter knows, and (not a rule, our pin) never latest
        for (Map<String, Object> term : (List<Map<String, Object>>) spec.get("amiSelectorTerms")) {
            String alias = (String) term.get("alias");
            assertTrue(alias.matches("^[a-zA-Z0-9]+@.+$") && alias.length() <= 30, alias);
            assertTrue(List.of("al2", "al2023", "bottlerocket").contains(alias.split("@")[0]), alias);
            assertFalse(alias.endsWith("@latest"), alias);
        }
        // selector terms: not empty, each with tags (or an id)
        for (String terms : List.of("subnetSelectorTerms", "securityGroupSelectorTerms")) {
            List<Map<String, Object>> list = (List<Map<String, Object>>) spec.get(terms);
            assertFalse(list.isEmpty(), terms);
            list.forEach(t -> assertTrue(t.containsKey("tags") && !((Map<?, ?>) t.get("tags")).isEmpty(), terms));
        }
        // restricted tag keys
        for (String key : ((Map<String, Object>) spec.get("tags")).keySet()) {
            assertFalse(key.isEmpty() || key.equals("eks:eks-cluster-name") || key.startsWith("kubernetes.io/cluster")
                    || key.equals("karpenter.sh/nodepool") || key.equals("karpenter.sh/nodeclaim")
                    || key.equals("karpenter.k8s.aws/ec2nodeclass"), key);
        }
        // at most one root volume
        assertTrue(((List<Map<String, Object>>) spec.get("blockDeviceMappings")).stream()
                .filter(m -> Boolean.TRUE.equals(m.get("rootVolume"))).count() <= 1);
        // NodePool labels: not in the restricted domains
        Map<String, Object> labels = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                pool.get("spec")).get("template")).get("metadata")).get("labels");
        for (String label : labels.keySet()) {
            String domain = label.contains("/") ? label.substring(0, label.indexOf('/')) : label;
            assertFalse(domain.endsWith("karpenter.sh") || domain.endsWith("karpenter.k8s.aws")
                    || label.equals("kubernetes.io/hostname"), label);
        }
        // requirements with In have values
        List<Map<String, Object>> requirements = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) pool.get("spec")).get("template")).get("spec")).get("requirements");
        requirements.forEach(r -> assertFalse(((List<?>) r.get("values")).isEmpty(), r.toString()));
    }

    /** The check refuses what the API server would: a misspelt field, a policy outside the enum, a bad size. */
    @Test
    void theCheckRefusesWhatTheApiServerWouldDropOrReject() throws IOException {
        Schema pools = closedSchema(NODE_POOLS);
        Schema classes = closedSchema(NODE_CLASSES);
        SortedMap<String, String> tree = GitOpsTree.render(GitOpsTreeTest.karpenterSpec("", "", GitOpsTreeTest.AL2023_ALIAS, 2));
        String pool = tree.get("node-pools/gpu/gpu-nodepool.yaml");
        String nodeClass = GitOpsTreeTest.resolve(tree.get("node-pools/gpu/gpu-ec2nodeclass.yaml"));
        for (String broken : List.of(pool.replace("consolidateAfter", "consolidateAftr"),
                pool.replace("WhenEmpty", "WhenIdle"), pool.replace("expireAfter: 720h", "expireAfter: 30d"))) {
            assertFalse(errors(pools, GitOpsTreeTest.parse(broken)).isEmpty(), broken);
        }
        for (String broken : List.of(nodeClass.replace("volumeSize: 100Gi", "volumeSize: 100GiB"),
                nodeClass.replace("httpTokens: required", "httpTokens: always"), nodeClass.replace("role:", "rolle:"))) {
            assertFalse(errors(classes, GitOpsTreeTest.parse(broken)).isEmpty(), broken);
        }
        // the pinned release has the "Balanced" policy that @kubernetes-models/karpenter 2.0.0 lacks: the model lags
        assertEquals(List.of(), errors(pools, GitOpsTreeTest.parse(pool.replace("WhenEmpty", "Balanced"))));
        JsonNode policy = v1Schema(NODE_POOLS).at("/properties/spec/properties/disruption/properties/consolidationPolicy/enum");
        assertEquals("[\"WhenEmpty\",\"WhenEmptyOrUnderutilized\",\"Balanced\"]", policy.toString());
    }
}
