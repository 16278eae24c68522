package com.bridgeai.infra.config;

import java.nio.file.Path;

/**
 * Something in one env file that AWS may refuse or bill for, but that does not stop the synth:
 * collected by the loader per env next to the config (never thrown), printed by {@code Main}
 * to stderr all together under a heading, never changing the exit code. Rendered like a
 * {@link ConfigError}: {@code env/test/env.yaml:24: kubernetes_version: ...}.
 */
public record ConfigWarning(Path file, int line, String key, String message) {

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line : file.toString();
        return key.isEmpty() ? where + ": " + message : where + ": " + key + ": " + message;
    }
}
