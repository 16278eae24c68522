package com.bridgeai.infra.preflight;

/**
 * One line of bin/preflight: how bad, which check, where in the env file (as the loader's errors
 * say it: {@code env/prod/env.yaml:34: public_access_cidrs}), what was found and what to change.
 */
public record Finding(Level level, String check, String where, String message) {

    public enum Level {
        /** nothing to change */
        OK,
        /** the deploy may work, or the account could not tell: read the line */
        WARN,
        /** the first deploy would fail (or leave the env unusable) until this is changed */
        BLOCKER
    }

    public static Finding ok(String check, String where, String message) {
        return new Finding(Level.OK, check, where, message);
    }

    public static Finding warn(String check, String where, String message) {
        return new Finding(Level.WARN, check, where, message);
    }

    public static Finding blocker(String check, String where, String message) {
        return new Finding(Level.BLOCKER, check, where, message);
    }

    @Override
    public String toString() {
        return String.format("%-7s %-19s %s%s", level, check, where.isEmpty() ? "" : where + ": ", message);
    }
}
