package com.bridgeai.infra.config;

import java.nio.file.Path;

/**
 * One problem in one env file: where (file, line, key path) and what (expected vs found).
 * Rendered as {@code env/test/env.yaml:12: cidr_block: expected ..., found ...}.
 */
public record ConfigError(Path file, int line, String keyPath, String message) {

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line : file.toString();
        return keyPath.isEmpty() ? where + ": " + message : where + ": " + keyPath + ": " + message;
    }
}
