package com.bridgeai.infra;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.bridgeai.infra.config.InvalidConfigException;
import com.bridgeai.infra.config.KeyLines;
import com.bridgeai.infra.preflight.AwsCli;
import com.bridgeai.infra.preflight.BucketNames;
import com.bridgeai.infra.preflight.DbInstanceClass;
import com.bridgeai.infra.preflight.ElasticIps;
import com.bridgeai.infra.preflight.Finding;
import com.bridgeai.infra.preflight.InstanceOfferings;
import com.bridgeai.infra.preflight.PublicAccessCidrs;
import com.bridgeai.infra.preflight.VcpuQuota;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * bin/preflight: before an env's first deploy, what only the account knows (quotas, offerings,
 * taken names) and one offline rule (public_access_cidrs), one line per check, read-only. Loads
 * the env like the synth does (every env file validated, the same file:line: key errors).
 *
 * <p>Exit codes: 0 no blocker (warnings allowed), 1 at least one blocker, 2 invalid env files or usage.
 */
public final class Preflight {
    static final int EXIT_BLOCKER = 1;
    /** How many checks ask the account at once: each is a few AWS CLI starts (~0.5 s of CPU each). */
    static final int PARALLEL_CHECKS = 3;

    private Preflight() {}

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.size() != 1 || args.get(0).startsWith("-")) {
            err.println("usage: bin/preflight <env>   (the env's folder name under env/, e.g. prod)");
            return Main.EXIT_INVALID_CONFIG;
        }
        Path envRoot = Path.of(environment.getOrDefault("BRIDGEAI_ENV_ROOT", "env"));
        EnvConfig env;
        try {
            env = EnvConfigLoader.loadAll(envRoot, Set.of(args.get(0))).get(0);
        } catch (InvalidConfigException e) {
            err.println("bridgeai-infra: invalid environment configuration (" + e.errors().size() + " problems):");
            e.errors().forEach(problem -> err.println("  " + problem));
            return Main.EXIT_INVALID_CONFIG;
        }
        KeyLines lines = KeyLines.of(env.file());
        String region = env.project().region();

        // how the CLI reaches the account: the emulated env's endpoint with the static test
        // credentials its provider uses; a real env's profile (AWS_ENDPOINT_URL, when set, is passed on
        // explicitly so that an older CLI that ignores it cannot silently ask real AWS instead)
        Map<String, String> cliEnv = new HashMap<>(environment);
        cliEnv.put("AWS_PAGER", "");
        Optional<String> profile;
        Optional<String> endpoint;
        if (env.emulated()) {
            profile = Optional.empty();
            endpoint = env.emulatorEndpoint();
            cliEnv.remove("AWS_PROFILE");
            cliEnv.put("AWS_ACCESS_KEY_ID", "test");
            cliEnv.put("AWS_SECRET_ACCESS_KEY", "test");
            cliEnv.remove("AWS_SESSION_TOKEN");
        } else {
            profile = Optional.of(env.project().profile());
            endpoint = Optional.ofNullable(environment.get("AWS_ENDPOINT_URL")).filter(s -> !s.isBlank());
        }
        AwsCli aws = new AwsCli(region, profile, endpoint, cliEnv);
        String cli = "--region " + region + profile.map(p -> " --profile " + p).orElse("")
                + endpoint.map(e -> " --endpoint-url " + e).orElse("");

        out.println("preflight " + env.name() + ": " + env.file() + ", region " + region
                + profile.map(p -> ", profile " + p).orElse("")
                + endpoint.map(e -> ", endpoint " + e + " (not AWS: an emulator answers only some checks)").orElse(""));
        List<Finding> findings = new ArrayList<>();
        findings.add(PublicAccessCidrs.judge(lines.at("public_access_cidrs"), env.cluster().publicAccessCidrs(),
                env.cluster().endpointPublicAccess(), env.emulated()));

        AwsCli.Answer identity = aws.call("sts", "get-caller-identity");
        Path projectRoot = envRoot.toAbsolutePath().normalize().getParent();
        List<String> asking = List.of(VcpuQuota.CHECK, InstanceOfferings.CHECK, DbInstanceClass.CHECK, BucketNames.CHECK,
                ElasticIps.CHECK);
        if (!identity.ok()) {
            findings.add(Finding.blocker("account", lines.at("profile"), "cannot reach the account: " + identity.error()
                    + ". Change: log in (aws sso login --profile " + env.project().profile() + ", or credentials for that"
                    + " profile), or the profile key"));
            asking.forEach(check -> findings.add(Finding.warn(check, "", "not run: the account did not answer (see the"
                    + " account line)")));
        } else {
            String account = identity.body().path("Account").asText();
            findings.add(accountFinding(env, lines, account, identity.body().path("Arn").asText()));
            // the expected owner of the env's buckets; moto ignores it, AWS answers 403 for a bucket of another account
            Optional<String> owner = Optional.of(account).filter(a -> a.matches("\\d{12}"));
            List<Supplier<Finding>> checks = new ArrayList<>(List.of(
                    () -> VcpuQuota.check(aws, env, lines, cli),
                    () -> InstanceOfferings.check(aws, env, lines),
                    () -> DbInstanceClass.check(aws, env, lines),
                    () -> BucketNames.check(aws, env, lines, owner, projectRoot),
                    () -> ElasticIps.check(aws, env, lines, cli)));
            // gpu_capacity: karpenter: the system node group's types too (everything but GPU work runs there)
            env.cluster().karpenter().ifPresent(k -> checks.add(
                    () -> InstanceOfferings.check(aws, env, lines, "system_instance_types", k.systemInstanceTypes())));
            findings.addAll(inParallel(checks));
        }
        findings.forEach(out::println);
        long blockers = findings.stream().filter(f -> f.level() == Finding.Level.BLOCKER).count();
        long warnings = findings.stream().filter(f -> f.level() == Finding.Level.WARN).count();
        out.println(env.name() + ": " + blockers + " blocker(s), " + warnings + " warning(s)"
                + (blockers > 0 ? ": change what the BLOCKER lines say before the first deploy" : ""));
        return blockers > 0 ? EXIT_BLOCKER : 0;
    }

    /** The account the profile reaches, and whether it is the one the env's CI keys name. */
    static Finding accountFinding(EnvConfig env, KeyLines lines, String account, String arn) {
        if (env.ci().isPresent() && !env.ci().get().awsAccountId().equals(account)) {
            return Finding.blocker("account", lines.at("ci_aws_account_id"), "the profile reaches account " + account
                    + " (" + arn + "), but ci_aws_account_id is " + env.ci().get().awsAccountId() + ": the env would be"
                    + " deployed where its CI roles do not point. Change: the profile key, or ci_aws_account_id");
        }
        return Finding.ok("account", lines.at("profile"), account + " (" + arn + ")");
    }

    private static List<Finding> inParallel(List<Supplier<Finding>> checks) {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_CHECKS);
        try {
            List<Future<Finding>> futures = new ArrayList<>();
            checks.forEach(c -> futures.add(pool.submit(c::get)));
            List<Finding> results = new ArrayList<>();
            for (Future<Finding> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
