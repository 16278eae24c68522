package com.bridgeai.infra.modules.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.apps.airflow.Airflow;
import com.bridgeai.infra.modules.apps.karpenter.GpuNodePools;
import com.bridgeai.infra.modules.apps.karpenter.Karpenter;
import com.bridgeai.infra.modules.apps.mlflow.Mlflow;
import com.bridgeai.infra.modules.apps.nvidia.NvidiaDevicePlugin;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.DatabaseAccess;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.GpuNodePool;
import com.bridgeai.infra.modules.gitops.Manifests.HelmRelease;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The app units on their own: each one complete, consistent, and enabled where it belongs. */
public class AppsTest {
    /** databaseHost "": the bundled PostgreSQL; else the env's RDS instance with its credentials' secrets and roles. */
    public static GitOpsSpec spec(boolean gpuTainted, boolean devicePlugin, String databaseHost) {
        return new GitOpsSpec("test", "clusters/test", "git@github.com:o/r.git", "main", "eu-west-2", "bucket",
                "arn:aws:iam::1:role/mlflow", "", gpuTainted, devicePlugin, databaseHost.isEmpty() ? null : database(databaseHost), null);
    }

    public static DatabaseAccess database(String host) {
        return new DatabaseAccess(host, "arn:aws:secretsmanager:eu-west-2:1:secret:rds!db-1-AbCdEf",
                "mlops-test-apps/airflow", "mlops-test-apps/mlflow",
                "arn:aws:iam::1:role/mlops-test-external-secrets", "arn:aws:iam::1:role/mlops-test-apps-database-credentials");
    }

    @Test
    void everyUnitIsCompleteAndNamedOnce() {
        Set<String> names = new HashSet<>();
        for (AppUnit app : Apps.ALL) {
            assertTrue(names.add(app.name()), "two apps named " + app.name());
            HelmRelease release = app.release(app.enabled(spec(false, true, "db")) ? spec(false, true, "db") : karpenterSpec());
            assertEquals(app.name(), release.releaseName());
            assertEquals(app.namespace(), release.metadata().namespace());
            assertEquals(app.chart(), release.chart().pin(), app.name() + ": the release installs the unit's own pin");
            assertTrue(List.of("apps", "infrastructure").contains(app.placement().root()), app.name());
        }
        assertEquals(List.of("airflow", "mlflow", "nvidia-device-plugin", "external-secrets", "reloader", "karpenter"),
                Apps.ALL.stream().map(AppUnit::name).toList());
    }

    /** gpu_capacity: karpenter — an AL2023 NVIDIA GPU pool, the bundled databases. */
    static GitOpsSpec karpenterSpec() {
        GpuNodePool pool = new GpuNodePool("mlops-test-cluster", "arn:aws:iam::1:role/karpenter", "karpenter-node", "karpenter",
                List.of("g4dn.xlarge"), "on-demand", "al2023@v20260714", "amd64", 100, "10m", 1, true, Map.of("Project", "mlops"), 2);
        return new GitOpsSpec("test", "clusters/test", "git@github.com:o/r.git", "main", "eu-west-2", "bucket",
                "arn:aws:iam::1:role/mlflow", "", false, true, null, pool);
    }

    @Test
    void karpenterOnlyWithItsGpuPool() {
        assertEquals(List.of("airflow", "mlflow", "nvidia-device-plugin", "karpenter"),
                Apps.enabled(karpenterSpec()).stream().map(AppUnit::name).toList());
        assertFalse(Apps.enabled(spec(false, true, "db")).stream().anyMatch(a -> a.name().equals("karpenter")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Karpenter.values(spec(false, true, "")));
        assertTrue(e.getMessage().startsWith("gpuNodePool: expected"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GpuNodePools.manifests(spec(false, true, "")));
        assertEquals(List.of("EC2NodeClass", "NodePool"), GpuNodePools.manifests(karpenterSpec()).stream().map(m -> m.kind()).toList());
    }

    @Test
    void externalSecretsAndReloaderOnlyWithTheRdsInstance() {
        assertEquals(List.of("airflow", "mlflow", "external-secrets", "reloader"),
                Apps.enabled(spec(false, false, "db")).stream().map(AppUnit::name).toList());
        assertEquals(List.of("airflow", "mlflow"), Apps.enabled(spec(false, false, "")).stream().map(AppUnit::name).toList());
    }

    @Test
    void theDevicePluginOnlyWhereTheImageLacksOne() {
        assertEquals(List.of("airflow", "mlflow", "nvidia-device-plugin"),
                Apps.enabled(spec(false, true, "")).stream().map(AppUnit::name).toList());
        assertEquals(List.of("airflow", "mlflow"), Apps.enabled(spec(false, false, "")).stream().map(AppUnit::name).toList());
        NvidiaDevicePlugin plugin = new NvidiaDevicePlugin();
        assertFalse(plugin.ownsNamespace());
        assertEquals("kube-system", plugin.namespace());
        // its affinity selects exactly the label the eks module puts on GPU nodes
        String affinity = NvidiaDevicePlugin.values(spec(false, true, "")).toString();
        assertTrue(affinity.contains("key=" + ClusterContract.GPU_PRESENT_LABEL), affinity);
    }

    @Test
    void theTaintIsToleratedByEveryAppPodAndTheDatabaseSecretsAreTheUnitsOwn() {
        List<Object> toleration = ClusterContract.tolerations(true);
        assertEquals(toleration, Airflow.values(spec(true, true, "db")).get("tolerations"));
        assertEquals(toleration, Mlflow.values(spec(true, true, "db")).get("tolerations"));
        assertEquals(List.of(), Airflow.values(spec(false, true, "db")).get("tolerations"));
        assertEquals(Map.of("metadataSecretName", Airflow.METADATA_SECRET), Airflow.values(spec(false, true, "db")).get("data"));
        assertTrue(Mlflow.values(spec(false, true, "db")).toString().contains("name=" + Mlflow.DATABASE_SECRET), "MLflow reads its own secret");
        // MLflow's service account is the one its IRSA role trusts
        assertTrue(Mlflow.values(spec(false, true, "")).toString().contains("name=" + Mlflow.SERVICE_ACCOUNT));
    }
}
