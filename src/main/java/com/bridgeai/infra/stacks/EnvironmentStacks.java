package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import java.util.Optional;
import software.constructs.Construct;

/** Builds every stack of one environment, wired in deploy order (state, vpc, eks, github, flux). */
public record EnvironmentStacks(StateStack state, Optional<GitOpsStacks> gitops) {

    public static EnvironmentStacks add(Construct app, EnvConfig env) {
        StateStack state = new StateStack(app, env);
        // github + flux need the EKS stack: GitOpsStacks.add(app, env, eks.clusterRefs(), eks)
        Optional<GitOpsStacks> gitops = Optional.empty();
        return new EnvironmentStacks(state, gitops);
    }
}
