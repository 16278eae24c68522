package com.bridgeai.infra.modules.gitops;

/**
 * What the GitOps tree is rendered from. String values may be cdktf tokens of the EKS stack
 * (bucket, role ARN, file system id); they end up double-quoted in the YAML.
 *
 * @param environment          env name (labels, descriptions)
 * @param fluxPath             folder of this cluster's Flux Kustomizations, e.g. clusters/test
 * @param dagsRepository       git-sync's SSH address of the repository, {@code git@github.com:owner/repo.git}
 * @param branch               branch Flux and git-sync follow
 * @param region               AWS region (MLflow's S3 client)
 * @param mlflowArtifactBucket S3 bucket of MLflow's artifacts
 * @param mlflowRoleArn        IRSA role of the mlflow/mlflow service account
 * @param efsFileSystemId      EFS file system for the efs-ap class; empty: no EFS class, no RWX volumes
 * @param tolerateGpuTaint     the only node group is tainted nvidia.com/gpu: every pod must tolerate it
 * @param nvidiaDevicePlugin   install NVIDIA's device plugin (GPU images without one of their own:
 *                             AL2 GPU, AL2023 NVIDIA; not Bottlerocket NVIDIA, whose OS runs it, nor non-GPU images)
 * @param appsDatabaseHost     the RDS instance Airflow and MLflow keep their metadata in (credentials
 *                             in the Kubernetes secrets the flux stack writes); empty: the charts'
 *                             bundled PostgreSQL
 */
public record GitOpsSpec(
        String environment,
        String fluxPath,
        String dagsRepository,
        String branch,
        String region,
        String mlflowArtifactBucket,
        String mlflowRoleArn,
        String efsFileSystemId,
        boolean tolerateGpuTaint,
        boolean nvidiaDevicePlugin,
        String appsDatabaseHost) {

    /** Secret (namespace airflow) holding git-sync's read-only deploy key; written by the flux stack. */
    public static final String GIT_SYNC_SECRET = "airflow-git-sync";
    /** Key inside that secret the Airflow chart mounts as git-sync's SSH key. */
    public static final String GIT_SYNC_SECRET_KEY = "gitSshKey";
    /** Folder of the repository that git-sync hands to Airflow as its DAG folder. */
    public static final String DAGS_FOLDER = "dags";

    /** Secret (namespace airflow) with key {@value #AIRFLOW_METADATA_SECRET_KEY}: the metadata DB connection URL; written by the flux stack. */
    public static final String AIRFLOW_METADATA_SECRET = "airflow-metadata";
    /** The key the Airflow chart reads from {@code data.metadataSecretName}. */
    public static final String AIRFLOW_METADATA_SECRET_KEY = "connection";
    /** Secret (namespace mlflow) with keys username and password for MLflow's backend store; written by the flux stack. */
    public static final String MLFLOW_DATABASE_SECRET = "mlflow-database";

    /** True when the apps use the env's RDS instance (apps_database: rds). */
    public boolean rdsDatabase() {
        return appsDatabaseHost != null && !appsDatabaseHost.isEmpty();
    }

    public boolean hasEfs() {
        return efsFileSystemId != null && !efsFileSystemId.isEmpty();
    }
}
