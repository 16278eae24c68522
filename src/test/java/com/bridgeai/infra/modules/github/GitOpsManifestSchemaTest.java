package com.bridgeai.infra.modules.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every object of the GitOps tree (HelmRelease, HelmRepository, Flux Kustomization, Namespace,
 * StorageClass; with RDS the ClusterSecretStore, ExternalSecrets, ServiceAccount, ConfigMap,
 * CronJobs and Job of the apps' database credentials), in every variant the project renders,
 * validated against the Flux CRD schemas ({@code @kubernetes-models/flux-cd}), the External
 * Secrets CRD schemas ({@code @kubernetes-models/external-secrets}, external-secrets.io/v1) and
 * Karpenter's v1 NodePool and EC2NodeClass ({@code @kubernetes-models/karpenter}; the pinned release's own
 * CRDs in {@link KarpenterCrdTest}), the Kubernetes API schemas ({@code kubernetes-models}):
 * maintained npm packages pinned in src/test/node/package-lock.json and installed by the build
 * (src/test/node/install.sh), run through src/test/node/validate-manifests.mjs. Types, required
 * fields, enums and patterns are checked; the CRDs leave unknown fields open, as the API server
 * does without strict field validation. kustomization.yaml files are kustomize's own (not cluster
 * objects) and are checked by {@link GitOpsTreeTest}.
 */
class GitOpsManifestSchemaTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path VALIDATOR = Path.of("src", "test", "node", "validate-manifests.mjs");
    static final String KUSTOMIZE_FILE = "kustomize.config.k8s.io/v1beta1";

    record Result(int exitCode, JsonNode problems) {}

    @Test
    void everyObjectOfEveryVariantValidatesAgainstTheFluxAndKubernetesSchemas() throws Exception {
        ArrayNode input = JSON.createArrayNode();
        TreeSet<String> kinds = new TreeSet<>();
        List<GitOpsSpec> variants = new ArrayList<>(GitOpsTreeTest.karpenterVariants());
        for (String efs : List.of(GitOpsTreeTest.EFS_TOKEN, "")) {
            for (boolean tainted : List.of(true, false)) {
                for (boolean plugin : List.of(true, false)) {
                    for (String db : List.of("", GitOpsTreeTest.DB_TOKEN)) {
                        variants.add(GitOpsTreeTest.spec(efs, tainted, plugin, db));
                    }
                }
            }
        }
        for (GitOpsSpec variant : variants) {
            SortedMap<String, String> tree = GitOpsTree.render(variant);
            for (Map.Entry<String, String> file : tree.entrySet()) {
                if (!file.getKey().endsWith(".yaml")) {
                    continue;
                }
                Map<String, Object> object = yaml(GitOpsTreeTest.resolve(file.getValue()));
                if (KUSTOMIZE_FILE.equals(object.get("apiVersion"))) {
                    continue;
                }
                kinds.add(object.get("apiVersion") + "/" + object.get("kind"));
                ObjectNode entry = input.addObject();
                entry.put("file", file.getKey());
                entry.set("object", JSON.valueToTree(object));
            }
        }
        assertEquals(new TreeSet<>(List.of("helm.toolkit.fluxcd.io/v2/HelmRelease",
                "kustomize.toolkit.fluxcd.io/v1/Kustomization", "source.toolkit.fluxcd.io/v1/HelmRepository",
                "storage.k8s.io/v1/StorageClass", "v1/Namespace", "v1/ServiceAccount", "v1/ConfigMap",
                "batch/v1/CronJob", "batch/v1/Job", "external-secrets.io/v1/ClusterSecretStore",
                "external-secrets.io/v1/ExternalSecret", "source.toolkit.fluxcd.io/v1/OCIRepository",
                "karpenter.sh/v1/NodePool", "karpenter.k8s.aws/v1/EC2NodeClass")), kinds, "every kind of the tree is validated");

        Result result = validate(input);

        assertEquals(JSON.createArrayNode(), result.problems(), "objects the schemas reject");
        assertEquals(0, result.exitCode());
    }

    /** The validator does fail: a wrong type, a missing required field, and a kind it has no schema for. */
    @Test
    void theValidatorRejectsWhatTheSchemasForbid() throws Exception {
        ArrayNode input = JSON.createArrayNode();
        input.addObject().put("file", "interval-number").set("object", JSON.valueToTree(Map.of(
                "apiVersion", "helm.toolkit.fluxcd.io/v2", "kind", "HelmRelease", "metadata", Map.of("name", "x"),
                "spec", Map.of("interval", 5, "chart", Map.of("spec", Map.of("chart", "a",
                        "sourceRef", Map.of("kind", "HelmRepository", "name", "r")))))));
        input.addObject().put("file", "no-url").set("object", JSON.valueToTree(Map.of(
                "apiVersion", "source.toolkit.fluxcd.io/v1", "kind", "HelmRepository", "metadata", Map.of("name", "x"),
                "spec", Map.of("interval", "1h"))));
        input.addObject().put("file", "bad-binding-mode").set("object", JSON.valueToTree(Map.of(
                "apiVersion", "storage.k8s.io/v1", "kind", "StorageClass", "metadata", Map.of("name", "x"),
                "provisioner", "ebs.csi.aws.com", "allowVolumeExpansion", "yes")));
        // External Secrets: a creation policy the CRD's enum does not have, and a store with no provider
        input.addObject().put("file", "bad-creation-policy").set("object", JSON.valueToTree(Map.of(
                "apiVersion", "external-secrets.io/v1", "kind", "ExternalSecret", "metadata", Map.of("name", "x"),
                "spec", Map.of("secretStoreRef", Map.of("kind", "ClusterSecretStore", "name", "s"),
                        "target", Map.of("creationPolicy", "Sometimes")))));
        input.addObject().put("file", "store-without-provider").set("object", JSON.valueToTree(Map.of(
                "apiVersion", "external-secrets.io/v1", "kind", "ClusterSecretStore", "metadata", Map.of("name", "x"),
                "spec", Map.of("conditions", List.of()))));
        // Karpenter: a consolidation policy v1 does not have, a pool without its node class, a volume size
        // the node class's pattern refuses; Flux: an OCIRepository without its url
        input.addObject().put("file", "bad-consolidation").set("object", JSON.valueToTree(Map.of(
                "apiVersion", "karpenter.sh/v1", "kind", "NodePool", "metadata", Map.of("name", "x"),
                "spec", Map.of("template", Map.of("spec", Map.of("requirements", List.of(),
                                "nodeClassRef", Map.of("group", "karpenter.k8s.aws", "kind", "EC2NodeClass", "name", "x"))),
                        "disruption", Map.of("consolidationPolicy", "WhenIdle", "consolidateAfter", "10m")))));
        input.addObject().put("file", "no-node-class").set("object", JSON.valueToTree(Map.of(
                "apiVersion", "karpenter.sh/v1", "kind", "NodePool", "metadata", Map.of("name", "x"),
                "spec", Map.of("template", Map.of("spec", Map.of("requirements", List.of()))))));
        input.addObject().put("file", "bad-volume-size").set("object", JSON.valueToTree(Map.of(
                "apiVersion", "karpenter.k8s.aws/v1", "kind", "EC2NodeClass", "metadata", Map.of("name", "x"),
                "spec", Map.of("role", "r", "amiSelectorTerms", List.of(Map.of("alias", "al2023@v20260714")),
                        "subnetSelectorTerms", List.of(Map.of("tags", Map.of("a", "b"))),
                        "securityGroupSelectorTerms", List.of(Map.of("tags", Map.of("a", "b"))),
                        "blockDeviceMappings", List.of(Map.of("deviceName", "/dev/xvda", "ebs", Map.of("volumeSize", "100GiB")))))));
        input.addObject().put("file", "oci-no-url").set("object", JSON.valueToTree(Map.of(
                "apiVersion", "source.toolkit.fluxcd.io/v1", "kind", "OCIRepository", "metadata", Map.of("name", "x"),
                "spec", Map.of("interval", "1h", "ref", Map.of("tag", "1.0.0")))));
        input.addObject().put("file", "unknown-kind").set("object", JSON.valueToTree(Map.of(
                "apiVersion", "example.com/v1", "kind", "Widget", "metadata", Map.of("name", "x"))));

        Result result = validate(input);

        assertEquals(1, result.exitCode());
        assertEquals(10, result.problems().size(), result.problems()::toString);
        String text = result.problems().toString();
        assertTrue(text.contains("interval must be string"), text);
        assertTrue(text.contains("url"), text);
        assertTrue(text.contains("allowVolumeExpansion"), text);
        assertTrue(text.contains("no schema for example.com/v1/Widget"), text);
        assertTrue(text.contains("creationPolicy"), text);
        assertTrue(text.contains("provider"), text);
        for (String file : List.of("bad-consolidation", "no-node-class", "bad-volume-size", "oci-no-url")) {
            assertTrue(text.contains("\"file\":\"" + file + "\""), file + ": " + text);
        }
        assertTrue(text.contains("consolidationPolicy"), text);
        assertTrue(text.contains("nodeClassRef"), text);
        assertTrue(text.contains("volumeSize"), text);
    }

    static Result validate(JsonNode input) throws IOException, InterruptedException {
        assertTrue(Files.isDirectory(Path.of("src", "test", "node", "node_modules", "@kubernetes-models", "flux-cd")),
                "the validator's packages: bash src/test/node/install.sh (the build runs it)");
        Process p = new ProcessBuilder("node", VALIDATOR.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().write(JSON.writeValueAsBytes(input));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the validator finished");
        return new Result(p.exitValue(), JSON.readTree(out));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }
}
