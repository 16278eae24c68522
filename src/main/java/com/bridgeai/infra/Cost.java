package com.bridgeai.infra;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.bridgeai.infra.config.InvalidConfigException;
import com.bridgeai.infra.cost.IdleCost;
import com.bridgeai.infra.cost.PriceList;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * bin/cost: what an env costs per month when nothing runs on it, and per GPU-hour in use, from its
 * env file and the region's dated price file (IdleCost, PriceList); offline. Loads the env like the
 * synth does (every env file validated, the same file:line: key errors).
 *
 * <p>Exit codes: 0 printed, 1 the price file lacks a price the env needs (named with the file and
 * the env's key), 2 invalid env files or usage.
 */
public final class Cost {
    static final int EXIT_MISSING_PRICE = 1;

    private Cost() {}

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.size() != 1 || args.get(0).startsWith("-")) {
            err.println("usage: bin/cost <env>   (the env's folder name under env/, e.g. prod)");
            return Main.EXIT_INVALID_CONFIG;
        }
        Clock clock;
        try {
            clock = Main.clock(environment.get("BRIDGEAI_TODAY"));
        } catch (DateTimeParseException e) {
            err.println("cost: BRIDGEAI_TODAY: expected a date like 2026-11-30, found \"" + environment.get("BRIDGEAI_TODAY") + "\"");
            return Main.EXIT_INVALID_CONFIG;
        }
        Path envRoot = Path.of(environment.getOrDefault("BRIDGEAI_ENV_ROOT", "env"));
        EnvConfig env;
        try {
            env = EnvConfigLoader.loadAll(envRoot, Set.of(args.get(0)), clock).get(0);
        } catch (InvalidConfigException e) {
            err.println("bridgeai-infra: invalid environment configuration (" + e.errors().size() + " problems):");
            e.errors().forEach(problem -> err.println("  " + problem));
            return Main.EXIT_INVALID_CONFIG;
        }
        String region = env.project().region();
        Optional<PriceList> prices = PriceList.forRegion(region);
        if (prices.isEmpty()) {
            err.println("cost " + env.name() + ": no price file for region " + region + " (" + env.file() + ": region): "
                    + PriceList.projectPath(region) + " does not exist; the project has prices for " + PriceList.knownRegions()
                    + " (copy one, with that region's prices and sources)");
            return EXIT_MISSING_PRICE;
        }
        try {
            IdleCost.Report report = IdleCost.of(env, prices.get(), LocalDate.now(clock));
            IdleCost.render(env, prices.get(), report).forEach(out::println);
            return 0;
        } catch (IdleCost.MissingPrices e) {
            err.println("cost " + env.name() + ": the price file lacks what the env uses:");
            e.problems().forEach(p -> err.println("  " + p));
            return EXIT_MISSING_PRICE;
        }
    }
}
