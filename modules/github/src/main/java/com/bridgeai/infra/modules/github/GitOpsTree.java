package com.bridgeai.infra.modules.github;

import static com.bridgeai.infra.modules.gitops.Manifests.FLUX_NAMESPACE;

import com.bridgeai.infra.modules.apps.AppUnit;
import com.bridgeai.infra.modules.apps.Apps;
import com.bridgeai.infra.modules.apps.airflow.Airflow;
import com.bridgeai.infra.modules.apps.database.DatabaseCredentials;
import com.bridgeai.infra.modules.apps.karpenter.GpuNodePools;
import com.bridgeai.infra.modules.apps.mlflow.Mlflow;
import com.bridgeai.infra.modules.gitops.ChartPin;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.GitOpsYaml;
import com.bridgeai.infra.modules.gitops.Manifests;
import com.bridgeai.infra.modules.gitops.Manifests.FluxKustomization;
import com.bridgeai.infra.modules.gitops.Manifests.HelmRepository;
import com.bridgeai.infra.modules.gitops.Manifests.KustomizeFile;
import com.bridgeai.infra.modules.gitops.Manifests.Manifest;
import com.bridgeai.infra.modules.gitops.Manifests.Namespace;
import com.bridgeai.infra.modules.gitops.Manifests.OciRepository;
import com.bridgeai.infra.modules.gitops.Manifests.ObjectMeta;
import com.bridgeai.infra.modules.gitops.Manifests.StorageClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The repository content Flux reconciles, as path → file text:
 * <pre>
 * &lt;fluxPath&gt;/        kustomization.yaml, infrastructure.yaml, apps.yaml (Flux Kustomizations);
 *                   node-pools.yaml with gpu_capacity: karpenter
 * infrastructure/   namespaces/ sources/ storage/ gpu/   (each with kustomization.yaml); karpenter/ with Karpenter
 * node-pools/       gpu/ (with Karpenter: the GPU EC2NodeClass and NodePool)
 * apps/             airflow/ mlflow/                     (HelmReleases, each with kustomization.yaml)
 *                   database/  (with RDS: the credentials job, the ClusterSecretStore, the apps' ExternalSecrets)
 * (the apps come from modules/apps, Apps.ALL: each brings its chart source, namespace and HelmRelease)
 * dags/             the folder git-sync hands to Airflow: README.md and the example GPU + MLflow DAG
 * </pre>
 * The {@code apps} Kustomization depends on {@code infrastructure}: charts need their sources,
 * namespaces and storage classes first. So does {@code node-pools}: Karpenter's CRDs come with its
 * HelmRelease in the infrastructure; the apps do not wait for the node pools (their servers run on
 * the system node group, and a GPU task simply waits for its node). Pure Java (no constructs), so it can be tested directly.
 */
public final class GitOpsTree {
    /** Annotation that keeps Flux from deleting an object when it leaves the repository. */
    static final Map<String, String> NO_PRUNE = Map.of("kustomize.toolkit.fluxcd.io/prune", "disabled");

    /** The Flux Kustomization (and folder) of the Karpenter node pools. */
    static final String NODE_POOLS = "node-pools";

    private GitOpsTree() {}

    public static SortedMap<String, String> render(GitOpsSpec spec) {
        SortedMap<String, String> files = new TreeMap<>();
        clusterKustomizations(spec, files);
        infrastructure(spec, files);
        apps(spec, files);
        if (spec.karpenter()) {
            writeFolders(NODE_POOLS, Map.of(ClusterContract.GPU_NODE_POOL, GpuNodePools.manifests(spec)), files);
        }
        files.put(Airflow.DAGS_FOLDER + "/README.md", dagsReadme(spec));
        files.put(Airflow.DAGS_FOLDER + "/" + Airflow.EXAMPLE_DAG, Airflow.exampleDag());
        return files;
    }

    private static void clusterKustomizations(GitOpsSpec spec, Map<String, String> files) {
        String dir = spec.fluxPath() + "/";
        files.put(dir + "infrastructure.yaml", yaml(new FluxKustomization(
                ObjectMeta.named("infrastructure", FLUX_NAMESPACE), "./infrastructure",
                "10m", "1m", "5m", true, true, List.of())));
        files.put(dir + "apps.yaml", yaml(new FluxKustomization(
                ObjectMeta.named("apps", FLUX_NAMESPACE), "./apps",
                // a first Airflow install (images, migrations) takes minutes
                "10m", "2m", "20m", true, true, List.of("infrastructure"))));
        if (spec.karpenter()) {
            // after the infrastructure (Karpenter's CRDs and controller); waits until the node class is
            // Ready (subnets, security group and AMI found, instance profile made)
            files.put(dir + NODE_POOLS + ".yaml", yaml(new FluxKustomization(
                    ObjectMeta.named(NODE_POOLS, FLUX_NAMESPACE), "./" + NODE_POOLS,
                    "10m", "1m", "5m", true, true, List.of("infrastructure"))));
            files.put(dir + "kustomization.yaml", kustomize("infrastructure.yaml", "apps.yaml", NODE_POOLS + ".yaml"));
        } else {
            files.put(dir + "kustomization.yaml", kustomize("infrastructure.yaml", "apps.yaml"));
        }
    }

    private static void infrastructure(GitOpsSpec spec, Map<String, String> files) {
        List<AppUnit> apps = Apps.enabled(spec);
        Map<String, List<Manifest>> folders = new LinkedHashMap<>();
        // kept on removal from git: deleting a namespace deletes its volumes
        List<Manifest> namespaces = new ArrayList<>(apps.stream().filter(AppUnit::ownsNamespace)
                .map(app -> (Manifest) new Namespace(ObjectMeta.named(app.namespace()).withAnnotations(NO_PRUNE)))
                .toList());
        if (spec.rdsDatabase()) {
            // the credentials job's (apps/database/)
            namespaces.add(new Namespace(ObjectMeta.named(DatabaseCredentials.NAMESPACE).withAnnotations(NO_PRUNE)));
        }
        folders.put("namespaces", namespaces);
        // one source per chart repository (two apps from one repository share it)
        folders.put("sources", apps.stream().map(app -> source(app.chart())).distinct().toList());
        List<Manifest> storage = new ArrayList<>();
        storage.add(new StorageClass(
                ObjectMeta.named(ClusterContract.EBS_CLASS).withAnnotations(map(
                        "storageclass.kubernetes.io/is-default-class", "true",
                        "kustomize.toolkit.fluxcd.io/force", "enabled")),
                "ebs.csi.aws.com",
                map("type", "gp3", "encrypted", "true", "fsType", "ext4"),
                "Delete",
                // bind where the pod lands: an EBS volume lives in one AZ
                "WaitForFirstConsumer",
                true));
        if (spec.hasEfs()) {
            storage.add(new StorageClass(
                    ObjectMeta.named(ClusterContract.EFS_CLASS).withAnnotations(Manifests.FORCE_RECREATE), // its parameters are immutable
                    "efs.csi.aws.com",
                    map("provisioningMode", "efs-ap", "fileSystemId", spec.efsFileSystemId(),
                            "directoryPerms", "700", "basePath", "/dynamic"),
                    "Delete",
                    "Immediate",
                    false));
        }
        folders.put("storage", storage);
        releases("infrastructure", apps, spec, folders);
        writeFolders("infrastructure", folders, files);
    }

    private static void apps(GitOpsSpec spec, Map<String, String> files) {
        Map<String, List<Manifest>> folders = new LinkedHashMap<>();
        releases("apps", Apps.enabled(spec), spec, folders);
        if (spec.rdsDatabase()) {
            // after the infrastructure: the External Secrets CRDs come with its HelmRelease
            folders.put("database", DatabaseCredentials.manifests(spec));
        }
        writeFolders("apps", folders, files);
    }

    /** Each app placed under {@code root}: its HelmRelease in its folder. */
    private static void releases(String root, List<AppUnit> apps, GitOpsSpec spec, Map<String, List<Manifest>> folders) {
        for (AppUnit app : apps) {
            if (app.placement().root().equals(root)) {
                folders.computeIfAbsent(app.placement().folder(), f -> new ArrayList<>()).add(app.release(spec));
            }
        }
    }

    /** One file per object (named after it) plus each folder's and the parent's kustomization.yaml. */
    private static void writeFolders(String root, Map<String, List<Manifest>> folders, Map<String, String> files) {
        for (Map.Entry<String, List<Manifest>> folder : folders.entrySet()) {
            List<String> names = new ArrayList<>();
            for (Manifest m : folder.getValue()) {
                String name = fileName(m);
                names.add(name);
                files.put(root + "/" + folder.getKey() + "/" + name, yaml(m));
            }
            files.put(root + "/" + folder.getKey() + "/kustomization.yaml", kustomize(names.toArray(String[]::new)));
        }
        files.put(root + "/kustomization.yaml", kustomize(folders.keySet().toArray(String[]::new)));
    }

    private static String fileName(Manifest m) {
        String kind = switch (m.kind()) {
            case "HelmRelease" -> "helmrelease";
            case "HelmRepository" -> "helmrepository";
            case "OCIRepository" -> "ocirepository";
            case "StorageClass" -> "storageclass";
            case "Namespace" -> "namespace";
            default -> m.kind().toLowerCase();
        };
        return m.metadata().name() + "-" + kind + ".yaml";
    }

    /**
     * A chart's source: its repository's HelmRepository, or for a chart in an OCI registry an
     * OCIRepository of that chart at its exact version (Flux's recommended source for OCI charts,
     * source-controller docs; a HelmRepository of {@code type: oci} would also work but is the older path).
     */
    private static Manifest source(ChartPin pin) {
        if (pin.oci()) {
            return new OciRepository(ObjectMeta.named(pin.repositoryName(), FLUX_NAMESPACE), pin.ociArtifact(), pin.version(), "12h");
        }
        return new HelmRepository(ObjectMeta.named(pin.repositoryName(), FLUX_NAMESPACE), pin.repositoryUrl(), "12h");
    }

    private static String yaml(Manifest m) {
        return GitOpsYaml.dump(m.toMap());
    }

    private static String kustomize(String... resources) {
        return GitOpsYaml.dump(new KustomizeFile(List.of(resources)).toMap());
    }

    /** An ordered string map (Map.of iterates in a per-JVM random order; the files must not change between runs). */
    private static Map<String, String> map(String... keysAndValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    private static String dagsReadme(GitOpsSpec spec) {
        ClusterContract.Taint taint = ClusterContract.gpuTaint();
        String gpuTaint = taint.key() + "=" + taint.value() + ":" + taint.effect();
        return "# Airflow DAGs (" + spec.environment() + ")\n\n"
                + "Python files committed to this folder on branch `" + spec.branch() + "` are synced into Airflow\n"
                + "by git-sync within seconds (read-only deploy key, pinned github.com host keys).\n"
                + "Tasks run as Kubernetes pods (KubernetesExecutor) in Airflow's image, which has no CUDA: GPU work\n"
                + "runs in a pod of its own, in an image with CUDA, that asks for `nvidia.com/gpu` and tolerates\n"
                + "the `" + gpuTaint + "` taint of GPU nodes (`@task.kubernetes` with a\n"
                + "`pod_template_dict`, as in the example below).\n"
                + "MLflow is reachable from tasks at `" + Mlflow.URL + "` (MLFLOW_TRACKING_URI is set).\n\n"
                + "`" + Airflow.EXAMPLE_DAG + "` (DAG `" + Airflow.EXAMPLE_DAG_ID + "`) is a worked example: a pod in a\n"
                + "pinned PyTorch image that asks for one GPU and tolerates the `nvidia.com/gpu` taint, logs\n"
                + "parameters, metrics and an artifact to MLflow, then a CPU task that reads the run back.\n"
                + "Unpause and trigger it in the UI, or with `kubectl -n airflow exec deploy/airflow-scheduler -c scheduler --\n"
                + "airflow dags unpause " + Airflow.EXAMPLE_DAG_ID + "` and `... airflow dags trigger " + Airflow.EXAMPLE_DAG_ID + "`.\n"
                + "Everything outside this folder, this README and the example are written by Terraform\n"
                + "(bridgeai-infra; a change here is overwritten at its next apply): edit them there, or copy the\n"
                + "example under another name.\n";
    }
}
