package com.bridgeai.infra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.config.EksVersionCalendar.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EKS version calendar and the warnings the loader derives from it. "Today" is always a
 * fixed clock: no test here depends on the real date.
 */
class EksVersionCalendarTest {
    static final LocalDate TODAY = LocalDate.of(2026, 11, 30);
    static final Clock CLOCK = Clock.fixed(TODAY.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC);
    static final EksVersionCalendar CALENDAR = EksVersionCalendar.bundled();

    @TempDir
    Path root;

    @Test
    void theBundledFileHasTheIssuesDatesAndSaysWhereTheyComeFrom() {
        assertEquals(LocalDate.of(2026, 7, 23), CALENDAR.versions().get(30).endOfExtendedSupport());
        assertEquals(LocalDate.of(2026, 11, 26), CALENDAR.versions().get(31).endOfExtendedSupport());
        assertEquals(LocalDate.of(2026, 3, 23), CALENDAR.versions().get(32).endOfStandardSupport());
        assertEquals(LocalDate.of(2027, 3, 23), CALENDAR.versions().get(32).endOfExtendedSupport());
        assertEquals(LocalDate.of(2027, 7, 29), CALENDAR.versions().get(33).endOfExtendedSupport());
        assertEquals(LocalDate.of(2026, 12, 2), CALENDAR.versions().get(34).endOfStandardSupport());
        assertEquals(LocalDate.of(2027, 3, 27), CALENDAR.versions().get(35).endOfStandardSupport());
        assertEquals(LocalDate.of(2028, 3, 27), CALENDAR.versions().get(35).endOfExtendedSupport());
        assertTrue(CALENDAR.source().contains("docs.aws.amazon.com/eks"), CALENDAR.source());
        assertEquals(LocalDate.of(2027, 8, 2), CALENDAR.versions().get(36).endOfStandardSupport());
        assertEquals(LocalDate.of(2028, 8, 2), CALENDAR.versions().get(36).endOfExtendedSupport());
        assertEquals(LocalDate.of(2026, 12, 5), CALENDAR.asOf());
        assertTrue(Files.isRegularFile(Path.of(EksVersionCalendar.PROJECT_PATH)), "the path warnings name exists");
    }

    @Test
    void phasesOnTheIssuesDay() {
        assertEquals(Phase.ENDED, CALENDAR.phase("1.30", TODAY));
        assertEquals(Phase.ENDED, CALENDAR.phase("1.31", TODAY)); // ended 2026-11-26
        assertEquals(Phase.ENDED, CALENDAR.phase("1.23", TODAY)); // older than the oldest listed
        assertEquals(Phase.EXTENDED, CALENDAR.phase("1.32", TODAY));
        assertEquals(Phase.EXTENDED, CALENDAR.phase("1.33", TODAY));
        assertEquals(Phase.STANDARD, CALENDAR.phase("1.34", TODAY)); // until 2026-12-02 inclusive
        assertEquals(Phase.EXTENDED, CALENDAR.phase("1.34", LocalDate.of(2026, 12, 3)));
        assertEquals(Phase.STANDARD, CALENDAR.phase("1.35", TODAY));
        assertEquals(Phase.STANDARD, CALENDAR.phase("1.36", TODAY)); // released 2026-06-02
        assertEquals(Phase.NEWER_THAN_KNOWN, CALENDAR.phase("1.37", TODAY));
        // the last day of a phase still belongs to it
        assertEquals(Phase.EXTENDED, CALENDAR.phase("1.30", LocalDate.of(2026, 7, 23)));
        assertEquals(Phase.ENDED, CALENDAR.phase("1.30", LocalDate.of(2026, 7, 24)));
        assertEquals("1.36", CALENDAR.recommended(TODAY));
    }

    @Test
    void pastEndOfExtendedSupportSaysWhatToSetInstead() {
        String w = CALENDAR.warning("1.30", TODAY).orElseThrow();
        assertEquals("AWS no longer creates clusters at 1.30 (extended support ended 2026-07-23) and upgrades running"
                + " ones on its own; set a version in standard support, e.g. kubernetes_version: \"1.36\" (EKS calendar "
                + EksVersionCalendar.PROJECT_PATH + ", as of 2026-12-05)", w);
        assertTrue(CALENDAR.warning("1.27", TODAY).orElseThrow().contains("extended support ended before 2025-11-26"));
    }

    @Test
    void extendedSupportWithSupportTypeExtendedNamesItsEndAndTheCost() {
        String w = CALENDAR.warning("1.32", "EXTENDED", TODAY).orElseThrow();
        assertTrue(w.startsWith("1.32 is in extended support until 2027-03-23 (standard support ended 2026-03-23)"
                + ": with support_type EXTENDED the control plane costs"), w);
        assertTrue(w.contains("USD 0.60 per cluster hour (6 x the standard price) instead of USD 0.10 per cluster hour"), w);
        assertTrue(w.contains("e.g. kubernetes_version: \"1.36\""), w);
    }

    @Test
    void extendedSupportWithSupportTypeStandardSaysTheyDoNotGoTogether() {
        // the default upgrade policy: EKS upgrades a STANDARD cluster when standard support ends, and
        // disables extended support only for a cluster on standard support ("Disable EKS extended support")
        String w = CALENDAR.warning("1.32", TODAY).orElseThrow();
        assertEquals(w, CALENDAR.warning("1.32", "STANDARD", TODAY).orElseThrow());
        assertTrue(w.startsWith("1.32 is in extended support until 2027-03-23 (standard support ended 2026-03-23), but"
                + " support_type is STANDARD"), w);
        assertTrue(w.contains("cannot have the STANDARD upgrade policy at 1.32"), w);
        assertTrue(w.contains("e.g. kubernetes_version: \"1.36\""), w);
        assertTrue(w.contains("or set support_type: EXTENDED and pay USD 0.60 per cluster hour"), w);
        assertFalse(w.contains("with support_type EXTENDED"), w);
    }

    @Test
    void standardSupportIsSilentAndNewerVersionsGetANote() {
        assertEquals(Optional.empty(), CALENDAR.warning("1.35", TODAY));
        assertEquals(Optional.empty(), CALENDAR.warning("1.34", TODAY));
        assertEquals(Optional.empty(), CALENDAR.warning("1.35", "EXTENDED", TODAY));
        assertEquals(Optional.empty(), CALENDAR.warning("1.36", TODAY));
        String note = CALENDAR.warning("1.37", TODAY).orElseThrow();
        assertTrue(note.startsWith("note: 1.37 is newer than the EKS calendar knows"), note);
        assertTrue(note.contains("the eks stack's plan asks AWS"), note);
    }

    @Test
    void aMalformedCalendarIsRefusedNamingTheEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EksVersionCalendar.parse(
                "as_of: \"2026-11-30\"\nversions:\n  \"1.35\": { end_of_standard_support: \"2027-13-01\","
                        + " end_of_extended_support: \"2028-03-27\" }\n"));
        assertTrue(e.getMessage().contains("1.35.end_of_standard_support"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EksVersionCalendar.parse(
                "as_of: \"2026-11-30\"\nversions:\n  \"1.35\": { end_of_standard_support: \"2028-03-27\","
                        + " end_of_extended_support: \"2027-03-27\" }\n"));
        assertTrue(e.getMessage().contains("extended support must end after standard support"), e.getMessage());
    }

    // ---------------------------------------------------------------- through the loader

    @Test
    void theLoaderWarnsPerEnvWithFileLineAndKeyAndOnlyForRealAws() throws IOException {
        String seed = Files.readString(EnvConfigLoaderTest.SEED);
        write("test", seed);
        write("prod", Files.readString(Path.of("env", "prod", "env.yaml")));
        write("local", Files.readString(Path.of("env", "local", "env.yaml")));
        List<EnvConfig> envs = EnvConfigLoader.loadAll(root, Set.of(), CLOCK);

        EnvConfig test = envs.stream().filter(e -> e.name().equals("test")).findFirst().orElseThrow();
        // the seed also gets #11's open-endpoint warning (key public_access_cidrs): only the version's here
        List<ConfigWarning> versionWarnings = versionWarnings(test);
        assertEquals(1, versionWarnings.size(), test.warnings()::toString);
        ConfigWarning w = versionWarnings.get(0);
        assertEquals(root.resolve("test").resolve("env.yaml"), w.file());
        assertEquals(EnvConfigLoaderTest.lineOf(seed, "kubernetes_version:"), w.line());
        assertEquals("kubernetes_version", w.key());
        assertTrue(w.toString().startsWith(w.file() + ":" + w.line() + ": kubernetes_version: AWS no longer creates clusters"
                + " at 1.30 (extended support ended 2026-07-23)"), w::toString);

        EnvConfig prod = envs.stream().filter(e -> e.name().equals("prod")).findFirst().orElseThrow();
        assertEquals(List.of(), prod.warnings(), "1.35 is in standard support on " + TODAY);
        EnvConfig local = envs.stream().filter(e -> e.name().equals("local")).findFirst().orElseThrow();
        assertEquals(List.of(), local.warnings(), "the emulator accepts any version: no warning");
    }

    /** The warnings about {@code kubernetes_version} (an env may have others, e.g. an open public endpoint). */
    static List<ConfigWarning> versionWarnings(EnvConfig env) {
        return env.warnings().stream().filter(w -> w.key().equals("kubernetes_version")).toList();
    }

    @Test
    void theSameFileWarnsDifferentlyOnAnotherDay() throws IOException {
        String seed = Files.readString(EnvConfigLoaderTest.SEED);
        Path file = write("test", seed);
        Clock before = Clock.fixed(LocalDate.of(2026, 1, 15).atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC);
        List<ConfigWarning> early = versionWarnings(EnvConfigLoader.load(file, before));
        assertEquals(1, early.size());
        assertTrue(early.get(0).message().startsWith("1.30 is in extended support until 2026-07-23"), early::toString);
        Path newer = write("test", seed.replace("\"1.30\"", "\"1.37\"").replace("\"AL2_x86_64_GPU\"", "\"AL2023_x86_64_NVIDIA\"")
                // no GitOps: no pinned Flux release supports 1.37 (a config error, not a warning)
                .replace("github_owner: \"digicatapult\"", ""));
        assertTrue(versionWarnings(EnvConfigLoader.load(newer, CLOCK)).get(0).message().startsWith("note: 1.37 is newer"));
        // 1.36 (released 2026-06-02) is in standard support: no lifecycle warning
        Path current = write("test", seed.replace("\"1.30\"", "\"1.36\"").replace("\"AL2_x86_64_GPU\"", "\"AL2023_x86_64_NVIDIA\"")
                .replace("github_owner: \"digicatapult\"", ""));
        assertEquals(List.of(), versionWarnings(EnvConfigLoader.load(current, CLOCK)));
    }

    private Path write(String env, String yaml) throws IOException {
        Path file = root.resolve(env).resolve("env.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }
}
