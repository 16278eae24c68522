package com.bridgeai.infra;

/**
 * Phase times of a synth, for bench/run and for finding where the time goes: with
 * {@code BRIDGEAI_TIMINGS=1} each {@link #mark} prints {@code bridgeai-timing <phase> <ms>} to
 * stderr, ms since the JVM started (its process start time, so JVM boot is included).
 * Off by default; then a mark is one boolean test.
 */
public final class Timings {
    private static final boolean ON = "1".equals(System.getenv("BRIDGEAI_TIMINGS"));
    private static final long START_MS = ON
            ? ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(System.currentTimeMillis())
            : 0;

    private Timings() {}

    public static void mark(String phase) {
        if (ON) {
            System.err.println("bridgeai-timing " + phase + " " + (System.currentTimeMillis() - START_MS));
        }
    }
}
