package com.bridgeai.infra.modules.gitops;

import static com.bridgeai.infra.modules.gitops.GitOpsYaml.list;
import static com.bridgeai.infra.modules.gitops.GitOpsYaml.map;

import java.util.List;
import java.util.Map;

/**
 * Helm values of the charts Flux installs, sized for one GPU node group (g4dn.xlarge: 4 vCPU,
 * 16 GiB, shared with Flux and the system add-ons). Keys are those of the pinned chart
 * versions in {@link ChartPin}; tests check their keys against allowlists verified against the charts'
 * own values files (src/test/resources/chart-keys/).
 */
public final class AppValues {
    /** EBS gp3 class (RWO, one AZ): databases, the triggerer. */
    public static final String EBS_CLASS = "gp3";
    /** EFS access-point class (RWX, all AZs): task logs shared by many pods. */
    public static final String EFS_CLASS = "efs-ap";
    /** MLflow inside the cluster, as Airflow tasks reach it. */
    public static final String MLFLOW_URL = "http://mlflow.mlflow.svc.cluster.local";
    /**
     * Namespace and service account the MLflow IRSA role trusts (the eks module's
     * MlflowArtifactStore builds the trust policy from these two).
     */
    public static final String MLFLOW_NAMESPACE = "mlflow";
    public static final String MLFLOW_SERVICE_ACCOUNT = "mlflow";
    public static final String AIRFLOW_NAMESPACE = "airflow";
    /** The RDS instance's port and databases (AppsDatabase in the eks module). */
    public static final int DATABASE_PORT = 5432;
    public static final String AIRFLOW_DATABASE = "airflow";
    public static final String MLFLOW_DATABASE = "mlflow";
    /** MLflow's image at the pinned chart's appVersion (community-charts/mlflow 1.11.5: 3.15.1), for the init container. */
    public static final String MLFLOW_IMAGE = "burakince/mlflow:3.15.1";

    private AppValues() {}

    /**
     * Apache Airflow (chart 1.18.0, Airflow 3.0.2).
     * <ul>
     *   <li>KubernetesExecutor: one pod per task, created on demand, so a GPU task can ask for
     *       {@code nvidia.com/gpu: 1} through {@code executor_config} and nothing idles on the one
     *       node group between runs; no Redis/Celery workers to run.</li>
     *   <li>DAGs: git-sync sidecars pull {@code dags/} of the GitOps repository every few seconds
     *       over SSH with their own read-only deploy key (secret {@value GitOpsSpec#GIT_SYNC_SECRET},
     *       written by the flux stack) and pinned github.com host keys.</li>
     *   <li>The database migration and user creation jobs run as plain resources, not Helm hooks:
     *       helm-controller waits for the release before post-install hooks, while the pods wait
     *       for the migration (the chart's Flux/Argo advice).</li>
     *   <li>Task logs on EFS when the cluster has one (RWX: task pods write, the API server reads).</li>
     * </ul>
     */
    public static Map<String, Object> airflow(GitOpsSpec spec) {
        Map<String, Object> values = map(
                "executor", "KubernetesExecutor",
                "env", list(map("name", "MLFLOW_TRACKING_URI", "value", MLFLOW_URL)),
                "createUserJob", map("useHelmHooks", false, "applyCustomEnv", false),
                "migrateDatabaseJob", map("useHelmHooks", false, "applyCustomEnv", false),
                "redis", map("enabled", false),
                "statsd", map("enabled", false),
                "dags", map(
                        "persistence", map("enabled", false),
                        "gitSync", map(
                                "enabled", true,
                                "repo", spec.dagsRepository(),
                                "branch", spec.branch(),
                                "rev", "HEAD",
                                "depth", 1,
                                "subPath", GitOpsSpec.DAGS_FOLDER,
                                "sshKeySecret", GitOpsSpec.GIT_SYNC_SECRET,
                                "knownHosts", GithubKnownHosts.file())),
                "logs", map("persistence", spec.hasEfs()
                        ? map("enabled", true, "size", "10Gi", "storageClassName", EFS_CLASS)
                        : map("enabled", false)),
                "scheduler", map("resources", resources("500m", "1Gi", "2Gi")),
                "apiServer", map("resources", resources("250m", "1Gi", "2Gi")),
                "dagProcessor", map("resources", resources("250m", "512Mi", "1Gi")),
                "triggerer", map(
                        "persistence", map("enabled", true, "size", "10Gi", "storageClassName", EBS_CLASS),
                        "resources", resources("100m", "512Mi", "1Gi")),
                // default size of a task pod; GPU tasks add nvidia.com/gpu via executor_config
                "workers", map("resources", resources("500m", "1Gi", "4Gi")),
                "tolerations", gpuTolerations(spec));
        if (spec.rdsDatabase()) {
            // the env's RDS instance: the connection URL (with the password RDS keeps in Secrets
            // Manager) is in a secret the flux stack writes; the bundled PostgreSQL is off
            values.put("data", map("metadataSecretName", GitOpsSpec.AIRFLOW_METADATA_SECRET));
            values.put("postgresql", map("enabled", false));
        } else {
            // apps_database: bundled — the chart's PostgreSQL (demo only: Bitnami moved its old
            // images to bitnamilegacy/, where the chart's pinned tag still exists, without updates)
            values.put("postgresql", map(
                    "image", map("repository", "bitnamilegacy/postgresql"),
                    "primary", map(
                            "persistence", map("enabled", true, "size", "8Gi", "storageClass", EBS_CLASS),
                            "resources", resources("250m", "256Mi", "1Gi"),
                            "tolerations", gpuTolerations(spec))));
        }
        return values;
    }

    /**
     * MLflow tracking server (community-charts/mlflow 1.11.5, MLflow 3.15.1). Artifacts are
     * proxied: clients send them to the server, only the server's service account (IRSA role)
     * can write the S3 bucket, so no AWS credentials exist in the cluster.
     */
    public static Map<String, Object> mlflow(GitOpsSpec spec) {
        Map<String, Object> values = map(
                "serviceAccount", map(
                        "create", true,
                        "name", MLFLOW_SERVICE_ACCOUNT,
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
                "tolerations", gpuTolerations(spec));
        if (spec.rdsDatabase()) {
            // the env's RDS instance, database "mlflow"; user and password from the secret the flux
            // stack writes (the chart passes them as PGUSER/PGPASSWORD, so no URL escaping). The
            // chart's migration init container would run before ours and fail on a database that
            // does not exist yet: the server creates its tables itself on an empty database.
            values.put("backendStore", map(
                    "databaseMigration", false,
                    "databaseConnectionCheck", true,
                    "postgres", map("enabled", true, "host", spec.appsDatabaseHost(), "port", DATABASE_PORT,
                            "database", MLFLOW_DATABASE, "driver", "psycopg2"),
                    "existingDatabaseSecret", map("name", GitOpsSpec.MLFLOW_DATABASE_SECRET,
                            "usernameKey", "username", "passwordKey", "password")));
            values.put("postgresql", map("enabled", false));
            values.put("initContainers", List.of(createMlflowDatabase(spec)));
        } else {
            values.put("backendStore", map("databaseMigration", true, "databaseConnectionCheck", true));
            values.put("postgresql", map(
                    "enabled", true,
                    "primary", map(
                            "persistence", map("enabled", true, "size", "8Gi", "storageClass", EBS_CLASS),
                            "resources", resources("250m", "256Mi", "1Gi"),
                            "tolerations", gpuTolerations(spec))));
            // the chart pins bitnamilegacy/postgresql; Bitnami's image check needs this to accept it
            values.put("global", map("security", map("allowInsecureImages", true)));
        }
        return values;
    }

    /**
     * RDS creates one database with the instance (Airflow's); MLflow's is created here, once, by
     * an init container of MLflow's own image (it has psycopg2): connect to Airflow's database
     * with the master credentials (libpq's PG* variables, TLS required) and CREATE DATABASE if
     * missing. Idempotent, so every pod start runs it harmlessly.
     */
    static Map<String, Object> createMlflowDatabase(GitOpsSpec spec) {
        String script = String.join("\n",
                "import os, psycopg2",
                "from psycopg2 import sql",
                "name = os.environ['MLFLOW_DATABASE']",
                "conn = psycopg2.connect()",
                "conn.autocommit = True",
                "cur = conn.cursor()",
                "cur.execute('SELECT 1 FROM pg_database WHERE datname = %s', (name,))",
                "if cur.fetchone() is None:",
                "    cur.execute(sql.SQL('CREATE DATABASE {}').format(sql.Identifier(name)))",
                "    print('created database', name)");
        return map(
                "name", "create-database",
                "image", MLFLOW_IMAGE,
                "command", List.of("python", "-c", script),
                "env", List.of(
                        map("name", "PGHOST", "value", spec.appsDatabaseHost()),
                        map("name", "PGPORT", "value", String.valueOf(DATABASE_PORT)),
                        map("name", "PGDATABASE", "value", AIRFLOW_DATABASE),
                        map("name", "PGSSLMODE", "value", "require"),
                        map("name", "MLFLOW_DATABASE", "value", MLFLOW_DATABASE),
                        secretEnv("PGUSER", GitOpsSpec.MLFLOW_DATABASE_SECRET, "username"),
                        secretEnv("PGPASSWORD", GitOpsSpec.MLFLOW_DATABASE_SECRET, "password")),
                "resources", resources("50m", "64Mi", "256Mi"));
    }

    private static Map<String, Object> secretEnv(String name, String secret, String key) {
        return map("name", name, "valueFrom", map("secretKeyRef", map("name", secret, "key", key)));
    }

    /**
     * The device plugin advertises the nodes' GPUs as nvidia.com/gpu. Its default affinity wants
     * labels from GPU feature discovery, which this cluster does not run; the EKS stack labels its
     * GPU nodes {@value ClusterContract#GPU_PRESENT_LABEL}=true instead, so the plugin runs exactly there. The
     * chart's default tolerations already cover the nvidia.com/gpu taint.
     */
    public static Map<String, Object> nvidiaDevicePlugin(GitOpsSpec spec) {
        return map("affinity", map("nodeAffinity", map("requiredDuringSchedulingIgnoredDuringExecution", map(
                "nodeSelectorTerms", List.of(map("matchExpressions", List.of(
                        map("key", ClusterContract.GPU_PRESENT_LABEL, "operator", "In", "values", List.of("true")))))))));
    }

    /** Requests (what the scheduler reserves) and a memory limit (no CPU limit: no throttling). */
    static Map<String, Object> resources(String cpu, String memory, String memoryLimit) {
        return map("requests", map("cpu", cpu, "memory", memory), "limits", map("memory", memoryLimit));
    }

    /** Empty list when the node group is not tainted (chart default), else the GPU taint toleration. */
    static List<Object> gpuTolerations(GitOpsSpec spec) {
        return ClusterContract.tolerations(spec.tolerateGpuTaint());
    }
}
