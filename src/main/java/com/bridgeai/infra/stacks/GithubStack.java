package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfig.GitOps;
import com.bridgeai.infra.modules.aws.eks.GpuFamily;
import com.bridgeai.infra.modules.github.GithubModule;
import com.bridgeai.infra.modules.gitops.GpuNodePool;
import com.bridgeai.infra.modules.github.GithubModuleProps;
import com.bridgeai.infra.modules.github.GithubModuleProps.ClusterInputs;
import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import com.hashicorp.cdktf.providers.github.provider.GithubProvider;
import com.hashicorp.cdktf.providers.github.provider.GithubProviderConfig;
import com.hashicorp.cdktf.providers.tls.provider.TlsProvider;
import software.constructs.Construct;

/**
 * {@code <env>-github}: the GitOps repository, its deploy keys and the GitOps tree. The GitHub
 * provider reads its token from {@code GITHUB_TOKEN} itself; no token is ever configured here.
 * No AWS resources, so no AWS provider (the backend and remote-state reads use the env profile).
 */
public final class GithubStack extends EnvStack {
    private final GithubModule module;

    public GithubStack(Construct scope, EnvConfig env, ClusterRefs cluster) {
        super(scope, env, StackUnit.GITHUB);
        GitOps gitops = env.gitops().orElseThrow(
                () -> new IllegalArgumentException(env.file() + ": the github stack needs github_owner"));
        useRemoteState();
        new GithubProvider(this, "github", GithubProviderConfig.builder().owner(gitops.owner()).build());
        new TlsProvider(this, "tls");
        addOverride("terraform.required_providers.github.version", GithubModule.GITHUB_PROVIDER_VERSION);
        addOverride("terraform.required_providers.tls.version", GithubModule.TLS_PROVIDER_VERSION);

        module = new GithubModule(this, "gitops", new GithubModuleProps(
                env.name(),
                gitops.owner(),
                gitops.repository(),
                gitops.branch(),
                gitops.visibility(),
                gitops.createRepository(),
                gitops.imageAutomation(),
                gitops.fluxPath(),
                new ClusterInputs(
                        env.project().region(),
                        cluster.mlflowArtifactBucket(),
                        cluster.mlflowRoleArn(),
                        cluster.efsFileSystemId(),
                        // with Karpenter the system node group is untainted: only GPU work tolerates the pool's taint
                        env.cluster().nodeGroup().gpuTaint() && env.cluster().karpenter().isEmpty(),
                        GpuFamily.of(env.cluster().nodeGroup().amiType()) == GpuFamily.NVIDIA_DEVICE_PLUGIN,
                        cluster.appsDatabase().orElse(null),
                        env.cluster().karpenter().map(k -> gpuNodePool(env, k, cluster)).orElse(null))));

        new TerraformOutput(this, "gitops_repository", TerraformOutputConfig.builder()
                .value(module.repositoryFullName())
                .description("owner/name of the repository Flux syncs from")
                .build());
    }

    /** The Karpenter GPU pool of a {@code gpu_capacity: karpenter} env: its env keys and the eks stack's roles and queue. */
    private GpuNodePool gpuNodePool(EnvConfig env, EnvConfig.Karpenter k, ClusterRefs cluster) {
        ClusterRefs.KarpenterRefs aws = cluster.karpenter().orElseThrow(() -> new IllegalStateException(
                env.file() + ": gpu_capacity: karpenter, but the eks stack created no Karpenter roles and queue"));
        EnvConfig.NodeGroup gpu = env.cluster().nodeGroup();
        return new GpuNodePool(env.clusterName(), aws.controllerRoleArn(), aws.nodeRoleName(), aws.interruptionQueueName(),
                gpu.instanceTypes(), gpu.capacityType().equals("SPOT") ? "spot" : "on-demand", k.amiAlias(), k.architecture(),
                gpu.diskSizeGib(), k.consolidateAfter(), k.gpuLimit(),
                GpuFamily.of(gpu.amiType()) == GpuFamily.NVIDIA_DEVICE_PLUGIN, defaultTags(), k.systemNodeCount());
    }

    public GithubModule module() {
        return module;
    }
}
