package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfig.GitOps;
import com.bridgeai.infra.modules.flux.FluxModule;
import com.bridgeai.infra.modules.flux.FluxModuleProps;
import com.bridgeai.infra.modules.flux.FluxRelease;
import com.bridgeai.infra.modules.github.GithubModule;
import java.util.Optional;
import software.constructs.Construct;

/**
 * {@code <env>-flux}: Flux (Flux Operator + FluxInstance) on the EKS cluster, syncing the github
 * stack's repository. Takes the cluster from {@link ClusterRefs} and the deploy keys from the github stack, both as
 * cross-stack references (cdktf marks those outputs sensitive). No AWS resources, so no AWS
 * provider; the kubernetes/helm providers get their token from {@code aws eks get-token}.
 */
public final class FluxStack extends EnvStack {
    private final FluxModule module;

    public FluxStack(Construct scope, EnvConfig env, ClusterRefs cluster, GithubStack github) {
        super(scope, env, StackUnit.FLUX);
        GitOps gitops = env.gitops().orElseThrow(
                () -> new IllegalArgumentException(env.file() + ": the flux stack needs github_owner"));
        useRemoteState();
        GithubModule repo = github.module();
        // the config loader has refused Kubernetes versions no pinned Flux release supports
        FluxRelease release = FluxRelease.forKubernetes(env.cluster().kubernetesVersion()).orElseThrow(
                () -> new IllegalArgumentException("no pinned Flux release supports Kubernetes "
                        + env.cluster().kubernetesVersion() + " (" + FluxRelease.supported() + ")"));
        module = new FluxModule(this, "flux", new FluxModuleProps(
                release,
                cluster.clusterName(),
                cluster.endpoint(),
                cluster.certificateAuthority(),
                env.project().region(),
                env.emulated() ? Optional.empty() : Optional.of(env.project().profile()),
                repo.repositorySshUrl(),
                repo.branch(),
                repo.fluxPath(),
                repo.fluxPrivateKeyPem(),
                repo.fluxPublicKeyOpenssh(),
                repo.gitSyncPrivateKeyOpenssh(),
                gitops.imageAutomation(),
                // with Karpenter, Flux runs on the untainted system node group (and selects it)
                env.cluster().nodeGroup().gpuTaint() && env.cluster().karpenter().isEmpty(),
                env.cluster().karpenter().isPresent()));
        // implied by the references above; explicit so the order survives a refactoring
        addDependency(github);
    }

    public FluxModule module() {
        return module;
    }
}
