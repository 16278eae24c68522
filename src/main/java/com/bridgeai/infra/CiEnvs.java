package com.bridgeai.infra;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.bridgeai.infra.config.InvalidConfigException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The GitHub Actions matrix of the envs CI deploys (bin/ci-envs): every valid env with
 * {@code ci_github_repository} that is not emulated, with what a job needs to reach it. No jsii,
 * no synth: it only loads and validates the env files (all of them, like the synth).
 *
 * <p>Arguments: env names to keep (none: all). Output: {@code {"include":[{"env":..., "region":...,
 * "account":..., "profile":..., "plan_role":..., "apply_role":..., "github_environment":...,
 * "runs_on":"[\\"ubuntu-24.04\\"]"}, ...]}} on one line; {@code --stage=first|promoted} the deploy
 * workflow's apply stages.
 */
public final class CiEnvs {
    private CiEnvs() {}

    /** The deploy workflow's two apply stages (ci_promote_after). */
    public enum Stage { ALL, FIRST, PROMOTED }

    public static void main(String[] args) {
        Stage stage = Stage.ALL;
        java.util.Set<String> only = new java.util.TreeSet<>();
        for (String arg : args) {
            if (arg.startsWith("--stage=")) {
                stage = Stage.valueOf(arg.substring("--stage=".length()).toUpperCase(java.util.Locale.ROOT));
            } else {
                only.add(arg);
            }
        }
        System.exit(run(only, stage, System.getenv(), System.out, System.err));
    }

    static int run(Set<String> only, Map<String, String> environment, PrintStream out, PrintStream err) {
        return run(only, Stage.ALL, environment, out, err);
    }

    /**
     * {@code stage}: FIRST leaves out the envs promoted after an env of this selection (they wait
     * for its apply), PROMOTED keeps only those; an env promoted after an env this change does not
     * touch has nothing to wait for: FIRST.
     */
    static int run(Set<String> only, Stage stage, Map<String, String> environment, PrintStream out, PrintStream err) {
        Path envRoot = Path.of(environment.getOrDefault("BRIDGEAI_ENV_ROOT", "env"));
        java.util.List<EnvConfig> envs;
        try {
            envs = EnvConfigLoader.loadAll(envRoot, Set.of());
        } catch (InvalidConfigException e) {
            err.println("bridgeai-infra: invalid environment configuration (" + e.errors().size() + " problems):");
            e.errors().forEach(problem -> err.println("  " + problem));
            return Main.EXIT_INVALID_CONFIG;
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode matrix = json.createObjectNode();
        ArrayNode include = matrix.putArray("include");
        java.util.Set<String> selected = new java.util.TreeSet<>();
        for (EnvConfig env : envs) {
            if (!env.emulated() && env.ci().isPresent() && (only.isEmpty() || only.contains(env.name()))) {
                selected.add(env.name());
            }
        }
        for (EnvConfig env : envs) {
            if (!selected.contains(env.name())) {
                continue; // CI cannot reach an emulator on a laptop; without CI keys there is no role
            }
            EnvConfig.Ci ci = env.ci().get();
            boolean waits = ci.promoteAfter().filter(selected::contains).isPresent();
            if ((stage == Stage.FIRST && waits) || (stage == Stage.PROMOTED && !waits)) {
                continue;
            }
            ObjectNode row = include.addObject();
            row.put("env", env.name());
            row.put("region", env.project().region());
            row.put("account", ci.awsAccountId());
            // the synthesized provider and backend name this profile: the job writes the role's
            // credentials under it (configure-aws-credentials aws-profile)
            row.put("profile", env.project().profile());
            row.put("plan_role", "arn:aws:iam::" + ci.awsAccountId() + ":role/" + env.ciRoleName("plan"));
            row.put("apply_role", "arn:aws:iam::" + ci.awsAccountId() + ":role/" + env.ciRoleName("apply"));
            row.put("github_environment", ci.githubEnvironment());
            row.put("plan_environment", ci.planEnvironment());
            row.put("plans_key", env.ciPlansKeyAlias());
            // runs-on of the env's plan/apply/drift jobs, as JSON (the workflows read it with fromJSON)
            row.put("runs_on", json.valueToTree(ci.runnerLabels()).toString());
        }
        out.println(matrix.toString());
        return 0;
    }
}
