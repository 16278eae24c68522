package com.bridgeai.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.apps.airflow.Airflow;
import com.bridgeai.infra.pins.CodePins;
import com.bridgeai.infra.pins.FilePins;
import com.bridgeai.infra.pins.Pin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/pins: the listing for a fixed day, every ChartPin of the code in it, every pin dated, the age flag, bad arguments. */
class PinsTest {
    /** A clock far from the day the tests ask for: --today must win over it. */
    static final Clock ELSEWHERE = Clock.fixed(Instant.parse("2031-01-01T12:00:00Z"), ZoneOffset.UTC);
    static final Pattern CHART_PIN = Pattern.compile("new ChartPin\\(\\s*\"([^\"]+)\"");

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Pins.run(args, ELSEWHERE, Path.of(""), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theListingForAFixedDay() {
        Run run = run("--today", "2026-12-05");
        assertEquals(0, run.exit(), run.err());
        List<String> lines = run.lines();
        assertEquals("pins on 2026-12-05; OLD = dated more than 90 days back, or no date (docs/pins.md)", lines.get(0));
        assertTrue(lines.contains("     terraform provider hashicorp/aws 5.100.0                                    verified 2026-11-25 (10 days)      "
                + "https://registry.terraform.io/providers/hashicorp/aws  EnvStack.AWS_PROVIDER_VERSION  Renovate (terraform-provider)"), run.out());
        assertTrue(lines.contains("OLD  npm                constructs 10.4.2                                        released 2024-12-04 (731 days)     "
                + "https://www.npmjs.com/package/constructs  package.json devDependencies  Renovate (npm)"), run.out());
        assertTrue(lines.contains("     maven              jsii.version 1.140.0                                     verified 2026-11-25 (10 days)      "
                + "https://central.sonatype.com/artifact/software.amazon.jsii/jsii-runtime  pom.xml <properties>  Renovate (maven)"), run.out());
        // a chart: its version from the code, so a bump changes this line only through its date
        assertTrue(lines.stream().anyMatch(l -> l.matches("(OLD)? *chart +airflow " + Pattern.quote(Airflow.CHART.version())
                + " +released \\d{4}-\\d{2}-\\d{2} \\(\\d+ days\\) +https://airflow\\.apache\\.org  Airflow\\.CHART  Renovate \\(helm\\)")), run.out());
        // the kinds, in order: the code's pins, then the files'
        List<String> kinds = lines.subList(1, lines.size() - 1).stream().map(l -> l.substring(5, 23).strip()).distinct().toList();
        assertEquals(List.of("chart", "image", "artifact", "flux", "terraform provider", "version", "npm", "maven", "github action",
                "eks calendar"), kinds);
        String summary = lines.get(lines.size() - 1);
        assertTrue(summary.matches("\\d+ pins; \\d+ OLD \\(0 without a date\\)"), summary);
        assertEquals(lines.size() - 2 + " pins", summary.substring(0, summary.indexOf(';')));
    }

    @Test
    void everyChartPinOfTheCodeIsListed() throws IOException {
        Set<String> declared = new TreeSet<>();
        for (Path file : javaSources()) {
            Matcher m = CHART_PIN.matcher(Files.readString(file));
            while (m.find()) {
                declared.add(m.group(1));
            }
        }
        assertTrue(declared.containsAll(Set.of("airflow", "mlflow", "nvidia-device-plugin", "external-secrets", "reloader",
                "flux-operator", "flux-instance")), declared::toString);
        Set<String> listed = new TreeSet<>();
        CodePins.all().stream().filter(p -> p.kind().equals("chart")).forEach(p -> listed.add(p.name()));
        assertEquals(declared, listed, "every `new ChartPin(...)` of the code is a static field bin/pins finds");
        Run run = run("--today", "2026-12-05");
        for (String chart : declared) {
            assertTrue(run.lines().stream().anyMatch(l -> l.substring(5).startsWith(String.format("%-18s %s ", "chart", chart))),
                    chart + " in\n" + run.out());
        }
    }

    @Test
    void everyPinHasADate() {
        List<Pin> pins = new java.util.ArrayList<>(CodePins.all());
        pins.addAll(new FilePins(Path.of("")).all());
        assertTrue(pins.size() > 60, "pins: " + pins.size());
        List<String> undated = pins.stream().filter(p -> p.date() == null).map(p -> p.name() + " " + p.version() + " (" + p.declaredIn() + ")").toList();
        assertEquals(List.of(), undated, "give each its date: @Pinned(released = ... | verified = ...) on a Java pin, "
                + "its row in src/main/resources/com/bridgeai/infra/pins/pin-dates.yaml otherwise (docs/pins.md)");
        assertTrue(pins.stream().allMatch(p -> !p.source().isBlank()), "every pin names its source");
    }

    @Test
    void theAgeFlagFollowsMaxAgeAndToday() {
        LocalDate today = LocalDate.parse("2026-12-05");
        Pin exactly90 = new Pin("chart", "a", "1.0.0", Pin.RELEASED, today.minusDays(90), "https://a", "A.CHART", "Renovate (helm)");
        Pin days91 = new Pin("chart", "b", "1.0.0", Pin.VERIFIED, today.minusDays(91), "https://b", "B.CHART", "by hand");
        Pin undated = new Pin("npm", "c", "1.0.0", Pin.NO_DATE, null, "https://c", "package.json", "Renovate (npm)");
        List<Pin> pins = List.of(exactly90, days91, undated);
        assertEquals(List.of(
                "pins on 2026-12-05; OLD = dated more than 90 days back, or no date (docs/pins.md)",
                "     chart              a 1.0.0                                                  released 2026-09-06 (90 days)      https://a  A.CHART  Renovate (helm)",
                "OLD  chart              b 1.0.0                                                  verified 2026-09-05 (91 days)      https://b  B.CHART  by hand",
                "OLD  npm                c 1.0.0                                                  no date                            https://c  package.json  Renovate (npm)",
                "3 pins; 2 OLD (1 without a date)"),
                Pins.listing(pins, new Pins.Options(90, today, false)));
        List<String> strict = Pins.listing(pins, new Pins.Options(30, today, true));
        assertEquals(5, strict.size(), strict::toString);
        assertEquals("3 pins; 3 OLD (1 without a date)", strict.get(4));
        assertEquals(List.of("pins on 2027-03-01; OLD = dated more than 365 days back, or no date (docs/pins.md)",
                "OLD  npm                c 1.0.0                                                  no date                            https://c  package.json  Renovate (npm)",
                "3 pins; 1 OLD (1 without a date)"),
                Pins.listing(pins, new Pins.Options(365, LocalDate.parse("2027-03-01"), true)));
        // the default: the system clock's day, 90 days
        assertEquals(new Pins.Options(90, LocalDate.parse("2031-01-01"), false), Pins.parse(new String[0], ELSEWHERE));
        assertEquals(new Pins.Options(7, LocalDate.parse("2026-01-31"), true),
                Pins.parse(new String[] {"--old", "--max-age", "7d", "--today", "2026-01-31"}, ELSEWHERE));
    }

    @Test
    void badArgumentsAreRefusedWithTheUsage() {
        String[][] cases = {
            {"--max-age", "90", "--max-age: expected a number of days like 90d, found 90"},
            {"--max-age", "3m", "--max-age: expected a number of days like 90d, found 3m"},
            {"--max-age", "--max-age needs a value"},
            {"--today", "2026-13-01", "--today: expected a date like 2026-12-05, found 2026-13-01"},
            {"--today", "--old", "--today needs a value"},
            {"--all", "unknown argument --all"},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOf(c, c.length - 1);
            Run run = run(args);
            assertEquals(2, run.exit(), String.join(" ", args));
            assertEquals("", run.out(), "nothing listed for " + String.join(" ", args));
            assertEquals("pins: " + c[c.length - 1] + "\n" + Pins.USAGE + "\n", run.err());
        }
    }

    /** A version bumped without its pin-dates.yaml row (a merged Renovate pull request) is listed without a date, and OLD. */
    @Test
    void aBumpWithoutItsDateIsUndated(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("package.json"), "{\"devDependencies\": {\"cdktf\": \"0.22.0\", \"constructs\": \"10.4.2\"}}");
        List<Pin> pins = new FilePins(root).npm("package.json", "devDependencies");
        assertEquals(Pin.NO_DATE, pins.get(0).dateKind());
        assertEquals("https://www.npmjs.com/package/cdktf (pin-dates.yaml dates 0.21.0)", pins.get(0).source());
        assertTrue(pins.get(0).isOld(LocalDate.parse("2026-12-05"), 90));
        assertEquals(LocalDate.parse("2024-12-04"), pins.get(1).date());
    }

    /** The script: bin/pins on the build's class path, --old lists only OLD lines. */
    @Test
    void binPinsRuns() throws Exception {
        Process p = new ProcessBuilder("bash", "bin/pins", "--today", "2026-12-05", "--old").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).startsWith("pins on 2026-12-05"), out);
        assertTrue(lines.size() > 3 && lines.subList(1, lines.size() - 1).stream().allMatch(l -> l.startsWith("OLD  ")), out);
        Process bad = new ProcessBuilder("bash", "bin/pins", "--max-age", "ninety").redirectErrorStream(true).start();
        String badOut = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bad.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue(), badOut);
        assertTrue(badOut.startsWith("pins: --max-age: expected a number of days like 90d, found ninety"), badOut);
    }

    /** The Java sources of the app and of every module. */
    static List<Path> javaSources() throws IOException {
        try (Stream<Path> walk = Stream.concat(Files.walk(Path.of("modules")), Files.walk(Path.of("src", "main", "java")))) {
            return walk.filter(p -> p.toString().endsWith(".java") && p.toString().contains("src/main/java/")).sorted().toList();
        }
    }
}
