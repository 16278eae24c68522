package com.bridgeai.infra.modules.apps.airflow;

import static com.bridgeai.infra.modules.apps.HelmValues.resources;
import static com.bridgeai.infra.modules.apps.HelmValues.systemNodeSelector;
import static com.bridgeai.infra.modules.gitops.GitOpsYaml.list;
import static com.bridgeai.infra.modules.gitops.GitOpsYaml.map;

import com.bridgeai.infra.modules.apps.AppUnit;
import com.bridgeai.infra.modules.apps.mlflow.Mlflow;
import com.bridgeai.infra.modules.gitops.ChartPin;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.GithubKnownHosts;
import com.bridgeai.infra.modules.gitops.Manifests.ChartRef;
import com.bridgeai.infra.modules.gitops.Manifests.HelmRelease;
import com.bridgeai.infra.modules.gitops.Manifests.ObjectMeta;
import com.bridgeai.infra.modules.gitops.Pinned;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Apache Airflow: its chart pin, namespace, the secrets the flux stack writes for it, and its
 * Helm values, sized for one GPU node group (g4dn.xlarge: 4 vCPU, 16 GiB, shared with Flux and
 * the system add-ons). Keys are those of the pinned chart; tests check them against allowlists
 * verified against the chart's own values files (src/test/resources/chart-keys/).
 */
public final class Airflow implements AppUnit {
    /** Apache Airflow's official chart. 1.19.0 = Airflow 3.1.7; needs Kubernetes 1.30+ and Helm 3.10+. */
    @Pinned(released = "2026-02-17") // "Helm chart 1.19.0 released" (chart-keys README)
    public static final ChartPin CHART = new ChartPin("airflow", "1.19.0", "apache-airflow", "https://airflow.apache.org");
    public static final String NAMESPACE = "airflow";
    /** Secret (namespace airflow) holding git-sync's read-only deploy key; written by the flux stack. */
    public static final String GIT_SYNC_SECRET = "airflow-git-sync";
    /** Key inside that secret the Airflow chart mounts as git-sync's SSH key. */
    public static final String GIT_SYNC_SECRET_KEY = "gitSshKey";
    /** Folder of the repository that git-sync hands to Airflow as its DAG folder. */
    public static final String DAGS_FOLDER = "dags";
    /**
     * The example pipeline the GitOps tree puts in {@value #DAGS_FOLDER}: a GPU pod (PyTorch image,
     * one {@code nvidia.com/gpu}, the GPU taint's toleration) logging to MLflow, then a CPU task
     * reading the run back. A resource next to this class, rendered as is; the build compiles it
     * and parses its pod overrides (src/test, ExampleDagTest).
     */
    public static final String EXAMPLE_DAG = "bridgeai_gpu_mlflow_example.py";
    /** The example DAG's {@code dag_id}. */
    public static final String EXAMPLE_DAG_ID = "bridgeai_gpu_mlflow_example";
    /**
     * Secret (namespace airflow) with key {@value #METADATA_SECRET_KEY}: the metadata DB connection
     * URL, written and kept current by External Secrets from Secrets Manager (modules/apps,
     * database). Not the flux stack's former {@code airflow-metadata}: that one is left in place
     * (not deleted) when the flux stack forgets it, so a deployed env switches without an outage.
     */
    public static final String METADATA_SECRET = "airflow-database";
    /** The key the Airflow chart reads from {@code data.metadataSecretName}. */
    public static final String METADATA_SECRET_KEY = "connection";

    @Override
    public String name() {
        return "airflow";
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
        return Placement.app("airflow");
    }

    @Override
    public boolean enabled(GitOpsSpec spec) {
        return true;
    }

    @Override
    public HelmRelease release(GitOpsSpec spec) {
        return new HelmRelease(ObjectMeta.named(name(), NAMESPACE), name(), new ChartRef(CHART), "30m", "15m", values(spec));
    }

    /**
     * Apache Airflow (chart 1.19.0, Airflow 3.1.7).
     * <ul>
     *   <li>KubernetesExecutor: one pod per task, created on demand, so a GPU task can ask for
     *       {@code nvidia.com/gpu: 1} through {@code executor_config} and nothing idles on the one
     *       node group between runs; no Redis/Celery workers to run.</li>
     *   <li>DAGs: git-sync sidecars pull {@code dags/} of the GitOps repository every few seconds
     *       over SSH with their own read-only deploy key (secret {@value #GIT_SYNC_SECRET},
     *       written by the flux stack) and pinned github.com host keys.</li>
     *   <li>The database migration and user creation jobs run as plain resources, not Helm hooks:
     *       helm-controller waits for the release before post-install hooks, while the pods wait
     *       for the migration (the chart's Flux/Argo advice).</li>
     *   <li>Task logs on EFS when the cluster has one (RWX: task pods write, the API server reads).</li>
     * </ul>
     */
    public static Map<String, Object> values(GitOpsSpec spec) {
        // with Karpenter: every long-running component and the chart's jobs on the system node group;
        // not the task pods (workers): a GPU task's pod override brings its own toleration, and a
        // system-group selector here would merge into it and leave it nowhere to run
        Map<String, String> system = systemNodeSelector(spec);
        Map<String, Object> values = map(
                "executor", "KubernetesExecutor",
                "env", list(map("name", "MLFLOW_TRACKING_URI", "value", Mlflow.URL)),
                "createUserJob", map("useHelmHooks", false, "applyCustomEnv", false, "nodeSelector", system),
                "migrateDatabaseJob", map("useHelmHooks", false, "applyCustomEnv", false, "nodeSelector", system),
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
                                "subPath", DAGS_FOLDER,
                                "sshKeySecret", GIT_SYNC_SECRET,
                                "knownHosts", GithubKnownHosts.file())),
                "logs", map("persistence", spec.hasEfs()
                        ? map("enabled", true, "size", "10Gi", "storageClassName", ClusterContract.EFS_CLASS)
                        : map("enabled", false)),
                "scheduler", map("resources", resources("500m", "1Gi", "2Gi"), "nodeSelector", system),
                "apiServer", map("resources", resources("250m", "1Gi", "2Gi"), "nodeSelector", system),
                "dagProcessor", map("resources", resources("250m", "512Mi", "1Gi"), "nodeSelector", system),
                "triggerer", map(
                        "persistence", map("enabled", true, "size", "10Gi", "storageClassName", ClusterContract.EBS_CLASS),
                        "resources", resources("100m", "512Mi", "1Gi"),
                        "nodeSelector", system),
                // default size of a task pod; GPU tasks add nvidia.com/gpu via executor_config
                "workers", map("resources", resources("500m", "1Gi", "4Gi")),
                "tolerations", ClusterContract.tolerations(spec.tolerateGpuTaint()));
        if (spec.rdsDatabase()) {
            // the env's RDS instance, logged in as Airflow's own role: the connection URL is in a
            // secret External Secrets renders from Secrets Manager; the bundled PostgreSQL is off
            values.put("data", map("metadataSecretName", METADATA_SECRET));
            values.put("postgresql", map("enabled", false));
        } else {
            // apps_database: bundled — the chart's PostgreSQL (demo only: Bitnami moved its old
            // images to bitnamilegacy/, where the chart's pinned tag still exists, without updates;
            // chart 1.19.0 defaults to that repository too (#61156), kept here so it stays explicit)
            values.put("postgresql", map(
                    "image", map("repository", "bitnamilegacy/postgresql"),
                    "primary", map(
                            "persistence", map("enabled", true, "size", "8Gi", "storageClass", ClusterContract.EBS_CLASS),
                            "resources", resources("250m", "256Mi", "1Gi"),
                            "tolerations", ClusterContract.tolerations(spec.tolerateGpuTaint()),
                            "nodeSelector", system)));
        }
        return values;
    }

    /** The example DAG's text ({@value #EXAMPLE_DAG}, a resource of this module). */
    public static String exampleDag() {
        try (InputStream in = Airflow.class.getResourceAsStream(EXAMPLE_DAG)) {
            if (in == null) {
                throw new IllegalStateException("resource " + EXAMPLE_DAG + " missing next to " + Airflow.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
