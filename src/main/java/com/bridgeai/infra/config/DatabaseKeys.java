package com.bridgeai.infra.config;

import com.bridgeai.infra.config.EnvConfig.AppsDatabase;
import com.bridgeai.infra.config.EnvConfig.AppsDatabaseKind;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The env file's keys of the apps' metadata database (Airflow's and MLflow's): where it lives and,
 * for RDS, how it is sized. Every {@code db_*} key belongs here.
 */
record DatabaseKeys(YamlFields f) {
    static final List<String> KEYS = List.of("apps_database", "db_instance_class", "db_multi_az");

    /** RDS DB instance classes: db.<family>.<size>, e.g. db.t4g.small, db.m7g.large. */
    private static final Pattern DB_INSTANCE_CLASS = Pattern.compile("db\\.[a-z][a-z0-9-]*\\.[a-z0-9]+");

    /**
     * apps_database (rds | bundled), db_instance_class and db_multi_az (rds only); null when
     * apps_database has an error.
     */
    AppsDatabase read() {
        AppsDatabaseKind kind = f.string("apps_database", false).map(v -> switch (v) {
            case "rds" -> AppsDatabaseKind.RDS;
            case "bundled" -> AppsDatabaseKind.BUNDLED;
            default -> {
                f.invalid("apps_database", "expected \"rds\" (an Amazon RDS for PostgreSQL instance for Airflow's and"
                        + " MLflow's metadata) or \"bundled\" (the charts' own PostgreSQL, demo only), found \"" + v + "\"");
                yield null;
            }
        }).orElse(AppsDatabase.DEFAULT_KIND);
        Optional<String> instanceClass = f.string("db_instance_class", false)
                .filter(f.check("db_instance_class", v -> DB_INSTANCE_CLASS.matcher(v).matches(),
                        "an RDS DB instance class like \"" + AppsDatabase.DEFAULT_INSTANCE_CLASS + "\""));
        if (kind == AppsDatabaseKind.BUNDLED && instanceClass.isPresent()) {
            f.invalid("db_instance_class", "expected no db_instance_class with apps_database: bundled (there is no RDS"
                    + " instance to size), found \"" + instanceClass.get() + "\"");
        }
        Optional<Boolean> multiAz = f.bool("db_multi_az", false);
        if (kind == AppsDatabaseKind.BUNDLED && multiAz.isPresent()) {
            f.invalid("db_multi_az", "expected no db_multi_az with apps_database: bundled (there is no RDS"
                    + " instance to replicate), found " + multiAz.get());
        }
        return kind == null ? null : new AppsDatabase(kind, instanceClass.orElse(AppsDatabase.DEFAULT_INSTANCE_CLASS),
                multiAz.orElse(AppsDatabase.DEFAULT_MULTI_AZ));
    }
}
