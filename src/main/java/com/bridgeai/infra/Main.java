package com.bridgeai.infra;

import com.bridgeai.infra.config.ConfigWarning;
import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.bridgeai.infra.config.InvalidConfigException;
import com.bridgeai.infra.guardrails.GuardRails;
import com.bridgeai.infra.stacks.EnvironmentStacks;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.AppConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The cdktf app (cdktf.json "app"): loads and validates every env/<name>/env.yaml, then
 * synthesizes the stacks of all environments in one App, in one JVM and one jsii kernel.
 *
 * <p>Environment variables: {@code BRIDGEAI_ENV_ROOT} (default {@code env}),
 * {@code BRIDGEAI_ENVS} (comma-separated names; default all), {@code BRIDGEAI_OUTDIR}
 * (bin/synth passes the cdktf CLI's {@code CDKTF_OUTDIR} here; default {@code cdktf.out}),
 * {@code BRIDGEAI_TODAY} ({@code YYYY-MM-DD}: the day the EKS version calendar's warnings are
 * computed for; default today, UTC).
 */
public final class Main {
    /** Exit code for invalid env files (user error; no stack trace). */
    static final int EXIT_INVALID_CONFIG = 2;
    /** Exit code for a synth whose output breaks a guard rail (nothing written). */
    static final int EXIT_GUARD_RAILS = 3;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out, System.err));
    }

    /**
     * The whole command, given its environment variables: validate every env file, then
     * synthesize. Returns the exit code (0, or {@link #EXIT_INVALID_CONFIG} with every
     * problem printed to {@code err} and nothing written).
     */
    static int run(Map<String, String> environment, PrintStream out, PrintStream err) {
        return run(environment, out, err, app -> { });
    }

    /** {@link #run}, with {@code extra} adding constructs to the App before the synth (tests plant bad resources). */
    static int run(Map<String, String> environment, PrintStream out, PrintStream err, Consumer<App> extra) {
        Timings.mark("main");
        Path envRoot = Path.of(environment.getOrDefault("BRIDGEAI_ENV_ROOT", "env"));
        Set<String> only = csv(environment.get("BRIDGEAI_ENVS"));
        if (environment.get("CDKTF_OUTDIR") != null) {
            // cdktf's App prefers CDKTF_OUTDIR over its outdir setting, which would bypass the
            // staging folder; bin/synth moves the value to BRIDGEAI_OUTDIR
            err.println("bridgeai-infra: start the app through bin/synth (CDKTF_OUTDIR must be passed as BRIDGEAI_OUTDIR)");
            return 1;
        }
        Path outdir = Path.of(environment.getOrDefault("BRIDGEAI_OUTDIR", "cdktf.out")).toAbsolutePath();

        Clock clock;
        try {
            clock = clock(environment.get("BRIDGEAI_TODAY"));
        } catch (DateTimeParseException e) {
            err.println("bridgeai-infra: BRIDGEAI_TODAY: expected a date like 2026-11-30, found \""
                    + environment.get("BRIDGEAI_TODAY") + "\"");
            return EXIT_INVALID_CONFIG;
        }
        List<EnvConfig> envs;
        try {
            envs = EnvConfigLoader.loadAll(envRoot, only, clock);
        } catch (InvalidConfigException e) {
            err.println("bridgeai-infra: invalid environment configuration (" + e.errors().size()
                    + (e.errors().size() == 1 ? " problem" : " problems") + "); nothing was synthesized:");
            e.errors().forEach(problem -> err.println("  " + problem));
            return EXIT_INVALID_CONFIG;
        }
        Timings.mark("config");
        printWarnings(envs, err);
        try {
            synth(envs, outdir, extra);
        } catch (GuardRails.ViolationException e) {
            err.println("bridgeai-infra: the synthesized stacks break " + e.violations().size()
                    + (e.violations().size() == 1 ? " guard rail" : " guard rails") + " (docs/security.md \"Guard rails\"); nothing was written:");
            e.violations().forEach(v -> err.println("  " + v));
            return EXIT_GUARD_RAILS;
        }
        Timings.mark("done");
        out.println("bridgeai-infra: synthesized " + envs.stream()
                .map(EnvConfig::name).collect(Collectors.joining(", ")) + " into " + outdir);
        return 0;
    }

    /** The system clock, or midnight UTC of {@code today} ("YYYY-MM-DD") when set. */
    static Clock clock(String today) {
        if (today == null || today.isBlank()) {
            return Clock.systemUTC();
        }
        return Clock.fixed(LocalDate.parse(today.trim()).atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC);
    }

    /**
     * Each env's warnings (things real AWS may refuse or bill for) together under one heading per
     * env; they never stop the synth nor change the exit code.
     */
    static void printWarnings(List<EnvConfig> envs, PrintStream err) {
        for (EnvConfig env : envs) {
            List<ConfigWarning> warnings = env.warnings();
            if (warnings.isEmpty()) {
                continue;
            }
            err.println("bridgeai-infra: warnings for environment " + env.name() + " (" + warnings.size()
                    + (warnings.size() == 1 ? " warning" : " warnings") + "; the synth goes on):");
            warnings.forEach(w -> err.println("  " + w));
        }
    }

    /**
     * Synthesizes into a staging folder next to {@code outdir}, checks the guard rails on the
     * staged JSON (throwing {@link GuardRails.ViolationException}, nothing published), then moves the files in:
     * a synth that fails half-way leaves the previous output untouched. Terraform's own
     * files in the stack folders (.terraform, lock files) are kept. Refuses to run when the
     * JVM has {@code CDKTF_OUTDIR} set: cdktf's App prefers it over its outdir setting and
     * would write outside the staging folder (bin/synth passes it as BRIDGEAI_OUTDIR).
     */
    public static void synth(List<EnvConfig> envs, Path outdir) {
        synth(envs, outdir, app -> { });
    }

    static void synth(List<EnvConfig> envs, Path outdir, Consumer<App> extra) {
        try {
            Files.createDirectories(outdir.getParent());
            Path staging = Files.createTempDirectory(outdir.getParent(), "." + outdir.getFileName() + "-staging-");
            try {
                App app = new App(AppConfig.builder().outdir(staging.toString()).build());
                if (!Path.of(app.getOutdir()).toAbsolutePath().normalize().equals(staging.normalize())) {
                    throw new IllegalStateException("cdktf would write into " + app.getOutdir()
                            + " (CDKTF_OUTDIR) instead of the staging folder; start the app through bin/synth");
                }
                Timings.mark("app");
                envs.forEach(env -> {
                    EnvironmentStacks.add(app, env);
                    Timings.mark("env:" + env.name());
                });
                extra.accept(app);
                app.synth();
                Timings.mark("synth");
                // on the JSON Terraform will read: overrides and escape hatches included
                List<GuardRails.Violation> violations = GuardRails.check(staging);
                Timings.mark("guardrails");
                if (!violations.isEmpty()) {
                    throw new GuardRails.ViolationException(violations);
                }
                publish(staging, outdir);
            } finally {
                deleteTree(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void publish(Path staging, Path outdir) throws IOException {
        Path manifest = staging.resolve("manifest.json");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(staging)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !p.equals(manifest)).toList();
        }
        for (Path file : files) {
            Path target = outdir.resolve(staging.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        // the manifest last: it is what cdktf reads to find the stacks
        Files.move(manifest, outdir.resolve("manifest.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Set<String> csv(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
