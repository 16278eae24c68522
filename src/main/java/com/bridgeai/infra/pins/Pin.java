package com.bridgeai.infra.pins;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One pin of the project: one thing at one exact version, where it comes from, and its date.
 *
 * @param kind       chart, image, terraform provider, flux, npm, maven, github action, ...
 * @param name       what is pinned, as its source names it
 * @param version    the pinned version
 * @param dateKind   "released" (the version's release date at its source), "verified" (the day it
 *                   was last checked against its source), "as of" (a dated table's date), or
 *                   "no date" (nothing recorded: always flagged)
 * @param date       that date; null with "no date"
 * @param source     where new versions are published
 * @param declaredIn the one place the pin is written (a class's field, or a file)
 * @param updatedBy  who proposes new versions: "Renovate (<datasource or manager>)" or "by hand"
 */
public record Pin(String kind, String name, String version, String dateKind, LocalDate date, String source,
        String declaredIn, String updatedBy) {
    public static final String RELEASED = "released";
    public static final String VERIFIED = "verified";
    public static final String AS_OF = "as of";
    public static final String NO_DATE = "no date";

    public Pin {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(name);
        Objects.requireNonNull(version);
        Objects.requireNonNull(dateKind);
        if ((date == null) != NO_DATE.equals(dateKind)) {
            throw new IllegalArgumentException(name + ": a date exactly unless \"" + NO_DATE + "\"");
        }
    }

    /** Days from the pin's date to {@code today}; -1 without a date. */
    public long ageDays(LocalDate today) {
        return date == null ? -1 : ChronoUnit.DAYS.between(date, today);
    }

    /** Older than {@code maxAgeDays} on {@code today}, or no date at all. */
    public boolean isOld(LocalDate today, long maxAgeDays) {
        return date == null || ageDays(today) > maxAgeDays;
    }
}
