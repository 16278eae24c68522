package com.bridgeai.infra.config;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The env file's log keys: how long the env's security logs are kept (VPC flow logs, EKS
 * control-plane logs, S3 access logs; the vpc, eks and state stacks all read it).
 */
record LoggingKeys(YamlFields f) {
    static final List<String> KEYS = List.of("log_retention_days");

    /** The retention periods CloudWatch Logs accepts (PutRetentionPolicy retentionInDays). */
    static final Set<Integer> LOG_RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
            731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    /** log_retention_days; the default after an error too (the error stops the file anyway). */
    int retentionDays() {
        return f.integer("log_retention_days", false).filter(f.check("log_retention_days",
                LOG_RETENTION_DAYS::contains, "a CloudWatch Logs retention period in days, one of "
                        + new TreeSet<>(LOG_RETENTION_DAYS))).orElse(EnvConfig.DEFAULT_LOG_RETENTION_DAYS);
    }
}
