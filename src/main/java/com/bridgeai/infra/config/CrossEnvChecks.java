package com.bridgeai.infra.config;

import com.bridgeai.infra.config.EnvConfig.Addon;
import com.bridgeai.infra.modules.aws.eks.AddonCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The rules that compare env files with each other: names that two envs deployed to the same
 * account (or emulator) cannot both create. Each file is valid on its own when it gets here.
 */
final class CrossEnvChecks {
    private CrossEnvChecks() {}

    /** A valid env with the line of each of its keys ({@code bucket}, {@code addons[0].service_account_role_arn}, ...). */
    record Located(EnvConfig env, Map<String, Integer> lines) {
        /** {@code env} with the lines of the keys of the file's node tree {@code root}. */
        static Located of(EnvConfig env, Node root) {
            return new Located(env, keyLines(root));
        }

        int line(String... keys) {
            for (String key : keys) {
                Integer line = lines.get(key);
                if (line != null) {
                    return line;
                }
            }
            return 0;
        }

        String at(String... keys) {
            int line = line(keys);
            return line > 0 ? env.file() + ":" + line : env.file().toString();
        }

        /** The line of each top-level key and of each key in the mappings of a top-level list ({@code addons[0].x}). */
        private static Map<String, Integer> keyLines(Node root) {
            Map<String, Integer> lines = new HashMap<>();
            if (root instanceof MappingNode m) {
                for (var t : m.getValue()) {
                    if (!(t.getKeyNode() instanceof ScalarNode k)) {
                        continue;
                    }
                    lines.putIfAbsent(k.getValue(), YamlFields.line(t.getKeyNode()));
                    if (t.getValueNode() instanceof SequenceNode seq) {
                        for (int i = 0; i < seq.getValue().size(); i++) {
                            if (seq.getValue().get(i) instanceof MappingNode item) {
                                for (var it : item.getValue()) {
                                    if (it.getKeyNode() instanceof ScalarNode ik) {
                                        lines.putIfAbsent(k.getValue() + "[" + i + "]." + ik.getValue(),
                                                YamlFields.line(it.getKeyNode()));
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return lines;
        }
    }

    /**
     * Names that two envs deployed to the same place cannot both create (the second apply would
     * fail with "already exists"): the state bucket (names are global in AWS), the lock table
     * unless {@code create_lock_table: false} (per account and region) and the IRSA roles named by
     * placeholder ARNs (per account, case-insensitively). For real AWS the profile stands in for
     * the account; an emulated env's "account" is its emulator endpoint. Only envs without other
     * errors take part (an invalid file is reported first). Each clash is reported once, in the
     * file that should change ({@link EnvOrigin}: not the deployed or earlier committed one),
     * naming the other file and line.
     */
    static List<ConfigError> sharedAccountResources(List<Located> envs, EnvOrigin origin) {
        record Owner(Located env, int index) {}
        List<ConfigError> errors = new ArrayList<>();
        Map<String, Owner> buckets = new HashMap<>();
        Map<String, Owner> tables = new HashMap<>();
        Map<String, Owner> roles = new HashMap<>();
        Map<String, Owner> oidcProviders = new HashMap<>();
        for (Located here : envs) {
            EnvConfig env = here.env();
            String account = account(env);
            String bucket = env.backend().bucket();
            Owner other = buckets.putIfAbsent(bucket + (env.emulated() ? " in " + account : ""), new Owner(here, 0));
            if (other != null) {
                errors.add(clash(origin, here, other.env(), "bucket", who -> new String[] {"bucket"},
                        (fix, keep) -> "expected a state bucket of this environment alone (its state stack creates"
                                + " it; bucket names are global), found \"" + bucket + "\", also the bucket of "
                                + keep.at("bucket")));
            }
            // the state stack also creates <bucket>-logs (access logs): it must not be another env's bucket
            String logBucket = env.backend().accessLogBucket();
            other = other != null ? null // the same bucket twice: said above, the log bucket follows from it
                    : buckets.putIfAbsent(logBucket + (env.emulated() ? " in " + account : ""), new Owner(here, 0));
            if (other != null) {
                Located owner = other.env();
                errors.add(clash(origin, here, owner, "bucket", who -> new String[] {"bucket"},
                        (fix, keep) -> "expected a state bucket whose access-log bucket (its name + \"-logs\") is no"
                                + " other environment's bucket, found \"" + logBucket + "\", the access-log bucket of "
                                + here.at("bucket") + " and also a bucket of " + owner.at("bucket")
                                + "; rename one of the buckets"));
            }
            String table = lockTable(env);
            if (env.backend().createLockTable()) {
                other = tables.putIfAbsent(table, new Owner(here, 0));
                if (other != null) {
                    errors.add(clash(origin, here, other.env(), "create_lock_table",
                            who -> new String[] {"create_lock_table", "dynamodb_table"},
                            (fix, keep) -> "expected false when another environment's state stack creates the same"
                                    + " lock table (" + keep.at("create_lock_table", "dynamodb_table")
                                    + " creates dynamodb_table " + table + "), found true (set or by default);"
                                    + " set create_lock_table: false here (its state stack then reads the table),"
                                    + " or name another dynamodb_table"));
                }
            }
            Optional<String> oidcAccount = env.ci().filter(EnvConfig.Ci::createOidcProvider).map(ci -> ciAccount(env));
            if (oidcAccount.isPresent()) {
                other = oidcProviders.putIfAbsent(oidcAccount.get(), new Owner(here, 0));
                if (other != null) {
                    errors.add(clash(origin, here, other.env(), "ci_create_oidc_provider",
                            who -> new String[] {"ci_create_oidc_provider", "ci_github_repository"},
                            (fix, keep) -> "expected false when another environment's ci stack creates GitHub's OIDC"
                                    + " provider in the same account (" + keep.at("ci_create_oidc_provider",
                                    "ci_github_repository") + " creates it in " + oidcAccount.get() + "; IAM holds one"
                                    + " provider per issuer and account), found true (set or by default); set"
                                    + " ci_create_oidc_provider: false here (its ci stack then reads the provider)"));
                }
            }
            List<Addon> addons = env.addons().enabled() ? env.addons().list() : List.of();
            for (int i = 0; i < addons.size(); i++) {
                Addon a = addons.get(i);
                Optional<String> arn = a.serviceAccountRoleArn();
                if (arn.isEmpty() || !arn.get().contains(EnvConfig.ACCOUNT_PLACEHOLDER)
                        || AddonCatalog.irsa(a.name()).isEmpty()) {
                    continue; // no role created, or one named after the cluster (unique per env)
                }
                String role = arn.get().substring(arn.get().lastIndexOf('/') + 1); // the path is not part of the name
                Owner owner = roles.putIfAbsent(role.toLowerCase(Locale.ROOT) + " (" + account + ")", new Owner(here, i));
                String key = "addons[" + i + "].service_account_role_arn";
                if (owner != null && owner.env() == here) {
                    errors.add(new ConfigError(env.file(), here.line(key), key, "expected each placeholder role name"
                            + " once (this stack creates the role; IAM role names are unique per account, ignoring"
                            + " case), found role " + role + " also at addons[" + owner.index() + "] (line "
                            + here.line("addons[" + owner.index() + "].service_account_role_arn") + ")"));
                } else if (owner != null) {
                    String otherKey = "addons[" + owner.index() + "].service_account_role_arn";
                    errors.add(clash(origin, here, owner.env(), null,
                            who -> new String[] {who == here ? key : otherKey},
                            (fix, keep) -> {
                                String fixArn = fix == here ? arn.get() : roleArn(owner.env(), owner.index());
                                String keepKey = keep == here ? key : otherKey;
                                return "expected an IAM role name no other environment in this account creates ("
                                        + keep.at(keepKey) + " creates role " + role + " with " + account
                                        + "), found \"" + fixArn + "\"; give each env its own name (e.g. " + role
                                        + "-" + fix.env().name() + ") or drop the line for a role named after the cluster";
                            }));
                }
            }
        }
        // an emulator starts empty: a lock table it does not create itself can only come from
        // another env on the same emulator (a real account may hold one made outside this project)
        for (Located here : envs) {
            EnvConfig env = here.env();
            if (env.emulated() && !env.backend().createLockTable()) {
                String table = lockTable(env);
                if (!tables.containsKey(table)) {
                    errors.add(new ConfigError(env.file(), here.line("create_lock_table"), "create_lock_table",
                            "expected true in an emulated environment unless another env on the same emulator creates"
                                    + " dynamodb_table " + table + " (an emulator starts empty), found false"));
                }
            }
            if (env.emulated() && env.ci().isPresent() && !env.ci().get().createOidcProvider()
                    && !oidcProviders.containsKey(ciAccount(env))) {
                errors.add(new ConfigError(env.file(), here.line("ci_create_oidc_provider"), "ci_create_oidc_provider",
                        "expected true in an emulated environment unless another env on the same emulator creates"
                                + " GitHub's OIDC provider (an emulator starts empty), found false"));
            }
        }
        return errors;
    }

    /**
     * {@code ci_promote_after}: the deploy workflow applies the named env first and this one only
     * after it succeeded, in two stages: so the named env is another CI env of the same repository
     * on real AWS that is itself promoted after none.
     */
    static List<ConfigError> promotion(List<Located> envs) {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, EnvConfig> byName = new HashMap<>();
        envs.forEach(l -> byName.put(l.env().name(), l.env()));
        for (Located here : envs) {
            EnvConfig env = here.env();
            Optional<String> after = env.ci().flatMap(EnvConfig.Ci::promoteAfter);
            if (after.isEmpty()) {
                continue;
            }
            EnvConfig first = byName.get(after.get());
            String problem = null;
            if (first == null || first.ci().isEmpty() || first.emulated()) {
                problem = "an env with CI on real AWS, found \"" + after.get() + "\"" + (first == null ? ", which is no env"
                        : first.emulated() ? ", an emulated env (CI never applies it)" : ", an env without ci_github_repository");
            } else if (!first.ci().get().repository().equals(env.ci().get().repository())) {
                problem = "an env deployed from the same repository (" + env.ci().get().repository() + "), found \""
                        + after.get() + "\", deployed from " + first.ci().get().repository();
            } else if (first.ci().get().promoteAfter().isPresent()) {
                problem = "an env that is not promoted itself (the deploy workflow has two stages), found \"" + after.get()
                        + "\", promoted after \"" + first.ci().get().promoteAfter().get() + "\"";
            }
            if (problem != null) {
                errors.add(new ConfigError(env.file(), here.line("ci_promote_after"), "ci_promote_after", "expected " + problem));
            }
        }
        return errors;
    }

    private static String roleArn(Located env, int index) {
        return env.env().addons().list().get(index).serviceAccountRoleArn().orElse("");
    }

    /**
     * One error for a clash between {@code here} and {@code other}, placed in the file that should
     * change; {@code keys} gives the key (first) and its fallbacks whose line the error points at,
     * {@code message} is written from the point of view of that file ({@code fix}) and the one that
     * keeps its value ({@code keep}).
     */
    private static ConfigError clash(EnvOrigin origin, Located here, Located other, String keyPath,
            Function<Located, String[]> keys, BiFunction<Located, Located, String> message) {
        EnvOrigin.Verdict verdict = origin.judge(here.env(), other.env());
        Located fix = verdict.fix() == here.env() ? here : other;
        Located keep = fix == here ? other : here;
        String[] fixKeys = keys.apply(fix);
        StringBuilder text = new StringBuilder(message.apply(fix, keep));
        text.append(" (fix it in this file: ").append(verdict.why()).append(")");
        List<Integer> copied = EnvOrigin.commentsNaming(fix.env().file(), keep.env().name());
        if (!copied.isEmpty()) {
            text.append("; its comments still name \"").append(keep.env().name()).append("\" (line")
                    .append(copied.size() == 1 ? " " : "s ")
                    .append(String.join(", ", copied.stream().map(String::valueOf).toList()))
                    .append("): a copy of ").append(keep.env().file()).append("? update them too");
        }
        return new ConfigError(fix.env().file(), fix.line(fixKeys), keyPath == null ? fixKeys[0] : keyPath,
                text.toString());
    }

    /** Where an env's names must be unique: its emulator, or (real AWS) the account its profile stands for. */
    private static String account(EnvConfig env) {
        return env.emulated() ? "emulator " + env.emulatorEndpoint().orElseThrow() : "profile " + env.project().profile();
    }

    /** The account an env's CI stack deploys to: its emulator, or ci_aws_account_id. */
    private static String ciAccount(EnvConfig env) {
        return env.emulated() ? account(env) : "account " + env.ci().orElseThrow().awsAccountId();
    }

    /** An env's lock table as one name in one region of one account. */
    private static String lockTable(EnvConfig env) {
        return env.backend().lockTable() + " in " + env.project().region() + " (" + account(env) + ")";
    }
}
