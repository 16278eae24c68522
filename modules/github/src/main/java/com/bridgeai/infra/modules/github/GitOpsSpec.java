package com.bridgeai.infra.modules.github;

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
        boolean tolerateGpuTaint) {

    /** The taint key GPU node groups carry (EKS GPU AMIs / the lead's gpu_taint). */
    public static final String GPU_TAINT_KEY = "nvidia.com/gpu";
    /** Secret (namespace airflow) holding git-sync's read-only deploy key; written by the flux stack. */
    public static final String GIT_SYNC_SECRET = "airflow-git-sync";
    /** Key inside that secret the Airflow chart mounts as git-sync's SSH key. */
    public static final String GIT_SYNC_SECRET_KEY = "gitSshKey";
    /** Folder of the repository that git-sync hands to Airflow as its DAG folder. */
    public static final String DAGS_FOLDER = "dags";

    public boolean hasEfs() {
        return efsFileSystemId != null && !efsFileSystemId.isEmpty();
    }
}
