package com.bridgeai.infra.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hashicorp.cdktf.TerraformResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The security invariants this project promises, checked on every synth (what cdk-nag is to
 * AWS CDK): over the synthesized {@code cdk.tf.json} of every stack in the staging folder,
 * before anything is published. It reads what Terraform will read — escape hatches
 * ({@code addOverride}, plain {@code TerraformResource}s) included — which a construct Aspect
 * would not see without asking every resource for its JSON through the jsii bridge.
 *
 * <p>A rule can be waived only in code, per resource, with a reason ({@link #suppress}); the
 * reason lands in the resource's {@code //} metadata, so the synthesized JSON says it too, and
 * the README lists every suppression.
 */
public final class GuardRails {
    /** Where a suppression lives in a resource's JSON: {@code "//": {"guardrails": {"<rule id>": "<reason>"}}}. */
    static final String SUPPRESSIONS = "guardrails";

    /** One invariant: its id (used in suppressions), what it demands and how to fix a violation. */
    public enum Rule {
        S3_PRIVATE("s3-private", "an aws_s3_bucket_public_access_block for the bucket with all four settings true",
                "add an aws_s3_bucket_public_access_block with block_public_acls, block_public_policy,"
                        + " ignore_public_acls and restrict_public_buckets = true"),
        S3_ENCRYPTED("s3-encrypted", "default encryption (an aws_s3_bucket_server_side_encryption_configuration"
                + " with an sse_algorithm)", "add an aws_s3_bucket_server_side_encryption_configuration (aws:kms)"),
        S3_VERSIONED("s3-versioned", "versioning Enabled (an aws_s3_bucket_versioning for the bucket)",
                "add an aws_s3_bucket_versioning with versioning_configuration.status = \"Enabled\""),
        LOG_RETENTION("logs-retention", "a retention_in_days (absent or 0 keeps logs forever, unbilled growth)",
                "set retention_in_days (the env's log_retention_days)"),
        LOG_KMS("logs-kms", "a kms_key_id (a customer key whose policy lets CloudWatch Logs use it)",
                "set kms_key_id to a customer-managed KMS key"),
        KMS_ROTATION("kms-rotation", "enable_key_rotation = true", "set enable_key_rotation = true"),
        KMS_POLICY("kms-policy", "an explicit key policy (policy, or an aws_kms_key_policy for the key)",
                "set policy: the account root (IAM-delegated administration) plus the services that use the key"),
        EKS_SECRETS_ENCRYPTED("eks-secrets-encrypted", "encryption_config for resources [\"secrets\"] with a provider.key_arn",
                "add encryption_config { resources = [\"secrets\"], provider { key_arn = <KMS key ARN> } }"),
        IMDSV2_ONLY("imdsv2-only", "metadata_options.http_tokens = \"required\" (or the metadata endpoint disabled)",
                "set metadata_options { http_tokens = \"required\" }"),
        NO_OPEN_INGRESS("no-open-ingress", "no ingress from 0.0.0.0/0 or ::/0",
                "allow only the CIDRs or security groups that need the port"),
        RDS_ENCRYPTED("rds-encrypted", "storage_encrypted = true (RDS cannot encrypt an existing instance in place)",
                "set storage_encrypted = true (optionally kms_key_id)"),
        RDS_PRIVATE("rds-private", "publicly_accessible absent or false (no public IP for the instance)",
                "set publicly_accessible = false and reach the database from inside the VPC");

        private final String id;
        private final String expected;
        private final String fix;

        Rule(String id, String expected, String fix) {
            this.id = id;
            this.expected = expected;
            this.fix = fix;
        }

        public String id() {
            return id;
        }

        public String expected() {
            return expected;
        }

        public String fix() {
            return fix;
        }
    }

    /** A resource that breaks a rule: the stack, its Terraform address, its construct path, the rule and what was found. */
    public record Violation(String stack, String address, String constructPath, Rule rule, String found) {
        @Override
        public String toString() {
            return stack + ": " + address + (constructPath.isEmpty() ? "" : " (" + constructPath + ")") + ": " + rule.id()
                    + ": expected " + rule.expected() + ", found " + found + "; fix: " + rule.fix()
                    + " (or, with a reason, GuardRails.suppress(resource, Rule." + rule.name() + ", \"why\"))";
        }
    }

    /** A waiver that is in force: which resource, which rule, why. */
    public record Suppression(String stack, String address, String constructPath, String ruleId, String reason) {}

    /** Thrown by a synth whose output breaks a rule; nothing has been published. */
    public static final class ViolationException extends RuntimeException {
        private final transient List<Violation> violations;

        public ViolationException(List<Violation> violations) {
            super(violations.size() + " guard-rail violation(s): " + violations);
            this.violations = List.copyOf(violations);
        }

        public List<Violation> violations() {
            return violations;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A reference to another resource's attribute, e.g. {@code ${aws_s3_bucket.state_bucket.id}}. */
    private static final Pattern REF = Pattern.compile("^\\$\\{([a-z0-9_]+)\\.([A-Za-z0-9_-]+)\\.([a-z_]+)}$");

    private GuardRails() {}

    /**
     * Waives {@code rule} for one resource, with the reason a reviewer reads (in the synthesized
     * JSON and the README's list of suppressions). A blank reason is itself a violation.
     */
    public static void suppress(TerraformResource resource, Rule rule, String reason) {
        resource.addOverride("//." + SUPPRESSIONS + "." + rule.id(), reason);
    }

    /** Checks every {@code stacks/<name>/cdk.tf.json} under {@code outdir}. */
    public static List<Violation> check(Path outdir) {
        return scan(outdir).violations;
    }

    /** The suppressions in force in every stack under {@code outdir}. */
    public static List<Suppression> suppressions(Path outdir) {
        return scan(outdir).suppressions;
    }

    private record Result(List<Violation> violations, List<Suppression> suppressions) {}

    private static Result scan(Path outdir) {
        Result result = new Result(new ArrayList<>(), new ArrayList<>());
        Path stacks = outdir.resolve("stacks");
        if (!Files.isDirectory(stacks)) {
            return result;
        }
        try (Stream<Path> dirs = Files.list(stacks)) {
            for (Path dir : dirs.sorted().toList()) {
                Path file = dir.resolve("cdk.tf.json");
                if (Files.isRegularFile(file)) {
                    checkStack(dir.getFileName().toString(), JSON.readTree(file.toFile()), result);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /** Checks one stack's JSON (exposed for tests that build deliberately bad resources). */
    public static List<Violation> checkStack(String stack, JsonNode json) {
        Result result = new Result(new ArrayList<>(), new ArrayList<>());
        checkStack(stack, json, result);
        return result.violations;
    }

    private static void checkStack(String stack, JsonNode json, Result result) {
        Stack s = new Stack(stack, json.path("resource"), result);
        s.each("aws_s3_bucket", s::bucket);
        s.each("aws_cloudwatch_log_group", (name, r) -> {
            s.rule(Rule.LOG_RETENTION, "aws_cloudwatch_log_group", name, r,
                    r.path("retention_in_days").asLong(0) > 0 ? null : describe(r.get("retention_in_days"), "no retention_in_days"));
            s.rule(Rule.LOG_KMS, "aws_cloudwatch_log_group", name, r,
                    nonEmpty(r.get("kms_key_id")) ? null : "no kms_key_id");
        });
        s.each("aws_kms_key", (name, r) -> {
            s.rule(Rule.KMS_ROTATION, "aws_kms_key", name, r,
                    isTrue(r.get("enable_key_rotation")) ? null : describe(r.get("enable_key_rotation"), "no enable_key_rotation"));
            boolean policy = nonEmpty(r.get("policy")) || s.referencedBy("aws_kms_key_policy", "key_id", "aws_kms_key", name, x -> true);
            s.rule(Rule.KMS_POLICY, "aws_kms_key", name, r, policy ? null : "no policy (the default key policy applies)");
        });
        s.each("aws_eks_cluster", (name, r) -> {
            boolean encrypted = blocks(r.get("encryption_config")).stream().anyMatch(e ->
                    contains(e.get("resources"), "secrets")
                            && blocks(e.get("provider")).stream().anyMatch(p -> nonEmpty(p.get("key_arn"))));
            s.rule(Rule.EKS_SECRETS_ENCRYPTED, "aws_eks_cluster", name, r, encrypted ? null : "no encryption_config for secrets");
        });
        s.each("aws_launch_template", (name, r) -> {
            List<JsonNode> options = blocks(r.get("metadata_options"));
            boolean v2Only = options.stream().anyMatch(o -> "required".equals(o.path("http_tokens").asText())
                    || "disabled".equals(o.path("http_endpoint").asText()));
            s.rule(Rule.IMDSV2_ONLY, "aws_launch_template", name, r, v2Only ? null
                    : options.isEmpty() ? "no metadata_options (IMDSv1 allowed)"
                    : "http_tokens " + describe(options.get(0).get("http_tokens"), "unset") + " (IMDSv1 allowed)");
        });
        s.each("aws_db_instance", (name, r) -> {
            s.rule(Rule.RDS_ENCRYPTED, "aws_db_instance", name, r,
                    isTrue(r.get("storage_encrypted")) ? null : describe(r.get("storage_encrypted"), "no storage_encrypted"));
            s.rule(Rule.RDS_PRIVATE, "aws_db_instance", name, r,
                    isTrue(r.get("publicly_accessible")) ? "publicly_accessible " + r.get("publicly_accessible") : null);
        });
        for (String type : List.of("aws_security_group", "aws_default_security_group")) {
            s.each(type, (name, r) -> s.rule(Rule.NO_OPEN_INGRESS, type, name, r,
                    blocks(r.get("ingress")).stream().anyMatch(GuardRails::openCidrs) ? "an ingress block from 0.0.0.0/0 or ::/0" : null));
        }
        s.each("aws_security_group_rule", (name, r) -> s.rule(Rule.NO_OPEN_INGRESS, "aws_security_group_rule", name, r,
                "ingress".equals(r.path("type").asText()) && openCidrs(r) ? "an ingress rule from 0.0.0.0/0 or ::/0" : null));
        s.each("aws_vpc_security_group_ingress_rule", (name, r) -> s.rule(Rule.NO_OPEN_INGRESS,
                "aws_vpc_security_group_ingress_rule", name, r,
                "0.0.0.0/0".equals(r.path("cidr_ipv4").asText()) || "::/0".equals(r.path("cidr_ipv6").asText())
                        ? "an ingress rule from " + (r.has("cidr_ipv4") ? r.get("cidr_ipv4").asText() : r.get("cidr_ipv6").asText())
                        : null));
    }

    /** The resources of one stack and the bookkeeping of its findings. */
    private record Stack(String name, JsonNode resources, Result result) {
        void each(String type, java.util.function.BiConsumer<String, JsonNode> check) {
            JsonNode ofType = resources.path(type);
            for (Iterator<Map.Entry<String, JsonNode>> it = ofType.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                check.accept(e.getKey(), e.getValue());
            }
        }

        /** Records a violation ({@code found} non-null) unless the resource suppresses the rule with a reason. */
        void rule(Rule rule, String type, String resourceName, JsonNode resource, String found) {
            String address = type + "." + resourceName;
            String path = resource.path("//").path("metadata").path("path").asText("");
            JsonNode waiver = resource.path("//").path(SUPPRESSIONS).get(rule.id());
            if (waiver != null) {
                if (waiver.isTextual() && !waiver.asText().isBlank()) {
                    result.suppressions.add(new Suppression(name, address, path, rule.id(), waiver.asText()));
                    return;
                }
                result.violations.add(new Violation(name, address, path, rule, "a suppression without a reason"));
                return;
            }
            if (found != null) {
                result.violations.add(new Violation(name, address, path, rule, found));
            }
        }

        /**
         * True if a resource of {@code type} refers to {@code targetType.targetName} in its
         * {@code attribute} (as {@code ${target.id}}, {@code .arn}, {@code .bucket}, ...) and passes {@code test}.
         */
        boolean referencedBy(String type, String attribute, String targetType, String targetName, Predicate<JsonNode> test) {
            return find(type, attribute, targetType, targetName).stream().anyMatch(test);
        }

        List<JsonNode> find(String type, String attribute, String targetType, String targetName) {
            List<JsonNode> found = new ArrayList<>();
            JsonNode target = resources.path(targetType).path(targetName);
            for (Iterator<JsonNode> it = resources.path(type).elements(); it.hasNext(); ) {
                JsonNode r = it.next();
                String value = r.path(attribute).asText("");
                Matcher m = REF.matcher(value);
                boolean refers = m.matches() ? m.group(1).equals(targetType) && m.group(2).equals(targetName)
                        // a literal name equal to the target's own literal name (an escape hatch may write it so)
                        : !value.isEmpty() && (value.equals(target.path("bucket").asText(null)) || value.equals(target.path("name").asText(null)));
                if (refers) {
                    found.add(r);
                }
            }
            return found;
        }

        void bucket(String name, JsonNode bucket) {
            List<JsonNode> blocks = find("aws_s3_bucket_public_access_block", "bucket", "aws_s3_bucket", name);
            boolean all = blocks.stream().anyMatch(b -> Stream.of("block_public_acls", "block_public_policy",
                    "ignore_public_acls", "restrict_public_buckets").allMatch(k -> isTrue(b.get(k))));
            rule(Rule.S3_PRIVATE, "aws_s3_bucket", name, bucket, all ? null
                    : blocks.isEmpty() ? "no aws_s3_bucket_public_access_block for this bucket" : "a public access block with a setting not true");

            boolean inlineSse = blocks(bucket.get("server_side_encryption_configuration")).stream().anyMatch(GuardRails::sseRule);
            boolean sse = inlineSse || !find("aws_s3_bucket_server_side_encryption_configuration", "bucket", "aws_s3_bucket", name)
                    .stream().filter(GuardRails::sseRule).toList().isEmpty();
            rule(Rule.S3_ENCRYPTED, "aws_s3_bucket", name, bucket, sse ? null : "no default encryption configuration");

            boolean inlineVersioning = blocks(bucket.get("versioning")).stream().anyMatch(v -> isTrue(v.get("enabled")));
            List<JsonNode> versioning = find("aws_s3_bucket_versioning", "bucket", "aws_s3_bucket", name);
            boolean enabled = inlineVersioning || versioning.stream().anyMatch(v -> blocks(v.get("versioning_configuration"))
                    .stream().anyMatch(c -> "Enabled".equals(c.path("status").asText())));
            rule(Rule.S3_VERSIONED, "aws_s3_bucket", name, bucket, enabled ? null
                    : versioning.isEmpty() ? "no aws_s3_bucket_versioning for this bucket" : "versioning not Enabled");
        }
    }

    private static boolean sseRule(JsonNode config) {
        return blocks(config.get("rule")).stream().anyMatch(r -> blocks(r.get("apply_server_side_encryption_by_default"))
                .stream().anyMatch(d -> nonEmpty(d.get("sse_algorithm"))));
    }

    private static boolean openCidrs(JsonNode r) {
        return contains(r.get("cidr_blocks"), "0.0.0.0/0") || contains(r.get("ipv6_cidr_blocks"), "::/0");
    }

    /** A nested block as cdktf writes it: one object, or a list of objects. */
    static List<JsonNode> blocks(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isArray()) {
            List<JsonNode> out = new ArrayList<>();
            node.forEach(out::add);
            return out;
        }
        return List.of(node);
    }

    private static boolean contains(JsonNode list, String value) {
        return list != null && list.isArray() && Optional.of(list).stream()
                .flatMap(l -> Stream.iterate(0, i -> i < l.size(), i -> i + 1).map(l::get))
                .anyMatch(v -> value.equals(v.asText()));
    }

    private static boolean isTrue(JsonNode node) {
        return node != null && (node.isBoolean() ? node.asBoolean() : "true".equals(node.asText()));
    }

    private static boolean nonEmpty(JsonNode node) {
        return node != null && !node.isNull() && !node.asText("").isBlank();
    }

    private static String describe(JsonNode node, String absent) {
        return node == null || node.isNull() ? absent : node.toString();
    }
}
