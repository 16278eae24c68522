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
 * "account":..., "profile":..., "plan_role":..., "apply_role":..., "github_environment":...}, ...]}}
 * on one line.
 */
public final class CiEnvs {
    private CiEnvs() {}

    public static void main(String[] args) {
        System.exit(run(Set.of(args), System.getenv(), System.out, System.err));
    }

    static int run(Set<String> only, Map<String, String> environment, PrintStream out, PrintStream err) {
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
        for (EnvConfig env : envs) {
            if (env.emulated() || env.ci().isEmpty() || (!only.isEmpty() && !only.contains(env.name()))) {
                continue; // CI cannot reach an emulator on a laptop; without CI keys there is no role
            }
            EnvConfig.Ci ci = env.ci().get();
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
        }
        out.println(matrix.toString());
        return 0;
    }
}
