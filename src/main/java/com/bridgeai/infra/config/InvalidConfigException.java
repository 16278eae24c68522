package com.bridgeai.infra.config;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in the env files, reported together; a user error, never a stack trace. */
public final class InvalidConfigException extends RuntimeException {
    private final List<ConfigError> errors;

    public InvalidConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
