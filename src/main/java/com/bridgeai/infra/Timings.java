package com.bridgeai.infra;

/**
 * Phase times of a synth, for bench/run and for finding where the time goes: with
 * {@code BRIDGEAI_TIMINGS=1} each {@link #mark} prints {@code bridgeai-timing <phase> <ms>} to
 * stderr, in ms since the JVM started (so JVM boot is included). Off by default; then a mark
 * is one boolean test and java.management is never loaded.
 */
public final class Timings {
    private static final boolean ON = "1".equals(System.getenv("BRIDGEAI_TIMINGS"));
    // the JVM's own start time (the process start time from /proc has 1 s granularity)
    private static final long START_MS = ON ? java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime() : 0;

    private Timings() {}

    public static void mark(String phase) {
        if (ON) {
            System.err.println("bridgeai-timing " + phase + " " + (System.currentTimeMillis() - START_MS));
        }
    }
}
