package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.AppConfig;
import java.nio.file.Path;
import java.util.Set;

/**
 * The app's synth (all envs of env/, as Main does) for tests that need a separate process,
 * e.g. with a canary GITHUB_TOKEN in its environment. Until EnvironmentStacks wires the
 * GitOps stacks to the real EKS stack, it adds them after a stand-in EKS stack.
 *   usage: SynthHarness &lt;outdir&gt;
 */
public final class SynthHarness {
    private SynthHarness() {}

    public static void main(String[] args) {
        App app = new App(AppConfig.builder().outdir(Path.of(args[0]).toString()).build());
        for (EnvConfig env : EnvConfigLoader.loadAll(Path.of("env"), Set.of())) {
            EnvironmentStacks stacks = EnvironmentStacks.add(app, env);
            if (stacks.gitops().isEmpty() && env.gitops().isPresent() && !env.emulated()) {
                StandInEksStack eks = new StandInEksStack(app, env, true);
                GitOpsStacks.add(app, env, eks.refs, eks);
            }
        }
        app.synth();
    }
}
