package com.bridgeai.infra.modules.apps.mlflow;

import static com.bridgeai.infra.modules.apps.HelmValues.resources;
import static com.bridgeai.infra.modules.apps.HelmValues.systemNodeSelector;
import static com.bridgeai.infra.modules.gitops.GitOpsYaml.map;

import com.bridgeai.infra.modules.apps.AppUnit;
import com.bridgeai.infra.modules.aws.eks.AppsDatabase;
import com.bridgeai.infra.modules.gitops.ChartPin;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.Manifests.ChartRef;
import com.bridgeai.infra.modules.gitops.Manifests.HelmRelease;
import com.bridgeai.infra.modules.gitops.Manifests.ObjectMeta;
import com.bridgeai.infra.modules.gitops.Pinned;
import java.util.List;
import java.util.Map;

/**
 * The MLflow tracking server: its chart pin, namespace and service account (the ones its IRSA
 * role trusts, {@link MlflowArtifactStore} in this package: the S3 bucket and the role), the
 * secret the flux stack writes for it, and its Helm values.
 */
public final class Mlflow implements AppUnit {
    /** community-charts/mlflow, maintained (releases follow MLflow); 1.11.5 = MLflow 3.15.1. */
    @Pinned(released = "2026-08-21") // tag mlflow-1.11.5
    public static final ChartPin CHART =
            new ChartPin("mlflow", "1.11.5", "community-charts", "https://community-charts.github.io/helm-charts");
    /** Namespace and service account the MLflow IRSA role trusts ({@link MlflowArtifactStore}). */
    public static final String NAMESPACE = "mlflow";
    public static final String SERVICE_ACCOUNT = "mlflow";
    /** MLflow inside the cluster, as Airflow tasks reach it. */
    public static final String URL = "http://mlflow.mlflow.svc.cluster.local";
    /** MLflow's image at the pinned chart's appVersion (community-charts/mlflow 1.11.5: 3.15.1), for the apps-database credentials job (it has boto3 and psycopg2). */
    @Pinned(name = "burakince/mlflow", renovate = "docker", source = "https://hub.docker.com/r/burakince/mlflow", verified = "2026-11-30")
    public static final String IMAGE = "burakince/mlflow:3.15.1";
    /**
     * Secret (namespace mlflow) with keys username and password of MLflow's own database role,
     * written and kept current by External Secrets from Secrets Manager (modules/apps, database).
     * Not the flux stack's former {@code mlflow-database}, which is left in place when the flux
     * stack forgets it.
     */
    public static final String DATABASE_SECRET = "mlflow-database-login";

    @Override
    public String name() {
        return "mlflow";
    }

    @Override
    public ChartPin chart() {
        return CHART;
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public boolean ownsNamespace() {
        return true;
    }

    @Override
    public Placement placement() {
        return Placement.app("mlflow");
    }

    @Override
    public boolean enabled(GitOpsSpec spec) {
        return true;
    }

    @Override
    public HelmRelease release(GitOpsSpec spec) {
        return new HelmRelease(ObjectMeta.named(name(), NAMESPACE), name(), new ChartRef(CHART), "30m", "10m", values(spec));
    }

    /**
     * MLflow tracking server (community-charts/mlflow 1.11.5, MLflow 3.15.1). Artifacts are
     * proxied: clients send them to the server, only the server's service account (IRSA role)
     * can write the S3 bucket, so no AWS credentials exist in the cluster.
     */
    public static Map<String, Object> values(GitOpsSpec spec) {
        Map<String, Object> values = map(
                "serviceAccount", map(
                        "create", true,
                        "name", SERVICE_ACCOUNT,
                        "annotations", map("eks.amazonaws.com/role-arn", spec.mlflowRoleArn())),
                "artifactRoot", map(
                        "proxiedArtifactStorage", true,
                        "s3", map("enabled", true, "bucket", spec.mlflowArtifactBucket(), "path", "artifacts")),
                "extraEnvVars", map("AWS_DEFAULT_REGION", spec.region()),
                // MLflow 3.5+ rejects unknown Host headers: the service names, port-forwards, and pod
                // IPs (kubelet probes) of this VPC
                "serverAllowedHosts", List.of(
                        "mlflow", "mlflow.mlflow", "mlflow.mlflow.svc", "mlflow.mlflow.svc.cluster.local",
                        "mlflow.mlflow.svc.cluster.local:*", "localhost:*", "127.0.0.1:*",
                        "10.*", "172.*", "192.168.*"),
                "resources", resources("200m", "512Mi", "2Gi"),
                "tolerations", ClusterContract.tolerations(spec.tolerateGpuTaint()),
                "nodeSelector", systemNodeSelector(spec));
        if (spec.rdsDatabase()) {
            // the env's RDS instance, database "mlflow" (created and owned by MLflow's role, by the
            // credentials job); user and password from the secret External Secrets keeps current
            // (the chart passes them as PGUSER/PGPASSWORD, so no URL escaping). The server creates
            // its tables itself on an empty database.
            values.put("backendStore", map(
                    "databaseMigration", false,
                    "databaseConnectionCheck", true,
                    "postgres", map("enabled", true, "host", spec.appsDatabaseHost(), "port", AppsDatabase.PORT,
                            "database", AppsDatabase.MLFLOW_DATABASE, "driver", "psycopg2"),
                    "existingDatabaseSecret", map("name", DATABASE_SECRET,
                            "usernameKey", "username", "passwordKey", "password")));
            values.put("postgresql", map("enabled", false));
        } else {
            values.put("backendStore", map("databaseMigration", true, "databaseConnectionCheck", true));
            values.put("postgresql", map(
                    "enabled", true,
                    "primary", map(
                            "persistence", map("enabled", true, "size", "8Gi", "storageClass", ClusterContract.EBS_CLASS),
                            "resources", resources("250m", "256Mi", "1Gi"),
                            "tolerations", ClusterContract.tolerations(spec.tolerateGpuTaint()),
                            "nodeSelector", systemNodeSelector(spec))));
            // the chart pins bitnamilegacy/postgresql; Bitnami's image check needs this to accept it
            values.put("global", map("security", map("allowInsecureImages", true)));
        }
        return values;
    }
}
