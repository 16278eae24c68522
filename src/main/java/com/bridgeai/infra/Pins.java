package com.bridgeai.infra;

import com.bridgeai.infra.pins.CodePins;
import com.bridgeai.infra.pins.FilePins;
import com.bridgeai.infra.pins.Pin;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/pins}: every pin of the project (charts, images, Terraform providers, Flux, npm, Maven,
 * GitHub Actions, the EKS calendar) with its version, date, source and the one place it is written,
 * and — offline — which are older than a set age. docs/pins.md.
 *
 * <pre>bin/pins [--max-age 90d] [--today YYYY-MM-DD] [--old]</pre>
 *
 * Exit 0 after the listing (old pins are a to-do, not an error), 2 on a bad argument.
 */
public final class Pins {
    /**
     * 90 days: the charts and providers here release monthly or faster and Renovate proposes weekly,
     * so a pin whose date is a quarter back has almost surely been superseded, or its check is due;
     * it is also shorter than one EKS minor cycle (~4 months), so the calendar's as_of cannot miss
     * more than one Kubernetes release.
     */
    public static final int DEFAULT_MAX_AGE_DAYS = 90;
    static final String USAGE = "usage: bin/pins [--max-age <days>d] [--today YYYY-MM-DD] [--old]";
    private static final Pattern AGE = Pattern.compile("(\\d{1,5})d");

    private Pins() {
    }

    /** The parsed arguments. */
    record Options(int maxAgeDays, LocalDate today, boolean onlyOld) {}

    public static void main(String[] args) {
        System.exit(run(args, Clock.systemUTC(), Path.of(""), System.out, System.err));
    }

    static int run(String[] args, Clock clock, Path root, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args, clock);
        } catch (IllegalArgumentException e) {
            err.println("pins: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        List<Pin> pins = new ArrayList<>(CodePins.all());
        pins.addAll(new FilePins(root).all());
        for (String line : listing(pins, options)) {
            out.println(line);
        }
        return 0;
    }

    static Options parse(String[] args, Clock clock) {
        int maxAge = DEFAULT_MAX_AGE_DAYS;
        LocalDate today = LocalDate.now(clock);
        boolean onlyOld = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--max-age" -> {
                    String value = value(args, ++i, arg);
                    Matcher m = AGE.matcher(value);
                    if (!m.matches()) {
                        throw new IllegalArgumentException("--max-age: expected a number of days like 90d, found " + value);
                    }
                    maxAge = Integer.parseInt(m.group(1));
                }
                case "--today" -> {
                    String value = value(args, ++i, arg);
                    try {
                        today = LocalDate.parse(value);
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("--today: expected a date like 2026-12-05, found " + value);
                    }
                }
                case "--old" -> onlyOld = true;
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        return new Options(maxAge, today, onlyOld);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /** The heading, one line per pin (in the given order), and a summary. */
    static List<String> listing(List<Pin> pins, Options options) {
        List<String> lines = new ArrayList<>();
        lines.add("pins on " + options.today() + "; OLD = dated more than " + options.maxAgeDays()
                + " days back, or no date (docs/pins.md)");
        int old = 0;
        int undated = 0;
        for (Pin pin : pins) {
            boolean isOld = pin.isOld(options.today(), options.maxAgeDays());
            old += isOld ? 1 : 0;
            undated += pin.date() == null ? 1 : 0;
            if (!options.onlyOld() || isOld) {
                lines.add(line(pin, options.today(), isOld));
            }
        }
        lines.add(pins.size() + " pins; " + old + " OLD (" + undated + " without a date)");
        return lines;
    }

    /** {@code OLD  chart  airflow 1.19.0  released 2026-02-17 (291 days)  <source>  <where>  <updated by>}. */
    static String line(Pin pin, LocalDate today, boolean old) {
        String date = pin.date() == null ? Pin.NO_DATE : pin.dateKind() + " " + pin.date() + " (" + pin.ageDays(today) + " days)";
        return String.format("%-3s  %-18s %-56s %-34s %s  %s  %s", old ? "OLD" : "", pin.kind(), pin.name() + " " + pin.version(),
                date, pin.source(), pin.declaredIn(), pin.updatedBy()).stripTrailing();
    }
}
