package com.bridgeai.infra.stacks;

import com.bridgeai.infra.Timings;
import com.bridgeai.infra.config.EnvConfig;
import java.util.Optional;
import software.constructs.Construct;

/**
 * Builds every stack of one environment. Deploy order state → vpc → eks follows from the
 * cross-stack references (eks reads the vpc stack's outputs); the state stack must exist
 * before any other stack can initialise its backend, hence the explicit dependency.
 * github → flux come after eks (GitOpsStacks), only for envs with github_owner.
 */
public record EnvironmentStacks(StateStack state, VpcStack vpc, EksStack eks, Optional<GitOpsStacks> gitops) {

    public static EnvironmentStacks add(Construct app, EnvConfig env) {
        StateStack state = new StateStack(app, env);
        Timings.mark("stack:" + state.unit.id());
        VpcStack vpc = new VpcStack(app, env);
        vpc.addDependency(state);
        Timings.mark("stack:" + vpc.unit.id());
        EksStack eks = new EksStack(app, env, vpc);
        eks.addDependency(vpc);
        Timings.mark("stack:" + eks.unit.id());
        Optional<GitOpsStacks> gitops = GitOpsStacks.add(app, env, eks.clusterRefs(), eks);
        Timings.mark("stack:gitops");
        return new EnvironmentStacks(state, vpc, eks, gitops);
    }
}
