package com.bridgeai.infra.modules.github;

import com.bridgeai.infra.modules.gitops.DatabaseAccess;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.GpuNodePool;
import java.util.Set;

/**
 * What {@link GithubModule} needs.
 *
 * @param environment      env name (titles, commit messages, the README)
 * @param owner            GitHub organisation or user
 * @param repository       repository name
 * @param branch           branch Flux follows and the files are committed to
 * @param visibility       private | internal | public
 * @param createRepository true: create the repository; false: look up an existing one
 * @param imageAutomation  true: Flux's deploy key may push (image update automation)
 * @param fluxPath         folder of the cluster's Flux Kustomizations, e.g. clusters/test
 * @param cluster          values from the EKS stack (tokens) for the app manifests
 */
public record GithubModuleProps(
        String environment,
        String owner,
        String repository,
        String branch,
        String visibility,
        boolean createRepository,
        boolean imageAutomation,
        String fluxPath,
        ClusterInputs cluster) {

    /** GitHub's repository visibilities (the config loader checks gitops_visibility against the same set). */
    public static final Set<String> VISIBILITIES = Set.of("private", "internal", "public");

    public GithubModuleProps {
        if (!VISIBILITIES.contains(visibility)) {
            throw new IllegalArgumentException("visibility: expected private, internal or public, found " + visibility);
        }
    }

    /**
     * @param region               AWS region
     * @param mlflowArtifactBucket S3 bucket for MLflow artifacts
     * @param mlflowRoleArn        IRSA role of MLflow's service account
     * @param efsFileSystemId      EFS file system, "" for none
     * @param gpuTainted           the node group carries the nvidia.com/gpu NoSchedule taint
     * @param nvidiaDevicePlugin   the node image needs NVIDIA's device plugin from the cluster
     * @param appsDatabase         the apps' RDS instance and credentials, null for the charts' bundled PostgreSQL
     * @param gpuNodePool          the Karpenter GPU pool (gpu_capacity: karpenter), null for the managed GPU node group
     */
    public record ClusterInputs(
            String region, String mlflowArtifactBucket, String mlflowRoleArn, String efsFileSystemId, boolean gpuTainted,
            boolean nvidiaDevicePlugin, DatabaseAccess appsDatabase, GpuNodePool gpuNodePool) {}

    /** git-sync's address of the repository (scp-like form, as the Airflow chart documents it). */
    public String dagsRepository() {
        return "git@github.com:" + owner + "/" + repository + ".git";
    }

    public GitOpsSpec gitOpsSpec() {
        return new GitOpsSpec(environment, fluxPath, dagsRepository(), branch, cluster.region(),
                cluster.mlflowArtifactBucket(), cluster.mlflowRoleArn(), cluster.efsFileSystemId(), cluster.gpuTainted(),
                cluster.nvidiaDevicePlugin(), cluster.appsDatabase(), cluster.gpuNodePool());
    }
}
