package bench;

import java.lang.management.ManagementFactory;

/**
 * Prints the JVM settings a synth runs with, for bench/results.md: bench/run starts it through
 * bin/synth like the app, so what it prints is what the app gets, not a copy of the flags.
 */
public final class JvmInfo {
    public static void main(String[] args) {
        System.out.println("jvm_args=" + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.println("max_heap_mib=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
        System.out.println("gc=" + String.join(",", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(b -> b.getName()).toList()));
        System.out.println("node_options=" + System.getenv().getOrDefault("NODE_OPTIONS", ""));
    }
}
