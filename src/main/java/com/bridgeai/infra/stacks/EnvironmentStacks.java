package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import software.constructs.Construct;

/** Builds every stack of one environment, wired in deploy order (state, vpc, eks, github, flux). */
public record EnvironmentStacks(StateStack state) {

    public static EnvironmentStacks add(Construct app, EnvConfig env) {
        StateStack state = new StateStack(app, env);
        return new EnvironmentStacks(state);
    }
}
