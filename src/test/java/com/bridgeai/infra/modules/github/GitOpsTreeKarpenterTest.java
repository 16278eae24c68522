package com.bridgeai.infra.modules.github;

import static com.bridgeai.infra.modules.github.GitOpsTreeTest.AL2023_ALIAS;
import static com.bridgeai.infra.modules.github.GitOpsTreeTest.BOTTLEROCKET_ALIAS;
import static com.bridgeai.infra.modules.github.GitOpsTreeTest.DB_TOKEN;
import static com.bridgeai.infra.modules.github.GitOpsTreeTest.EFS_TOKEN;
import static com.bridgeai.infra.modules.github.GitOpsTreeTest.karpenterSpec;
import static com.bridgeai.infra.modules.github.GitOpsTreeTest.karpenterVariants;
import static com.bridgeai.infra.modules.github.GitOpsTreeTest.parse;
import static com.bridgeai.infra.modules.github.GitOpsTreeTest.parseAll;
import static com.bridgeai.infra.modules.github.GitOpsTreeTest.path;
import static com.bridgeai.infra.modules.github.GitOpsTreeTest.resolve;
import static com.bridgeai.infra.modules.github.GitOpsTreeTest.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.apps.karpenter.Karpenter;
import com.bridgeai.infra.modules.flux.FluxModule;
import com.bridgeai.infra.modules.flux.FluxRelease;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.GpuNodePool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The GitOps tree with {@code gpu_capacity: karpenter}: Karpenter from its OCI chart with its CRDs,
 * the GPU EC2NodeClass and NodePool in their own Kustomization after the infrastructure, and every
 * system workload on the system node group — while a {@code node_group} tree gains nothing (the
 * node_group envs' snapshots prove the bytes).
 */
@SuppressWarnings("unchecked")
class GitOpsTreeKarpenterTest {
    static final SortedMap<String, String> NODE_GROUP = GitOpsTree.render(spec(EFS_TOKEN, false, true, DB_TOKEN));
    static final SortedMap<String, String> TREE = GitOpsTree.render(karpenterSpec(EFS_TOKEN, DB_TOKEN, AL2023_ALIAS, 2));
    static final Map<String, String> SYSTEM = Map.of("bridgeai.io/node-group", "system");

    private static Map<String, Object> object(SortedMap<String, String> tree, String file) {
        String text = tree.get(file);
        assertTrue(text != null, file + " not in " + tree.keySet());
        return parse(resolve(text));
    }

    private static Map<String, Object> values(SortedMap<String, String> tree, String file) {
        return (Map<String, Object>) path(object(tree, file), "spec.values");
    }

    @Test
    void karpenterAddsItsSourceReleaseAndTheNodePoolsAndChangesNoOtherFileName() {
        Set<String> added = new TreeSet<>(TREE.keySet());
        added.removeAll(NODE_GROUP.keySet());
        assertEquals(new TreeSet<>(List.of(
                "clusters/test/node-pools.yaml",
                "infrastructure/sources/karpenter-ocirepository.yaml",
                "infrastructure/karpenter/kustomization.yaml", "infrastructure/karpenter/karpenter-helmrelease.yaml",
                "node-pools/kustomization.yaml", "node-pools/gpu/kustomization.yaml",
                "node-pools/gpu/gpu-ec2nodeclass.yaml", "node-pools/gpu/gpu-nodepool.yaml")), added);
        Set<String> removed = new TreeSet<>(NODE_GROUP.keySet());
        removed.removeAll(TREE.keySet());
        assertEquals(Set.of(), removed);
        // a node_group tree has nothing of Karpenter, nor any node selector of ours (the DAGs folder is
        // the users': its example explains both modes in prose)
        for (Map.Entry<String, String> file : NODE_GROUP.entrySet()) {
            if (file.getKey().startsWith("dags/")) {
                continue;
            }
            assertFalse(file.getValue().toLowerCase().contains("karpenter"), file.getKey());
            assertFalse(file.getValue().contains("bridgeai.io/node-group"), file.getKey());
        }
    }

    @Test
    void everyFileParsesEveryResourceIsListedAndTokensResolve() {
        for (GitOpsSpec variant : karpenterVariants()) {
            SortedMap<String, String> tree = GitOpsTree.render(variant);
            for (Map.Entry<String, String> file : tree.entrySet()) {
                String resolved = resolve(file.getValue());
                assertFalse(resolved.contains("${"), file.getKey());
                if (!file.getKey().endsWith(".yaml")) {
                    continue;
                }
                parseAll(resolved);
                String dir = file.getKey().substring(0, file.getKey().lastIndexOf('/') + 1);
                if (file.getKey().endsWith("/kustomization.yaml")) {
                    for (Object resource : (List<?>) parse(file.getValue()).get("resources")) {
                        assertTrue(tree.containsKey(dir + resource) || tree.containsKey(dir + resource + "/kustomization.yaml"),
                                file.getKey() + " lists " + resource);
                    }
                } else {
                    List<?> listed = (List<?>) parse(tree.get(dir + "kustomization.yaml")).get("resources");
                    assertTrue(listed.contains(file.getKey().substring(dir.length())), file.getKey() + " is not listed");
                }
            }
        }
    }

    /** infrastructure (with Karpenter and its CRDs) → node-pools; the apps wait for the infrastructure only. */
    @Test
    void theNodePoolsApplyAfterTheInfrastructureAndTheAppsDoNotWaitForThem() {
        assertEquals(List.of("infrastructure.yaml", "apps.yaml", "node-pools.yaml"),
                object(TREE, "clusters/test/kustomization.yaml").get("resources"));
        assertEquals(List.of("infrastructure.yaml", "apps.yaml"),
                object(NODE_GROUP, "clusters/test/kustomization.yaml").get("resources"));
        Map<String, Object> pools = object(TREE, "clusters/test/node-pools.yaml");
        assertEquals("Kustomization", pools.get("kind"));
        assertEquals("kustomize.toolkit.fluxcd.io/v1", pools.get("apiVersion"));
        assertEquals("flux-system", path(pools, "metadata.namespace"));
        assertEquals("./node-pools", path(pools, "spec.path"));
        assertEquals(List.of(Map.of("name", "infrastructure")), path(pools, "spec.dependsOn"));
        assertEquals(true, path(pools, "spec.prune"));
        assertEquals(true, path(pools, "spec.wait"));
        assertEquals(List.of(Map.of("name", "infrastructure")), path(object(TREE, "clusters/test/apps.yaml"), "spec.dependsOn"));
        assertNull(path(object(TREE, "clusters/test/infrastructure.yaml"), "spec.dependsOn"));
        // Karpenter's release is in the infrastructure Kustomization, which waits for it (wait: true)
        assertTrue(((List<?>) object(TREE, "infrastructure/kustomization.yaml").get("resources")).contains("karpenter"));
        assertEquals(true, path(object(TREE, "clusters/test/infrastructure.yaml"), "spec.wait"));
        assertEquals(List.of("gpu"), object(TREE, "node-pools/kustomization.yaml").get("resources"));
        assertEquals(List.of("gpu-ec2nodeclass.yaml", "gpu-nodepool.yaml"), object(TREE, "node-pools/gpu/kustomization.yaml").get("resources"));
    }

    @Test
    void karpenterComesFromItsPinnedOciChartWithItsCrds() {
        Map<String, Object> source = object(TREE, "infrastructure/sources/karpenter-ocirepository.yaml");
        assertEquals("source.toolkit.fluxcd.io/v1", source.get("apiVersion"));
        assertEquals("OCIRepository", source.get("kind"));
        assertEquals("flux-system", path(source, "metadata.namespace"));
        assertEquals("oci://public.ecr.aws/karpenter/karpenter", path(source, "spec.url"));
        assertEquals(Map.of("tag", "1.14.1"), path(source, "spec.ref"));
        assertEquals(Map.of("mediaType", "application/vnd.cncf.helm.chart.content.v1.tar+gzip", "operation", "copy"),
                path(source, "spec.layerSelector"));

        Map<String, Object> release = object(TREE, "infrastructure/karpenter/karpenter-helmrelease.yaml");
        assertEquals("kube-system", path(release, "metadata.namespace"));
        assertEquals("karpenter", path(release, "spec.releaseName"));
        assertEquals(Map.of("kind", "OCIRepository", "name", "karpenter", "namespace", "flux-system"), path(release, "spec.chartRef"));
        assertNull(path(release, "spec.chart"), "an OCI chart is referenced, not templated");
        assertEquals("Create", path(release, "spec.install.crds"));
        assertEquals("CreateReplace", path(release, "spec.upgrade.crds"));
        // the other HelmReleases keep Flux's default CRD policy (nothing written)
        for (Map.Entry<String, String> file : TREE.entrySet()) {
            if (file.getKey().endsWith("-helmrelease.yaml") && !file.getKey().contains("karpenter")) {
                Map<String, Object> other = parse(resolve(file.getValue()));
                assertNull(path(other, "spec.install.crds"), file.getKey());
                assertNull(path(other, "spec.upgrade.crds"), file.getKey());
                assertEquals("HelmRepository", path(other, "spec.chart.spec.sourceRef.kind"), file.getKey());
            }
        }
        assertTrue(Karpenter.CHART.oci());
        assertThrows(IllegalArgumentException.class, () -> new com.bridgeai.infra.modules.gitops.ChartPin("x", "1.0.0", "r", "http://r"));
    }

    @Test
    void karpenterRunsOnTheSystemNodeGroupWithItsSettingsAndRole() {
        Map<String, Object> values = values(TREE, "infrastructure/karpenter/karpenter-helmrelease.yaml");
        assertEquals("mlops-test-cluster", path(values, "settings.clusterName"));
        assertEquals("mlops-test-cluster-karpenter", path(values, "settings.interruptionQueue"));
        assertEquals("arn:aws:iam::123456789012:role/mlops-test-cluster-karpenter",
                path(values, "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"));
        assertEquals("karpenter", path(values, "serviceAccount.name"));
        assertEquals(2, values.get("replicas"));
        assertEquals(Map.of("kubernetes.io/os", "linux", "bridgeai.io/node-group", "system"), values.get("nodeSelector"));
        assertEquals(Map.of("requests", Map.of("cpu", "250m", "memory", "512Mi"), "limits", Map.of("memory", "1Gi")),
                path(values, "controller.resources"));
        // the chart's own affinity (karpenter.sh/nodepool DoesNotExist: never on a node it manages),
        // tolerations, topology spread and priority class are kept, not overridden
        for (String kept : List.of("affinity", "tolerations", "topologySpreadConstraints", "priorityClassName", "podDisruptionBudget")) {
            assertFalse(values.containsKey(kept), kept);
        }
        // a one-node system group: one replica (the chart's anti-affinity wants one per node)
        assertEquals(1, values(GitOpsTree.render(karpenterSpec("", "", AL2023_ALIAS, 1)),
                "infrastructure/karpenter/karpenter-helmrelease.yaml").get("replicas"));
        assertEquals(2, values(GitOpsTree.render(karpenterSpec("", "", AL2023_ALIAS, 3)),
                "infrastructure/karpenter/karpenter-helmrelease.yaml").get("replicas"));
    }

    @Test
    void theGpuNodeClassIsPinnedEncryptedImdsv2AndDiscoversTheEksStacksSubnets() {
        Map<String, Object> nodeClass = object(TREE, "node-pools/gpu/gpu-ec2nodeclass.yaml");
        assertEquals("karpenter.k8s.aws/v1", nodeClass.get("apiVersion"));
        assertEquals("EC2NodeClass", nodeClass.get("kind"));
        assertEquals("gpu", path(nodeClass, "metadata.name"));
        assertNull(path(nodeClass, "metadata.namespace"), "cluster-scoped");
        Map<String, Object> spec = (Map<String, Object>) nodeClass.get("spec");
        assertEquals("mlops-test-cluster-karpenter-node", spec.get("role"));
        assertEquals(List.of(Map.of("alias", "al2023@v20260714")), spec.get("amiSelectorTerms"));
        List<Object> discovery = List.of(Map.of("tags", Map.of("karpenter.sh/discovery", "mlops-test-cluster")));
        assertEquals(discovery, spec.get("subnetSelectorTerms"));
        assertEquals(discovery, spec.get("securityGroupSelectorTerms"));
        assertEquals(Map.of("httpEndpoint", "enabled", "httpProtocolIPv6", "disabled", "httpPutResponseHopLimit", 1,
                "httpTokens", "required"), spec.get("metadataOptions"));
        Map<String, Object> gp3 = Map.of("volumeSize", "100Gi", "volumeType", "gp3", "encrypted", true, "deleteOnTermination", true);
        assertEquals(List.of(Map.of("deviceName", "/dev/xvda", "ebs", gp3)), spec.get("blockDeviceMappings"));
        assertEquals(List.of("Environment", "ManagedBy", "Project", "Stage"), List.copyOf(((Map<String, Object>) spec.get("tags")).keySet()));
        assertEquals("mlops", path(spec, "tags.Project"));

        // Bottlerocket: its small OS volume and the data volume, both encrypted gp3; no device plugin (its OS runs one)
        SortedMap<String, String> bottlerocket = GitOpsTree.render(karpenterSpec(EFS_TOKEN, DB_TOKEN, BOTTLEROCKET_ALIAS, 2));
        Map<String, Object> brSpec = (Map<String, Object>) object(bottlerocket, "node-pools/gpu/gpu-ec2nodeclass.yaml").get("spec");
        assertEquals(List.of(Map.of("alias", "bottlerocket@v1.52.0")), brSpec.get("amiSelectorTerms"));
        assertEquals(List.of(
                Map.of("deviceName", "/dev/xvda", "ebs", Map.of("volumeSize", "4Gi", "volumeType", "gp3", "encrypted", true,
                        "deleteOnTermination", true)),
                Map.of("deviceName", "/dev/xvdb", "ebs", gp3)), brSpec.get("blockDeviceMappings"));
        assertFalse(bottlerocket.keySet().stream().anyMatch(f -> f.contains("nvidia")), bottlerocket.keySet()::toString);
        assertTrue(TREE.containsKey("infrastructure/gpu/nvidia-device-plugin-helmrelease.yaml"));
    }

    @Test
    void theGpuNodePoolScalesFromZeroTaintedCappedAndEmptiedAfterTheDelay() {
        Map<String, Object> pool = object(TREE, "node-pools/gpu/gpu-nodepool.yaml");
        assertEquals("karpenter.sh/v1", pool.get("apiVersion"));
        assertEquals("NodePool", pool.get("kind"));
        assertEquals("gpu", path(pool, "metadata.name"));
        Map<String, Object> template = (Map<String, Object>) path(pool, "spec.template.spec");
        assertEquals(Map.of("group", "karpenter.k8s.aws", "kind", "EC2NodeClass", "name", "gpu"), template.get("nodeClassRef"));
        assertEquals(List.of(Map.of("key", "nvidia.com/gpu", "value", "true", "effect", "NoSchedule")), template.get("taints"));
        assertEquals(List.of(
                Map.of("key", "node.kubernetes.io/instance-type", "operator", "In", "values", List.of("g4dn.xlarge", "g5.xlarge")),
                Map.of("key", "karpenter.sh/capacity-type", "operator", "In", "values", List.of("on-demand")),
                Map.of("key", "kubernetes.io/arch", "operator", "In", "values", List.of("amd64")),
                Map.of("key", "kubernetes.io/os", "operator", "In", "values", List.of("linux"))), template.get("requirements"));
        assertEquals("720h", template.get("expireAfter"));
        assertEquals("24h", template.get("terminationGracePeriod"));
        // the labels the device plugin's affinity and the GPU tasks select
        Map<String, Object> labels = (Map<String, Object>) path(pool, "spec.template.metadata.labels");
        assertEquals(Map.of("bridgeai.io/node-group", "gpu", "nvidia.com/gpu.present", "true", "bridgeai.io/accelerator", "nvidia"), labels);
        Map<String, Object> plugin = object(TREE, "infrastructure/gpu/nvidia-device-plugin-helmrelease.yaml");
        Map<String, Object> term = (Map<String, Object>) ((List<?>) ((Map<String, Object>) ((List<?>) path(plugin,
                "spec.values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")).get(0))
                .get("matchExpressions")).get(0);
        assertTrue(((List<?>) term.get("values")).contains(labels.get(term.get("key"))), "the plugin selects the pool's nodes");
        // no tolerations of ours on the plugin: the chart's default tolerates nvidia.com/gpu (values.yaml at v0.20.0)
        assertNull(path(plugin, "spec.values.tolerations"));
        assertEquals(Map.of("nvidia.com/gpu", 2), path(pool, "spec.limits"));
        assertEquals(Map.of("consolidationPolicy", "WhenEmpty", "consolidateAfter", "10m", "budgets", List.of(
                Map.of("nodes", "100%", "reasons", List.of("Empty")), Map.of("nodes", "1", "reasons", List.of("Drifted")))),
                path(pool, "spec.disruption"));
    }

    /** With Karpenter every system workload selects the system node group; the task pods do not. */
    @Test
    void systemWorkloadsSelectTheSystemNodeGroupAndTaskPodsDoNot() {
        for (String db : List.of(DB_TOKEN, "")) {
            SortedMap<String, String> tree = GitOpsTree.render(karpenterSpec(EFS_TOKEN, db, AL2023_ALIAS, 2));
            Map<String, Object> airflow = values(tree, "apps/airflow/airflow-helmrelease.yaml");
            for (String component : List.of("scheduler", "apiServer", "dagProcessor", "triggerer", "createUserJob", "migrateDatabaseJob")) {
                assertEquals(SYSTEM, path(airflow, component + ".nodeSelector"), component);
            }
            assertNull(path(airflow, "workers.nodeSelector"), "a GPU task's pod override must be free to choose the GPU pool");
            assertNull(airflow.get("nodeSelector"), "the chart's global selector would reach the task pods");
            assertEquals(List.of(), airflow.get("tolerations"), "no system pod tolerates the GPU taint");
            Map<String, Object> mlflow = values(tree, "apps/mlflow/mlflow-helmrelease.yaml");
            assertEquals(SYSTEM, mlflow.get("nodeSelector"));
            if (db.isEmpty()) {
                assertEquals(SYSTEM, path(airflow, "postgresql.primary.nodeSelector"));
                assertEquals(SYSTEM, path(mlflow, "postgresql.primary.nodeSelector"));
            } else {
                assertEquals(SYSTEM, path(values(tree, "infrastructure/external-secrets/external-secrets-helmrelease.yaml"),
                        "global.nodeSelector"));
                assertEquals(SYSTEM, path(values(tree, "infrastructure/reloader/reloader-helmrelease.yaml"),
                        "reloader.deployment.nodeSelector"));
                List<Map<String, Object>> pods = new ArrayList<>();
                for (String file : List.of("apps/database/apps-database-credentials-cronjob.yaml",
                        "apps/database/apps-database-rotate-now-cronjob.yaml")) {
                    pods.add((Map<String, Object>) path(object(tree, file), "spec.jobTemplate.spec.template.spec"));
                }
                pods.add((Map<String, Object>) path(object(tree, "apps/database/apps-database-credentials-install-job.yaml"),
                        "spec.template.spec"));
                for (Map<String, Object> pod : pods) {
                    assertEquals(SYSTEM, pod.get("nodeSelector"));
                    assertEquals(List.of(), pod.get("tolerations"));
                }
            }
        }
        // node_group: none of it
        Map<String, Object> airflow = values(NODE_GROUP, "apps/airflow/airflow-helmrelease.yaml");
        assertNull(path(airflow, "scheduler.nodeSelector"));
        assertNull(values(NODE_GROUP, "apps/mlflow/mlflow-helmrelease.yaml").get("nodeSelector"));
    }

    /** Flux's own pods (operator, controllers, health check) go to the system node group, without the GPU toleration. */
    @Test
    void fluxRunsOnTheSystemNodeGroup() {
        var props = GitOpsTreeTest.fluxProps(FluxRelease.PINNED.get(3), false, false, true);
        Map<String, Object> operator = FluxModule.operatorValues(props);
        assertEquals(SYSTEM, operator.get("nodeSelector"));
        assertEquals(List.of(), operator.get("tolerations"));
        Map<String, Object> instance = FluxModule.instanceValues(props);
        List<Map<String, Object>> patches = (List<Map<String, Object>>) path(instance, "instance.kustomize.patches");
        assertEquals(1, patches.size());
        assertEquals(Map.of("kind", "Deployment"), patches.get(0).get("target"));
        assertEquals(List.of(Map.of("op", "add", "path", "/spec/template/spec/nodeSelector", "value", SYSTEM)),
                new Yaml(new SafeConstructor(new LoaderOptions())).load((String) patches.get(0).get("patch")));
        assertEquals(SYSTEM, path(instance, "healthcheck.nodeSelector"));
        // the node_group variants are as before: no selector
        assertNull(FluxModule.operatorValues(GitOpsTreeTest.fluxProps(false, true)).get("nodeSelector"));
        assertNull(path(FluxModule.instanceValues(GitOpsTreeTest.fluxProps(false, true)), "healthcheck.nodeSelector"));
        assertThrows(IllegalArgumentException.class, () -> GitOpsTreeTest.fluxProps(FluxRelease.PINNED.get(3), false, true, true));
        // Karpenter's OCIRepository v1: only the pinned Flux releases from 2.6 serve it
        assertEquals(List.of(false, true, true, true), FluxRelease.PINNED.stream().map(FluxRelease::servesOciRepositoryV1).toList());
    }

    /** Bad input to the contract: clear errors, before anything renders. */
    @Test
    void theContractRefusesWhatTheTreeCannotRender() {
        GitOpsSpec good = karpenterSpec("", "", AL2023_ALIAS, 2);
        GpuNodePool p = good.gpuNodePool();
        IllegalArgumentException tainted = assertThrows(IllegalArgumentException.class, () -> new GitOpsSpec("test", "clusters/test",
                "git@github.com:o/r.git", "main", "eu-west-2", "b", "r", "", true, true, null, p));
        assertTrue(tainted.getMessage().startsWith("tolerateGpuTaint: expected false with a Karpenter GPU pool"), tainted.getMessage());
        for (String alias : List.of("al2023@latest", "al2@v20260714", "al2023")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GpuNodePool(p.clusterName(),
                    p.controllerRoleArn(), p.nodeRoleName(), p.interruptionQueueName(), p.instanceTypes(), p.capacityType(), alias,
                    p.architecture(), p.diskSizeGib(), p.consolidateAfter(), p.gpuLimit(), true, p.tags(), 2));
            assertTrue(e.getMessage().startsWith("amiAlias: expected"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new GpuNodePool(p.clusterName(), p.controllerRoleArn(), p.nodeRoleName(),
                p.interruptionQueueName(), p.instanceTypes(), p.capacityType(), AL2023_ALIAS, p.architecture(), p.diskSizeGib(),
                p.consolidateAfter(), p.gpuLimit(), true, p.tags(), 0));
        assertThrows(IllegalArgumentException.class, () -> new GpuNodePool(p.clusterName(), p.controllerRoleArn(), p.nodeRoleName(),
                p.interruptionQueueName(), List.of(), p.capacityType(), AL2023_ALIAS, p.architecture(), p.diskSizeGib(),
                p.consolidateAfter(), p.gpuLimit(), true, p.tags(), 2));
        assertEquals(ClusterContract.SYSTEM_NODE_GROUP, ClusterContract.systemNodeSelector().get(ClusterContract.NODE_GROUP_LABEL));
    }
}
