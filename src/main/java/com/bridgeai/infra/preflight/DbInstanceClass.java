package com.bridgeai.infra.preflight;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfig.AppsDatabase;
import com.bridgeai.infra.config.KeyLines;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The apps' RDS instance class for the engine version the eks stack pins
 * ({@link com.bridgeai.infra.modules.aws.eks.AppsDatabase#ENGINE_VERSION}, a major version: RDS picks
 * its default minor), in the env's region: not every class is sold for every version and region,
 * and RDS refuses CreateDBInstance for one that is not, after the cluster was built.
 */
public final class DbInstanceClass {
    public static final String CHECK = "db-instance-class";
    static final String ENGINE = "postgres";

    private DbInstanceClass() {}

    /** One orderable option: an engine version, a class, whether it can run Multi-AZ. */
    public record Orderable(String engineVersion, String instanceClass, boolean multiAzCapable) {}

    /** True for the pinned major version itself and its minors ("17", "17.4"), not "1.7" or "170". */
    static boolean ofMajor(String version, String major) {
        return version.equals(major) || version.startsWith(major + ".");
    }

    /**
     * @param forClass      orderable options of the class for the engine's versions of the pinned major
     * @param majorVersions the region's engine versions of the pinned major (DescribeDBEngineVersions);
     *                      empty Optional when that could not be read ({@code unknownWhy})
     * @param offered       classes offered for the newest of those versions (suggestions), when asked
     */
    public static Finding judge(String where, AppsDatabase db, String major, String region, List<Orderable> forClass,
            Optional<List<String>> majorVersions, String unknownWhy, List<String> offered) {
        String klass = db.instanceClass();
        if (!db.rds()) {
            return Finding.ok(CHECK, where, "apps_database: bundled: no RDS instance to check");
        }
        if (!forClass.isEmpty()) {
            String versions = String.join(", ", new TreeSet<>(forClass.stream().map(Orderable::engineVersion).toList()));
            if (db.multiAz() && forClass.stream().noneMatch(Orderable::multiAzCapable)) {
                return Finding.blocker(CHECK, where, klass + " is offered for PostgreSQL " + versions + " in " + region
                        + " but not Multi-AZ, and db_multi_az is true. Change: a Multi-AZ capable db_instance_class, or"
                        + " db_multi_az: false");
            }
            return Finding.ok(CHECK, where, klass + " offered for PostgreSQL " + versions + " in " + region
                    + (db.multiAz() ? ", Multi-AZ capable" : ""));
        }
        if (majorVersions.isEmpty()) {
            return Finding.warn(CHECK, where, "cannot judge: the endpoint lists no orderable " + klass + " for PostgreSQL "
                    + major + " and could not list PostgreSQL's engine versions (" + unknownWhy + "); on AWS itself"
                    + " this check tells \"class not offered\" from \"version not offered\"");
        }
        if (majorVersions.get().isEmpty()) {
            return Finding.blocker(CHECK, where, "RDS offers no PostgreSQL " + major + " in " + region + ": the eks stack"
                    + " pins engine version " + major + " (AppsDatabase.ENGINE_VERSION). Change: another region, or"
                    + " apps_database: \"bundled\" (demo only)");
        }
        if (offered.isEmpty()) {
            return Finding.warn(CHECK, where, "cannot judge: the endpoint lists PostgreSQL " + major + " ("
                    + String.join(", ", majorVersions.get()) + ") but no orderable instance class for it");
        }
        return Finding.blocker(CHECK, where, klass + " is not offered for PostgreSQL " + major + " in " + region
                + ", so RDS refuses the instance. Change: db_instance_class to one that is, e.g. "
                + String.join(", ", suggestions(klass, offered)));
    }

    /** A few offered classes, those of the wanted class's family first (db.t4g.* for db.t4g.small). */
    static List<String> suggestions(String klass, List<String> offered) {
        String family = klass.contains(".") ? klass.substring(0, klass.lastIndexOf('.') + 1) : klass;
        List<String> sorted = new ArrayList<>(new TreeSet<>(offered));
        sorted.sort(Comparator.comparing((String c) -> !c.startsWith(family)));
        return sorted.subList(0, Math.min(6, sorted.size()));
    }

    public static Finding check(AwsCli aws, EnvConfig env, KeyLines lines) {
        AppsDatabase db = env.appsDatabase();
        String major = com.bridgeai.infra.modules.aws.eks.AppsDatabase.ENGINE_VERSION;
        String region = env.project().region();
        String where = lines.at(db.rds() ? "db_instance_class" : "apps_database");
        if (!db.rds()) {
            return judge(where, db, major, region, List.of(), Optional.of(List.of()), "", List.of());
        }
        // the class's options across versions, filtered here to the major: RDS matches
        // --engine-version exactly, and the stack pins only the major
        AwsCli.Answer forClass = aws.call("rds", "describe-orderable-db-instance-options", "--engine", ENGINE,
                "--db-instance-class", db.instanceClass());
        if (!forClass.ok()) {
            return Finding.warn(CHECK, where, "cannot judge: DescribeOrderableDBInstanceOptions answered " + forClass.error());
        }
        List<Orderable> options = orderables(forClass.body()).stream().filter(o -> ofMajor(o.engineVersion(), major)).toList();
        if (!options.isEmpty()) {
            return judge(where, db, major, region, options, Optional.of(List.of()), "", List.of());
        }
        AwsCli.Answer versions = aws.call("rds", "describe-db-engine-versions", "--engine", ENGINE);
        if (!versions.ok()) {
            return judge(where, db, major, region, options, Optional.empty(),
                    "DescribeDBEngineVersions answered " + versions.error(), List.of());
        }
        List<String> majorVersions = new ArrayList<>();
        versions.body().path("DBEngineVersions").forEach(v -> {
            if (ofMajor(v.path("EngineVersion").asText(), major)) {
                majorVersions.add(v.path("EngineVersion").asText());
            }
        });
        List<String> offered = new ArrayList<>();
        if (!majorVersions.isEmpty()) {
            String newest = majorVersions.stream().max(Comparator.comparing(DbInstanceClass::versionKey)).orElseThrow();
            AwsCli.Answer classes = aws.call("rds", "describe-orderable-db-instance-options", "--engine", ENGINE,
                    "--engine-version", newest);
            if (classes.ok()) {
                orderables(classes.body()).forEach(o -> offered.add(o.instanceClass()));
            }
        }
        return judge(where, db, major, region, options, Optional.of(majorVersions), "", offered);
    }

    private static List<Orderable> orderables(JsonNode body) {
        List<Orderable> list = new ArrayList<>();
        body.path("OrderableDBInstanceOptions").forEach(o -> list.add(new Orderable(o.path("EngineVersion").asText(),
                o.path("DBInstanceClass").asText(), o.path("MultiAZCapable").asBoolean())));
        return list;
    }

    /** "17.10" after "17.9": compares the numeric parts. */
    private static String versionKey(String version) {
        StringBuilder key = new StringBuilder();
        for (String part : version.split("\\.")) {
            key.append(String.format("%08d", part.matches("\\d+") ? Long.parseLong(part) : 0));
        }
        return key.toString();
    }
}
