package com.bridgeai.infra.modules.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.bridgeai.infra.modules.apps.airflow.Airflow;
import com.bridgeai.infra.modules.apps.AppUnit;
import com.bridgeai.infra.modules.apps.Apps;
import com.bridgeai.infra.modules.apps.mlflow.Mlflow;
import com.bridgeai.infra.modules.apps.nvidia.NvidiaDevicePlugin;
import com.bridgeai.infra.modules.flux.FluxModule;
import com.bridgeai.infra.modules.flux.FluxModuleProps;
import com.bridgeai.infra.modules.flux.FluxOperator;
import com.bridgeai.infra.modules.flux.FluxRelease;
import com.bridgeai.infra.modules.gitops.ChartPin;
import com.bridgeai.infra.modules.gitops.DatabaseAccess;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.GitOpsYaml;
import com.bridgeai.infra.modules.gitops.GpuNodePool;
import com.bridgeai.infra.modules.gitops.GithubKnownHosts;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The GitOps tree as files (pure Java, no jsii): every file parses, objects are complete,
 * references inside the tree resolve, versions are pinned, values key paths are in the checked
 * allowlists of the pinned charts (and, opt-in with the charts' own files, allowed by them), and
 * token-bearing values stay valid YAML once Terraform substitutes them.
 */
class GitOpsTreeTest {
    static final String BUCKET_TOKEN = "${TfToken[TOKEN.101]}";
    static final String ROLE_TOKEN = "${TfToken[TOKEN.102]}";
    static final String EFS_TOKEN = "${TfToken[TOKEN.103]}";
    /** Karpenter's AWS side, tokens of the eks stack: controller role ARN, node role name, interruption queue name. */
    static final String KARPENTER_ROLE_TOKEN = "${TfToken[TOKEN.105]}";
    static final String NODE_ROLE_TOKEN = "${TfToken[TOKEN.106]}";
    static final String QUEUE_TOKEN = "${TfToken[TOKEN.107]}";
    /** What Terraform puts in place of the tokens at apply time. */
    static final Map<String, String> RESOLVED = Map.of(
            BUCKET_TOKEN, "mlops-test-mlflow-artifacts",
            ROLE_TOKEN, "arn:aws:iam::123456789012:role/mlops-test-mlflow",
            EFS_TOKEN, "fs-0123456789abcdef0",
            "${TfToken[TOKEN.104]}", "mlops-prod-apps.abcdefghijkl.eu-west-2.rds.amazonaws.com",
            KARPENTER_ROLE_TOKEN, "arn:aws:iam::123456789012:role/mlops-test-cluster-karpenter",
            NODE_ROLE_TOKEN, "mlops-test-cluster-karpenter-node",
            QUEUE_TOKEN, "mlops-test-cluster-karpenter");
    static final Pattern EXACT_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    static final String DB_TOKEN = "${TfToken[TOKEN.104]}";

    /** The seed's choices: NVIDIA device plugin (AL2 GPU image), the charts' bundled PostgreSQL. */
    static GitOpsSpec spec(String efs, boolean gpuTainted) {
        return spec(efs, gpuTainted, true, "");
    }

    static GitOpsSpec spec(String efs, boolean gpuTainted, boolean devicePlugin, String databaseHost) {
        return new GitOpsSpec("test", "clusters/test", "git@github.com:digicatapult/mlops-test-gitops.git", "main",
                "eu-west-2", BUCKET_TOKEN, ROLE_TOKEN, efs, gpuTainted, devicePlugin,
                databaseHost.isEmpty() ? null : database(databaseHost), null);
    }

    /** The pinned AL2023 NVIDIA alias of the GPU pool (the config's default release) and a Bottlerocket one. */
    static final String AL2023_ALIAS = "al2023@v20260714";
    static final String BOTTLEROCKET_ALIAS = "bottlerocket@v1.52.0";

    /**
     * gpu_capacity: karpenter — the GPU pool (g4dn.xlarge and g5.xlarge on demand, max_size 2 → 2 GPUs)
     * with Karpenter's AWS side as tokens, {@code systemNodes} system nodes; the device plugin with AL2023.
     */
    static GitOpsSpec karpenterSpec(String efs, String databaseHost, String amiAlias, int systemNodes) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("Project", "mlops");
        tags.put("Environment", "test");
        tags.put("Stage", "testing");
        tags.put("ManagedBy", "cdktf");
        GpuNodePool pool = new GpuNodePool("mlops-test-cluster", KARPENTER_ROLE_TOKEN, NODE_ROLE_TOKEN, QUEUE_TOKEN,
                List.of("g4dn.xlarge", "g5.xlarge"), "on-demand", amiAlias, "amd64", 100, "10m", 2,
                amiAlias.startsWith("al2023@"), tags, systemNodes);
        return new GitOpsSpec("test", "clusters/test", "git@github.com:digicatapult/mlops-test-gitops.git", "main",
                "eu-west-2", BUCKET_TOKEN, ROLE_TOKEN, efs, false, pool.nvidiaDevicePlugin(),
                databaseHost.isEmpty() ? null : database(databaseHost), pool);
    }

    /** Every Karpenter variant the tests render: EFS or not, RDS or bundled, AL2023 or Bottlerocket, 1 or 2 system nodes. */
    static List<GitOpsSpec> karpenterVariants() {
        List<GitOpsSpec> out = new ArrayList<>();
        for (String efs : List.of(EFS_TOKEN, "")) {
            for (String db : List.of("", DB_TOKEN)) {
                for (String alias : List.of(AL2023_ALIAS, BOTTLEROCKET_ALIAS)) {
                    for (int systemNodes : List.of(1, 2)) {
                        out.add(karpenterSpec(efs, db, alias, systemNodes));
                    }
                }
            }
        }
        return out;
    }

    /** The env's RDS instance at {@code host}, its credentials' secrets and the two IRSA roles. */
    static DatabaseAccess database(String host) {
        return new DatabaseAccess(host, "arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!db-1-AbCdEf",
                "mlops-test-apps/airflow", "mlops-test-apps/mlflow",
                "arn:aws:iam::123456789012:role/mlops-test-external-secrets",
                "arn:aws:iam::123456789012:role/mlops-test-apps-database-credentials");
    }

    static final SortedMap<String, String> TREE = GitOpsTree.render(spec(EFS_TOKEN, false));

    @Test
    void theTreeHasTheExpectedFiles() {
        Set<String> expected = Set.of(
                "clusters/test/kustomization.yaml", "clusters/test/infrastructure.yaml", "clusters/test/apps.yaml",
                "infrastructure/kustomization.yaml",
                "infrastructure/namespaces/kustomization.yaml", "infrastructure/namespaces/airflow-namespace.yaml",
                "infrastructure/namespaces/mlflow-namespace.yaml",
                "infrastructure/sources/kustomization.yaml", "infrastructure/sources/apache-airflow-helmrepository.yaml",
                "infrastructure/sources/community-charts-helmrepository.yaml",
                "infrastructure/sources/nvidia-helmrepository.yaml",
                "infrastructure/storage/kustomization.yaml", "infrastructure/storage/gp3-storageclass.yaml",
                "infrastructure/storage/efs-ap-storageclass.yaml",
                "infrastructure/gpu/kustomization.yaml", "infrastructure/gpu/nvidia-device-plugin-helmrelease.yaml",
                "apps/kustomization.yaml", "apps/airflow/kustomization.yaml", "apps/airflow/airflow-helmrelease.yaml",
                "apps/mlflow/kustomization.yaml", "apps/mlflow/mlflow-helmrelease.yaml",
                "dags/README.md", "dags/" + Airflow.EXAMPLE_DAG);
        assertEquals(new TreeSet<>(expected), TREE.keySet());
    }

    @Test
    void everyYamlFileParsesAndEveryObjectIsComplete() {
        for (Map.Entry<String, String> file : TREE.entrySet()) {
            if (!file.getKey().endsWith(".yaml")) {
                continue;
            }
            List<Map<String, Object>> docs = parseAll(file.getValue());
            assertFalse(docs.isEmpty(), file.getKey());
            for (Map<String, Object> doc : docs) {
                assertTrue(doc.get("apiVersion") instanceof String, file.getKey() + ": apiVersion");
                assertTrue(doc.get("kind") instanceof String, file.getKey() + ": kind");
                if (file.getKey().endsWith("/kustomization.yaml")) {
                    assertEquals("kustomize.config.k8s.io/v1beta1", doc.get("apiVersion"), file.getKey());
                    List<?> resources = assertInstanceOf(List.class, doc.get("resources"), file.getKey());
                    assertFalse(resources.isEmpty(), file.getKey());
                } else {
                    Map<?, ?> metadata = assertInstanceOf(Map.class, doc.get("metadata"), file.getKey());
                    assertTrue(metadata.get("name") instanceof String s && !s.isEmpty(), file.getKey() + ": metadata.name");
                }
            }
        }
    }

    @Test
    void everyKustomizationResourceExistsInTheTree() {
        for (Map.Entry<String, String> file : TREE.entrySet()) {
            if (!file.getKey().endsWith("/kustomization.yaml")) {
                continue;
            }
            String dir = file.getKey().substring(0, file.getKey().lastIndexOf('/') + 1);
            for (Object resource : (List<?>) parse(file.getValue()).get("resources")) {
                String target = dir + resource;
                assertTrue(TREE.containsKey(target) || TREE.containsKey(target + "/kustomization.yaml"),
                        file.getKey() + " lists " + resource + ", which is neither a file nor a folder with a kustomization.yaml");
            }
        }
        // and every object file is listed by its folder's kustomization.yaml (else Flux never applies it)
        for (String path : TREE.keySet()) {
            if (path.endsWith(".yaml") && !path.endsWith("kustomization.yaml")) {
                String dir = path.substring(0, path.lastIndexOf('/') + 1);
                List<?> listed = (List<?>) parse(TREE.get(dir + "kustomization.yaml")).get("resources");
                assertTrue(listed.contains(path.substring(dir.length())), path + " is not in " + dir + "kustomization.yaml");
            }
        }
    }

    @Test
    void fluxKustomizationsApplyInfrastructureBeforeApps() {
        Map<String, Object> infra = parse(TREE.get("clusters/test/infrastructure.yaml"));
        Map<String, Object> apps = parse(TREE.get("clusters/test/apps.yaml"));
        for (Map<String, Object> k : List.of(infra, apps)) {
            assertEquals("kustomize.toolkit.fluxcd.io/v1", k.get("apiVersion"));
            assertEquals("Kustomization", k.get("kind"));
            assertEquals("flux-system", path(k, "metadata.namespace"));
            assertEquals(true, path(k, "spec.prune"));
            assertEquals(true, path(k, "spec.wait"));
            assertEquals(Map.of("kind", "GitRepository", "name", "flux-system"), path(k, "spec.sourceRef"));
            assertNotNull(path(k, "spec.interval"));
            String folder = ((String) path(k, "spec.path")).substring(2);
            assertTrue(TREE.containsKey(folder + "/kustomization.yaml"), "Kustomization path " + folder);
        }
        assertEquals("./infrastructure", path(infra, "spec.path"));
        assertEquals("./apps", path(apps, "spec.path"));
        assertEquals(List.of(Map.of("name", "infrastructure")), path(apps, "spec.dependsOn"));
    }

    @Test
    void helmReleasesArePinnedAndTheirSourcesExist() {
        Set<String> repositories = new HashSet<>();
        List<Map<String, Object>> releases = new ArrayList<>();
        for (Map.Entry<String, String> file : TREE.entrySet()) {
            if (!file.getKey().endsWith(".yaml")) {
                continue;
            }
            Map<String, Object> doc = parse(file.getValue());
            if ("HelmRepository".equals(doc.get("kind"))) {
                Map<String, Object> repo = doc;
                assertEquals("source.toolkit.fluxcd.io/v1", repo.get("apiVersion"));
                assertTrue(((String) path(repo, "spec.url")).startsWith("https://"));
                repositories.add(path(repo, "metadata.namespace") + "/" + path(repo, "metadata.name"));
            } else if ("HelmRelease".equals(doc.get("kind"))) {
                releases.add(doc);
            }
        }
        assertEquals(3, releases.size());
        Map<String, String> versions = new java.util.HashMap<>();
        for (Map<String, Object> release : releases) {
            assertEquals("helm.toolkit.fluxcd.io/v2", release.get("apiVersion"));
            String version = (String) path(release, "spec.chart.spec.version");
            assertTrue(EXACT_VERSION.matcher(version).matches(), "not an exact version: " + version);
            Map<?, ?> source = (Map<?, ?>) path(release, "spec.chart.spec.sourceRef");
            assertEquals("HelmRepository", source.get("kind"));
            assertTrue(repositories.contains(source.get("namespace") + "/" + source.get("name")), source.toString());
            assertEquals(3, path(release, "spec.install.remediation.retries"));
            versions.put((String) path(release, "spec.chart.spec.chart"), version);
        }
        assertEquals(Map.of("airflow", "1.19.0", "mlflow", "1.11.5", "nvidia-device-plugin", "0.20.0"), versions);
        assertThrows(IllegalArgumentException.class, () -> new ChartPin("x", "1.x", "r", "https://r"));
        assertThrows(IllegalArgumentException.class, () -> new ChartPin("x", ">=1.0.0", "r", "https://r"));
    }

    @Test
    void storageClassesForEbsAndEfs() {
        Map<String, Object> gp3 = parse(TREE.get("infrastructure/storage/gp3-storageclass.yaml"));
        assertEquals("ebs.csi.aws.com", gp3.get("provisioner"));
        assertEquals(Map.of("type", "gp3", "encrypted", "true", "fsType", "ext4"), gp3.get("parameters"));
        assertEquals("WaitForFirstConsumer", gp3.get("volumeBindingMode"));
        assertEquals("true", path(gp3, "metadata.annotations.storageclass\\.kubernetes\\.io/is-default-class"));
        Map<String, Object> efs = parse(resolve(TREE.get("infrastructure/storage/efs-ap-storageclass.yaml")));
        assertEquals("efs.csi.aws.com", efs.get("provisioner"));
        assertEquals("efs-ap", path(efs, "parameters.provisioningMode"));
        assertEquals("fs-0123456789abcdef0", path(efs, "parameters.fileSystemId"));

        SortedMap<String, String> noEfs = GitOpsTree.render(spec("", false));
        assertFalse(noEfs.containsKey("infrastructure/storage/efs-ap-storageclass.yaml"));
        assertEquals(List.of("gp3-storageclass.yaml"), parse(noEfs.get("infrastructure/storage/kustomization.yaml")).get("resources"));
        // Airflow's task logs need RWX: without EFS they are not persisted
        assertEquals(Map.of("enabled", false),
                path(parse(noEfs.get("apps/airflow/airflow-helmrelease.yaml")), "spec.values.logs.persistence"));
    }

    @Test
    void tokensAreQuotedAndTheResolvedFilesAreValidYaml() {
        String mlflow = TREE.get("apps/mlflow/mlflow-helmrelease.yaml");
        assertTrue(mlflow.contains("\"" + ROLE_TOKEN + "\""), mlflow);
        assertTrue(mlflow.contains("\"" + BUCKET_TOKEN + "\""), mlflow);
        for (Map.Entry<String, String> file : TREE.entrySet()) {
            String resolved = resolve(file.getValue());
            assertFalse(resolved.contains("${"), file.getKey());
            if (file.getKey().endsWith(".yaml")) {
                parseAll(resolved);
            }
        }
        Map<String, Object> values = (Map<String, Object>) path(parse(resolve(mlflow)), "spec.values");
        assertEquals("arn:aws:iam::123456789012:role/mlops-test-mlflow",
                path(values, "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"));
        assertEquals("mlflow", path(values, "serviceAccount.name"));
        assertEquals("mlops-test-mlflow-artifacts", path(values, "artifactRoot.s3.bucket"));
        assertEquals(true, path(values, "artifactRoot.proxiedArtifactStorage"));
        assertEquals("gp3", path(values, "postgresql.primary.persistence.storageClass"));
    }

    @Test
    void terraformTemplateSyntaxOutsideTokensIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> GitOpsYaml.dump(Map.of("a", "${var.x}")));
        assertThrows(IllegalArgumentException.class, () -> GitOpsYaml.dump(Map.of("a", "%{ if true }x%{ endif }")));
        assertEquals("a: \"${TfToken[TOKEN.7]}-suffix\"\n", GitOpsYaml.dump(Map.of("a", "${TfToken[TOKEN.7]}-suffix")));
        // shared values are written out, not as YAML anchors/aliases
        List<Object> shared = List.of(Map.of("k", "v"));
        assertEquals("a:\n  - k: v\nb:\n  - k: v\n", GitOpsYaml.dump(GitOpsYaml.map("a", shared, "b", shared)));
        for (String content : TREE.values()) {
            assertFalse(content.matches("(?s).*[&*]id\\d+.*"), content);
        }
        // strings YAML would read as another type stay strings
        assertEquals("v: '1.30'\n", GitOpsYaml.dump(Map.of("v", "1.30")));
        assertEquals("v: 'true'\n", GitOpsYaml.dump(Map.of("v", "true")));
    }

    @Test
    void airflowUsesKubernetesExecutorAndGitSyncWithPinnedHostKeys() {
        Map<String, Object> airflow = parse(TREE.get("apps/airflow/airflow-helmrelease.yaml"));
        assertEquals("airflow", path(airflow, "metadata.namespace"));
        Map<String, Object> values = (Map<String, Object>) path(airflow, "spec.values");
        assertEquals("KubernetesExecutor", values.get("executor"));
        assertEquals(false, path(values, "redis.enabled"));
        assertEquals(false, path(values, "migrateDatabaseJob.useHelmHooks"));
        assertEquals(false, path(values, "createUserJob.useHelmHooks"));
        assertEquals(true, path(values, "dags.gitSync.enabled"));
        assertEquals("git@github.com:digicatapult/mlops-test-gitops.git", path(values, "dags.gitSync.repo"));
        assertEquals("main", path(values, "dags.gitSync.branch"));
        assertEquals("dags", path(values, "dags.gitSync.subPath"));
        assertEquals(Airflow.GIT_SYNC_SECRET, path(values, "dags.gitSync.sshKeySecret"));
        assertEquals(GithubKnownHosts.file(), path(values, "dags.gitSync.knownHosts"));
        assertEquals("efs-ap", path(values, "logs.persistence.storageClassName"));
        assertEquals("gp3", path(values, "triggerer.persistence.storageClassName"));
        for (String component : List.of("scheduler", "apiServer", "dagProcessor", "triggerer", "workers")) {
            assertNotNull(path(values, component + ".resources.requests.cpu"), component);
            assertNotNull(path(values, component + ".resources.requests.memory"), component);
        }
        assertEquals(List.of(Map.of("name", "MLFLOW_TRACKING_URI", "value", Mlflow.URL)), values.get("env"));
    }

    @Test
    void theDevicePluginRunsOnTheLabelledGpuNodes() {
        Map<String, Object> plugin = parse(TREE.get("infrastructure/gpu/nvidia-device-plugin-helmrelease.yaml"));
        assertEquals("kube-system", path(plugin, "metadata.namespace"));
        assertEquals(List.of(Map.of("matchExpressions", List.of(Map.of(
                        "key", "nvidia.com/gpu.present", "operator", "In", "values", List.of("true"))))),
                path(plugin, "spec.values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"));
    }

    /** AL2/AL2023 GPU images need the plugin; Bottlerocket NVIDIA runs its own; a CPU image needs none. */
    @Test
    void theDevicePluginAndItsSourceOnlyWhereTheImageLacksOne() {
        SortedMap<String, String> without = GitOpsTree.render(spec(EFS_TOKEN, false, false, ""));
        assertFalse(without.keySet().stream().anyMatch(f -> f.startsWith("infrastructure/gpu/")), without.keySet()::toString);
        assertFalse(without.containsKey("infrastructure/sources/nvidia-helmrepository.yaml"));
        assertEquals(List.of("namespaces", "sources", "storage"),
                parse(without.get("infrastructure/kustomization.yaml")).get("resources"));
        assertFalse(without.values().stream().anyMatch(text -> text.contains("nvidia-device-plugin")));
        assertTrue(TREE.containsKey("infrastructure/gpu/nvidia-device-plugin-helmrelease.yaml"));
        assertEquals(List.of("namespaces", "sources", "storage", "gpu"),
                parse(TREE.get("infrastructure/kustomization.yaml")).get("resources"));
    }

    /** apps_database: rds — both charts read their own logins from the secrets External Secrets keeps, no bundled PostgreSQL. */
    @Test
    void withRdsBothChartsUseTheDatabaseSecretsAndNoBundledPostgres() {
        SortedMap<String, String> tree = GitOpsTree.render(spec(EFS_TOKEN, false, true, DB_TOKEN));
        Map<String, Object> airflow = (Map<String, Object>) path(parse(resolve(tree.get("apps/airflow/airflow-helmrelease.yaml"))), "spec.values");
        assertEquals(Map.of("metadataSecretName", "airflow-database"), airflow.get("data"));
        assertEquals(Map.of("enabled", false), airflow.get("postgresql"));
        Map<String, Object> mlflow = (Map<String, Object>) path(parse(resolve(tree.get("apps/mlflow/mlflow-helmrelease.yaml"))), "spec.values");
        assertEquals(Map.of("enabled", false), mlflow.get("postgresql"));
        assertEquals(Map.of("enabled", true, "host", RESOLVED.get(DB_TOKEN), "port", 5432, "database", "mlflow",
                "driver", "psycopg2"), path(mlflow, "backendStore.postgres"));
        assertEquals(Map.of("name", "mlflow-database-login", "usernameKey", "username", "passwordKey", "password"),
                path(mlflow, "backendStore.existingDatabaseSecret"));
        assertEquals(false, path(mlflow, "backendStore.databaseMigration"));
        assertNull(mlflow.get("global"), "no insecure-image exception without the bundled PostgreSQL");
        assertNull(mlflow.get("initContainers"), "the credentials job creates MLflow's database, not an init container");
        assertFalse(tree.values().stream().anyMatch(text -> text.contains("bitnamilegacy")), "no Bitnami image with rds");
        // bundled keeps the charts' own PostgreSQL
        assertEquals(true, path((Map<String, Object>) path(parse(resolve(TREE.get("apps/mlflow/mlflow-helmrelease.yaml"))),
                "spec.values"), "postgresql.enabled"));
    }

    @Test
    void gpuTaintAddsTolerationsEverywhere() {
        Map<String, Object> toleration = Map.of("key", "nvidia.com/gpu", "operator", "Exists", "effect", "NoSchedule");
        SortedMap<String, String> tainted = GitOpsTree.render(spec(EFS_TOKEN, true));
        Map<String, Object> airflow = (Map<String, Object>) path(parse(tainted.get("apps/airflow/airflow-helmrelease.yaml")), "spec.values");
        Map<String, Object> mlflow = (Map<String, Object>) path(parse(resolve(tainted.get("apps/mlflow/mlflow-helmrelease.yaml"))), "spec.values");
        assertEquals(List.of(toleration), airflow.get("tolerations"));
        assertEquals(List.of(toleration), path(airflow, "postgresql.primary.tolerations"));
        assertEquals(List.of(toleration), mlflow.get("tolerations"));
        assertEquals(List.of(toleration), path(mlflow, "postgresql.primary.tolerations"));
        // Flux's own pods: FluxModuleTest (modules/flux). Untainted: no toleration anywhere
        assertEquals(List.of(), ((Map<String, Object>) path(parse(TREE.get("apps/airflow/airflow-helmrelease.yaml")), "spec.values")).get("tolerations"));
    }

    @Test
    void mlflowValuesKeysExistInTheChartSchema() throws IOException {
        List<String> problems = new ArrayList<>();
        for (GitOpsSpec variant : List.of(spec(EFS_TOKEN, true), karpenterSpec(EFS_TOKEN, "", AL2023_ALIAS, 2),
                karpenterSpec(EFS_TOKEN, DB_TOKEN, AL2023_ALIAS, 2))) {
            checkAgainstSchema(Mlflow.values(variant), chartSchema("mlflow-1.11.5"), "", problems);
        }
        assertEquals(List.of(), problems, "values the mlflow 1.11.5 chart schema rejects");
    }

    @Test
    void airflowValuesKeysAndTypesAreAllowedByTheChartSchema() throws IOException {
        JsonNode schema = chartSchema("airflow-1.19.0");
        // the file is chart 1.19.0's: its defaults are Airflow 3.1.7 (Chart.yaml appVersion)
        assertEquals("3.1.7", schema.at("/properties/airflowVersion/default").asText());
        assertEquals("3.1.7", schema.at("/properties/defaultAirflowTag/default").asText());
        // every variant of the values, as the rendered HelmRelease hands them to Helm
        for (GitOpsSpec variant : List.of(spec(EFS_TOKEN, false), spec(EFS_TOKEN, true), spec("", false), spec("", true),
                spec(EFS_TOKEN, true, true, DB_TOKEN), karpenterSpec(EFS_TOKEN, "", AL2023_ALIAS, 2),
                karpenterSpec("", DB_TOKEN, AL2023_ALIAS, 2))) {
            Map<String, Object> values = (Map<String, Object>) path(
                    parse(resolve(GitOpsTree.render(variant).get("apps/airflow/airflow-helmrelease.yaml"))), "spec.values");
            List<String> problems = new ArrayList<>();
            checkAgainstSchema(values, schema, "", problems);
            assertEquals(List.of(), problems, "values the airflow 1.19.0 chart schema rejects (efs " + variant.hasEfs()
                    + ", tainted " + variant.tolerateGpuTaint() + ")");
        }
        // and the check does catch what Helm would refuse: a misspelt key, a string for an integer
        List<String> problems = new ArrayList<>();
        checkAgainstSchema(Map.of("dags", Map.of("gitSync", Map.of("sshKeySecrets", "x", "depth", "1"))), schema, "", problems);
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void devicePluginValuesKeysExistInTheChartValues() throws IOException {
        Map<String, Object> values = (Map<String, Object>) path(
                parse(TREE.get("infrastructure/gpu/nvidia-device-plugin-helmrelease.yaml")), "spec.values");
        List<String> unknown = new ArrayList<>();
        checkAgainstValues(values, chartValues("nvidia-device-plugin-0.20.0"), "", unknown);
        assertEquals(List.of(), unknown, "keys the nvidia-device-plugin 0.20.0 chart does not have");
        assertFalse(values.isEmpty());
    }

    /** Opt-in: the values we hand the operator and instance charts, in full, against their values.schema.json. */
    @Test
    void fluxOperatorAndInstanceValuesAreAllowedByTheChartSchemas() throws IOException {
        JsonNode operator = chartSchema(FLUX_OPERATOR + "-schema");
        JsonNode instance = chartSchema(FLUX_INSTANCE + "-schema");
        for (FluxRelease release : FluxRelease.PINNED) {
            for (boolean imageAutomation : List.of(true, false)) {
                // tainted node group, untainted node group, the system node group (gpu_capacity: karpenter)
                for (boolean[] placement : List.of(new boolean[] {true, false}, new boolean[] {false, false},
                        new boolean[] {false, true})) {
                    boolean tainted = placement[0];
                    FluxModuleProps props = fluxProps(release, imageAutomation, tainted, placement[1]);
                    List<String> problems = new ArrayList<>();
                    checkAgainstSchema(FluxModule.operatorValues(props), operator, "flux-operator: ", problems);
                    checkAgainstSchema(FluxModule.instanceValues(props), instance, "flux-instance: ", problems);
                    assertEquals(List.of(), problems, "Flux " + release.fluxVersion() + ", image automation "
                            + imageAutomation + ", tainted " + tainted);
                }
            }
        }
        // and the check does refuse what the schemas rule out: a component that does not exist, a cluster type
        List<String> problems = new ArrayList<>();
        checkAgainstSchema(Map.of("instance", Map.of("components", List.of("image-automation"),
                "cluster", Map.of("type", "eks"))), instance, "", problems);
        assertEquals(2, problems.size(), problems.toString());
    }

    /**
     * Every values map the project hands each pinned chart (chart-version → all rendered variants:
     * with and without EFS, GPU taint, image automation).
     */
    static Map<String, List<Object>> valuesByChart() {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        for (boolean efs : List.of(true, false)) {
            for (boolean tainted : List.of(true, false)) {
                for (String db : List.of("", DB_TOKEN)) {
                    SortedMap<String, String> tree = GitOpsTree.render(spec(efs ? EFS_TOKEN : "", tainted, true, db));
                    // every app unit's HelmRelease the variant renders (enabled units only)
                    addValues(tree, out);
                }
            }
        }
        for (GitOpsSpec karpenter : karpenterVariants()) {
            addValues(GitOpsTree.render(karpenter), out);
        }
        for (FluxRelease release : FluxRelease.PINNED) {
            for (boolean imageAutomation : List.of(true, false)) {
                for (boolean tainted : List.of(true, false)) {
                    FluxModuleProps props = fluxProps(release, imageAutomation, tainted);
                    out.computeIfAbsent(FLUX_OPERATOR, k -> new ArrayList<>()).add(FluxModule.operatorValues(props));
                    out.computeIfAbsent(FLUX_INSTANCE, k -> new ArrayList<>()).add(FluxModule.instanceValues(props));
                }
                // gpu_capacity: karpenter: on the system node group, no toleration
                FluxModuleProps system = fluxProps(release, imageAutomation, false, true);
                out.computeIfAbsent(FLUX_OPERATOR, k -> new ArrayList<>()).add(FluxModule.operatorValues(system));
                out.computeIfAbsent(FLUX_INSTANCE, k -> new ArrayList<>()).add(FluxModule.instanceValues(system));
            }
        }
        return out;
    }

    /** Every app unit's HelmRelease values the tree renders (enabled units only), by chart-version. */
    static void addValues(SortedMap<String, String> tree, Map<String, List<Object>> out) {
        for (AppUnit app : Apps.ALL) {
            String file = app.placement().root() + "/" + app.placement().folder() + "/" + app.name() + "-helmrelease.yaml";
            if (tree.containsKey(file)) {
                out.computeIfAbsent(app.chart().chart() + "-" + app.chart().version(), k -> new ArrayList<>())
                        .add(path(parse(resolve(tree.get(file))), "spec.values"));
            }
        }
    }

    static List<String> charts() {
        return List.copyOf(valuesByChart().keySet());
    }

    /**
     * CI guard, no chart files needed: every key path our values set is in the chart's allowlist
     * (chart-keys/&lt;chart&gt;-&lt;version&gt;.txt), whose entries were each checked against the chart.
     * A new or misspelt key fails here until someone checks it in the chart's own values file and
     * adds it (then {@link #everyAllowlistedKeyPathIsInTheChartFile} verifies it, with -Dcharts.dir).
     * A key no longer set must leave the allowlist too, so the allowlist stays exactly what we set.
     */
    @Test
    void everyValuesKeyPathIsInTheChartsCheckedAllowlist() throws Exception {
        Map<String, List<Object>> byChart = valuesByChart();
        assertEquals(8, byChart.size(), byChart.keySet().toString());
        for (Map.Entry<String, List<Object>> chart : byChart.entrySet()) {
            String file = "src/test/resources/chart-keys/" + chart.getKey() + ".txt";
            ChartFiles.Source source = ChartFiles.source(chart.getKey());
            Set<String> allowlist = ChartKeys.allowlist(chart.getKey());
            assertNotNull(allowlist, "no allowlist " + file + ": check the key paths against " + source.describe());
            Set<String> set = new TreeSet<>();
            chart.getValue().forEach(values -> set.addAll(ChartKeys.paths(values)));
            Set<String> unchecked = new TreeSet<>(set);
            unchecked.removeAll(allowlist);
            assertEquals(Set.of(), unchecked, "key paths our values set for " + chart.getKey() + " that " + file
                    + " does not list: check them in " + source.describe() + " (a misspelt key is silently ignored by Helm),"
                    + " add them, and run the opt-in check (-D" + ChartFiles.PROPERTY + ")");
            Set<String> stale = new TreeSet<>(allowlist);
            stale.removeAll(set);
            assertEquals(Set.of(), stale, "key paths in " + file + " that our values no longer set: remove them");
        }
        // no allowlist for a chart version we no longer pin
        try (Stream<Path> files = Files.list(
                Path.of(GitOpsTreeTest.class.getResource("/chart-keys").toURI()))) {
            Set<String> listed = new TreeSet<>();
            files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".txt"))
                    .forEach(f -> listed.add(f.substring(0, f.length() - 4)));
            assertEquals(new TreeSet<>(byChart.keySet()), listed, "allowlists in src/test/resources/chart-keys/");
        }
    }

    /** Opt-in (-Dcharts.dir): every allowlist entry is a key path the chart's own values file allows. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void everyAllowlistedKeyPathIsInTheChartFile(String chart) throws IOException {
        ChartFiles.Source source = ChartFiles.source(chart);
        SortedSet<String> allowlist = ChartKeys.allowlist(chart);
        assertNotNull(allowlist, chart);
        Predicate<List<String>> allowed;
        if (source.isSchema()) {
            JsonNode schema = ChartFiles.schema(chart);
            allowed = steps -> ValuesSchema.allowsKeyPath(schema, steps);
        } else {
            Map<String, Object> defaults = ChartFiles.values(chart);
            allowed = steps -> ChartKeys.inValues(defaults, steps);
        }
        List<String> refused = new ArrayList<>();
        int misspeltRefused = 0;
        for (String key : allowlist) {
            List<String> steps = ChartKeys.steps(key);
            if (!allowed.test(steps)) {
                refused.add(key);
            }
            // the same path with one key misspelt
            for (int i = 0; i < steps.size(); i++) {
                if (!ChartKeys.ITEMS.equals(steps.get(i))) {
                    List<String> misspelt = new ArrayList<>(steps);
                    misspelt.set(i, steps.get(i) + "x");
                    misspeltRefused += allowed.test(misspelt) ? 0 : 1;
                }
            }
        }
        assertEquals(List.of(), refused, "chart-keys/" + chart + ".txt entries that " + source.file() + " does not allow");
        assertTrue(misspeltRefused > 0, "the check refuses no misspelt key of " + chart + ": is " + source.file() + " the chart's file?");
    }

    /** The allowlist / chart-file names of the operator's two charts. */
    static final String FLUX_OPERATOR = FluxOperator.OPERATOR_CHART.chart() + "-" + FluxOperator.OPERATOR_CHART.version();
    static final String FLUX_INSTANCE = FluxOperator.INSTANCE_CHART.chart() + "-" + FluxOperator.INSTANCE_CHART.version();

    static FluxModuleProps fluxProps(boolean imageAutomation, boolean gpuTainted) {
        return fluxProps(FluxRelease.PINNED.get(0), imageAutomation, gpuTainted);
    }

    static FluxModuleProps fluxProps(FluxRelease release, boolean imageAutomation, boolean gpuTainted) {
        return fluxProps(release, imageAutomation, gpuTainted, false);
    }

    static FluxModuleProps fluxProps(FluxRelease release, boolean imageAutomation, boolean gpuTainted, boolean systemNodeGroup) {
        return new FluxModuleProps(release, "mlops-test-cluster", "https://example.eks.amazonaws.com", "Q0E=", "eu-west-2",
                Optional.of("digicat-mlops"), "ssh://git@github.com/digicatapult/mlops-test-gitops.git", "main",
                "clusters/test", "key", "pub", "gitsync", imageAutomation, gpuTainted, systemNodeGroup);
    }

    /**
     * Every key path of {@code values} must be allowed by the chart's JSON schema, and every value
     * it sets must have the type (enum, pattern, ...) the schema asks for: see {@link ValuesSchema}.
     */
    static void checkAgainstSchema(Object values, JsonNode schema, String at, List<String> problems) {
        for (String problem : ValuesSchema.problems(values, schema)) {
            problems.add(at + problem);
        }
    }

    /** The chart's values.schema.json from the charts folder; skips the test when it is not there (see {@link ChartFiles}). */
    static JsonNode chartSchema(String name) throws IOException {
        return ChartFiles.schema(name);
    }

    /** Every key path of {@code values} must exist in the chart's values.yaml, down to free-form maps ({}). */
    static void checkAgainstValues(Object values, Object chart, String at, List<String> unknown) {
        if (!(values instanceof Map<?, ?> map) || !(chart instanceof Map<?, ?> defaults) || defaults.isEmpty()) {
            return;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!defaults.containsKey(e.getKey())) {
                unknown.add(at + e.getKey());
            } else {
                checkAgainstValues(e.getValue(), defaults.get(e.getKey()), at + e.getKey() + ".", unknown);
            }
        }
    }

    /** The chart's values.yaml from the charts folder; skips the test when it is not there (see {@link ChartFiles}). */
    static Map<String, Object> chartValues(String name) throws IOException {
        return ChartFiles.values(name);
    }

    static String resolve(String text) {
        for (Map.Entry<String, String> e : RESOLVED.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        return text;
    }

    static Map<String, Object> parse(String text) {
        List<Map<String, Object>> docs = parseAll(text);
        assertEquals(1, docs.size(), text);
        return docs.get(0);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parseAll(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        try {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
                docs.add(assertInstanceOf(Map.class, doc, text));
            }
        } catch (RuntimeException e) {
            fail("not valid YAML: " + e.getMessage() + "\n" + text);
        }
        return docs;
    }

    /** A dotted path into nested maps; {@code \.} escapes a dot inside a key. */
    static Object path(Map<String, Object> root, String dotted) {
        Object node = root;
        for (String key : dotted.split("(?<!\\\\)\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key.replace("\\.", "."));
        }
        return node;
    }
}
