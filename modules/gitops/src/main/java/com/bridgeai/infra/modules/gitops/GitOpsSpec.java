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
 *                             (never with {@code gpuNodePool}: there the system node group is untainted)
 * @param nvidiaDevicePlugin   install NVIDIA's device plugin (GPU images without one of their own:
 *                             AL2 GPU, AL2023 NVIDIA; not Bottlerocket NVIDIA, whose OS runs it, nor non-GPU images)
 * @param appsDatabase         the RDS instance Airflow and MLflow keep their metadata in and where
 *                             their credentials live (Secrets Manager, synced by External Secrets);
 *                             null: the charts' bundled PostgreSQL
 * @param gpuNodePool          the Karpenter GPU pool and Karpenter's AWS side (gpu_capacity: karpenter); null:
 *                             GPU capacity is the managed node group (gpu_capacity: node_group)
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
        DatabaseAccess appsDatabase,
        GpuNodePool gpuNodePool) {
    public GitOpsSpec {
        if (gpuNodePool != null && tolerateGpuTaint) {
            throw new IllegalArgumentException("tolerateGpuTaint: expected false with a Karpenter GPU pool (the system pods"
                    + " run on the untainted system node group and only GPU work tolerates the pool's taint), found true");
        }
    }

    /** True when Karpenter provides the GPU nodes and the system runs on the system node group. */
    public boolean karpenter() {
        return gpuNodePool != null;
    }

    /** True when the apps use the env's RDS instance (apps_database: rds). */
    public boolean rdsDatabase() {
        return appsDatabase != null;
    }

    /** The RDS instance's address, "" with the bundled PostgreSQL. */
    public String appsDatabaseHost() {
        return appsDatabase == null ? "" : appsDatabase.host();
    }

    public boolean hasEfs() {
        return efsFileSystemId != null && !efsFileSystemId.isEmpty();
    }
}
