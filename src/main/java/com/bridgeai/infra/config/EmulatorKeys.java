package com.bridgeai.infra.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The env file's emulator switch: {@code emulator_endpoint} makes the env an emulated one (local only). */
record EmulatorKeys(YamlFields f) {
    static final List<String> KEYS = List.of("emulator_endpoint");

    /** Loopback only: an emulated env must never send its requests (and fake credentials) elsewhere. */
    private static final Pattern EMULATOR = Pattern.compile("https?://(127\\.0\\.0\\.1|localhost):\\d{2,5}");

    /** The endpoint; empty for a real-AWS env, and after an error (recorded). */
    Optional<String> read() {
        return f.string("emulator_endpoint", false)
                .filter(f.check("emulator_endpoint", v -> EMULATOR.matcher(v).matches(),
                        "a loopback URL like \"http://127.0.0.1:5000\" (emulated environments only)"));
    }
}
