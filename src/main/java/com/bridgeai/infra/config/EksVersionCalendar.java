package com.bridgeai.infra.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the project knows offline about Amazon EKS's Kubernetes versions: when standard and
 * extended support end, from one data file ({@value #PROJECT_PATH}, the one place to update).
 * The loader turns it into {@link ConfigWarning}s for envs on real AWS; "today" comes from the
 * loader's clock, so tests never depend on the real date.
 *
 * @param asOf          when the file was last checked against AWS's calendar
 * @param source        where the dates come from
 * @param standardPrice control plane price in standard support
 * @param extendedPrice control plane price in extended support
 * @param versions      minor (the NN of 1.NN) to its support phases, oldest first
 */
public record EksVersionCalendar(LocalDate asOf, String source, String standardPrice, String extendedPrice,
        SortedMap<Integer, Support> versions) {
    /** The classpath resource (next to this class). */
    static final String RESOURCE = "eks-kubernetes-versions.yaml";
    /** Where the file lives in the repository: named in warnings so the user knows what to update. */
    public static final String PROJECT_PATH = "src/main/resources/com/bridgeai/infra/config/" + RESOURCE;
    private static final Pattern VERSION = Pattern.compile("1\\.(\\d{2})");

    /** The last days of a version's standard and extended support. */
    public record Support(LocalDate endOfStandardSupport, LocalDate endOfExtendedSupport) {}

    public EksVersionCalendar {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("the EKS version calendar lists no version");
        }
        versions = new TreeMap<>(versions);
    }

    private static final class Bundled {
        static final EksVersionCalendar INSTANCE = load();
    }

    /** The calendar shipped with the project (read once). */
    public static EksVersionCalendar bundled() {
        return Bundled.INSTANCE;
    }

    private static EksVersionCalendar load() {
        try (InputStream in = EksVersionCalendar.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the build lost " + PROJECT_PATH);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + PROJECT_PATH + ": " + e.getMessage(), e);
        }
    }

    /** Parses the file's text; a malformed file is a bug of the project (IllegalArgumentException naming the entry). */
    @SuppressWarnings("unchecked")
    static EksVersionCalendar parse(String text) {
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        SortedMap<Integer, Support> versions = new TreeMap<>();
        Map<String, Object> listed = (Map<String, Object>) root.get("versions");
        if (listed == null) {
            throw new IllegalArgumentException(PROJECT_PATH + ": expected a 'versions' mapping");
        }
        listed.forEach((version, phases) -> {
            Matcher m = VERSION.matcher(String.valueOf(version));
            if (!m.matches() || !(phases instanceof Map<?, ?> p)) {
                throw new IllegalArgumentException(PROJECT_PATH + ": expected \"1.NN\": {end_of_standard_support, "
                        + "end_of_extended_support}, found " + version + ": " + phases);
            }
            Support s = new Support(date(p.get("end_of_standard_support"), version + ".end_of_standard_support"),
                    date(p.get("end_of_extended_support"), version + ".end_of_extended_support"));
            if (!s.endOfExtendedSupport().isAfter(s.endOfStandardSupport())) {
                throw new IllegalArgumentException(PROJECT_PATH + ": " + version + ": extended support must end after standard support");
            }
            versions.put(Integer.parseInt(m.group(1)), s);
        });
        return new EksVersionCalendar(date(root.get("as_of"), "as_of"), String.valueOf(root.get("source")),
                String.valueOf(root.get("standard_support_price")), String.valueOf(root.get("extended_support_price")),
                versions);
    }

    private static LocalDate date(Object value, String key) {
        try {
            return LocalDate.parse(String.valueOf(value));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(PROJECT_PATH + ": " + key + ": expected a date \"YYYY-MM-DD\", found " + value);
        }
    }

    /** Where a version stands on a given day. */
    public enum Phase { STANDARD, EXTENDED, ENDED, NEWER_THAN_KNOWN }

    public Phase phase(String version, LocalDate today) {
        int minor = minor(version);
        if (minor > versions.lastKey()) {
            return Phase.NEWER_THAN_KNOWN;
        }
        Support s = versions.get(minor);
        if (s == null || today.isAfter(s.endOfExtendedSupport())) {
            return Phase.ENDED; // older than the oldest listed: ended before it
        }
        return today.isAfter(s.endOfStandardSupport()) ? Phase.EXTENDED : Phase.STANDARD;
    }

    /** The newest listed version still in standard support on {@code today} (else the newest listed). */
    public String recommended(LocalDate today) {
        return versions.entrySet().stream()
                .filter(e -> !today.isAfter(e.getValue().endOfStandardSupport()))
                .reduce((a, b) -> b)
                .map(e -> "1." + e.getKey())
                .orElse("1." + versions.lastKey());
    }

    /** The warning for {@code version} on {@code today} for the default {@code support_type} (STANDARD). */
    public Optional<String> warning(String version, LocalDate today) {
        return warning(version, EnvConfig.Cluster.DEFAULT_SUPPORT_TYPE, today);
    }

    /**
     * The warning for {@code version} on {@code today}, empty in standard support, worded after the
     * cluster's upgrade policy ({@code supportType}, key {@code support_type}). EKS API
     * UpgradePolicyRequest: a STANDARD cluster "will be automatically upgraded at the end of standard
     * support", an EXTENDED one "will enter extended support" (the higher price); EKS user guide,
     * "Disable EKS extended support": extended support can be disabled only for a cluster on standard
     * support, so STANDARD does not go with a version already past it.
     */
    public Optional<String> warning(String version, String supportType, LocalDate today) {
        int minor = minor(version);
        String instead = "set a version in standard support, e.g. kubernetes_version: \"" + recommended(today) + "\"";
        String calendar = " (EKS calendar " + PROJECT_PATH + ", as of " + asOf + ")";
        return switch (phase(version, today)) {
            case STANDARD -> Optional.empty();
            case NEWER_THAN_KNOWN -> Optional.of("note: " + version + " is newer than the EKS calendar knows" + calendar
                    + "; no lifecycle check offline (the eks stack's plan asks AWS whether it offers " + version
                    + "); add it to the calendar when AWS publishes its dates");
            case ENDED -> {
                Support s = versions.get(minor);
                String ended = s != null ? "extended support ended " + s.endOfExtendedSupport()
                        : "extended support ended before " + versions.get(versions.firstKey()).endOfExtendedSupport()
                                + ", the end of 1." + versions.firstKey() + "'s";
                yield Optional.of("AWS no longer creates clusters at " + version + " (" + ended
                        + ") and upgrades running ones on its own; " + instead + calendar);
            }
            case EXTENDED -> {
                Support s = versions.get(minor);
                String in = version + " is in extended support until " + s.endOfExtendedSupport()
                        + " (standard support ended " + s.endOfStandardSupport() + ")";
                yield Optional.of(supportType.equals("EXTENDED")
                        ? in + ": with support_type EXTENDED the control plane costs " + extendedPrice + " instead of "
                                + standardPrice + "; " + instead + calendar
                        : in + ", but support_type is STANDARD: EKS disables extended support only for a cluster on"
                                + " standard support (EKS user guide, \"Disable EKS extended support\"), so this cluster"
                                + " cannot have the STANDARD upgrade policy at " + version + "; " + instead
                                + ", or set support_type: EXTENDED and pay " + extendedPrice + " instead of "
                                + standardPrice + calendar);
            }
        };
    }

    static int minor(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a Kubernetes version \"1.NN\", found " + version);
        }
        return Integer.parseInt(m.group(1));
    }
}
