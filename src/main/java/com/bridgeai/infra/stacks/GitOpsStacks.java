package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import com.hashicorp.cdktf.TerraformStack;
import java.util.Optional;
import software.constructs.Construct;

/** The GitOps half of an environment: {@code <env>-github}, then {@code <env>-flux}. */
public record GitOpsStacks(GithubStack github, FluxStack flux) {

    /**
     * Adds both stacks after {@code clusterStack} (the EKS stack that produced {@code cluster}).
     * None for an env without {@code github_owner}, and none for the emulated env: the emulator
     * has no real Kubernetes API and GitHub is not emulated.
     */
    public static Optional<GitOpsStacks> add(Construct scope, EnvConfig env, ClusterRefs cluster, TerraformStack clusterStack) {
        if (env.gitops().isEmpty() || env.emulated()) {
            return Optional.empty();
        }
        GithubStack github = new GithubStack(scope, env, cluster);
        // the cross-stack references imply these too, unless a ClusterRefs value is a literal
        github.addDependency(clusterStack);
        FluxStack flux = new FluxStack(scope, env, cluster, github);
        flux.addDependency(clusterStack);
        return Optional.of(new GitOpsStacks(github, flux));
    }
}
