package com.bridgeai.infra.modules.aws.kms;

import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.providers.aws.kms_alias.KmsAlias;
import com.hashicorp.cdktf.providers.aws.kms_alias.KmsAliasConfig;
import com.hashicorp.cdktf.providers.aws.kms_key.KmsKey;
import com.hashicorp.cdktf.providers.aws.kms_key.KmsKeyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * A customer-managed KMS key with an explicit key policy, yearly rotation, a 30-day deletion
 * window and an alias. The policy always lets the account administer and use the key through
 * IAM (the root principal: what the default policy does, but written down), and additionally
 * names the AWS services that encrypt with it on the account's behalf ({@link Service}).
 */
public final class CustomerKey extends Construct {
    /** An AWS service principal the key policy admits, limited to this account's resources. */
    public sealed interface Service permits CloudWatchLogs, S3AccessLogs {}

    /**
     * CloudWatch Logs of the region, for log groups whose name starts with {@code logGroupPrefix}
     * (the encryption context CloudWatch Logs sends is the log group's ARN).
     */
    public record CloudWatchLogs(String logGroupPrefix) implements Service {}

    /** S3 server access log delivery ({@code logging.s3.amazonaws.com}) into this account's buckets. */
    public record S3AccessLogs() implements Service {}

    private final String arn;
    private final String keyId;
    private final KmsKey key;

    public CustomerKey(Construct scope, String id, String alias, String description, AwsAccount account, List<Service> services) {
        super(scope, id);
        key = new KmsKey(this, "key", KmsKeyConfig.builder()
                .description(description)
                .enableKeyRotation(true)
                .deletionWindowInDays(30)
                .policy(policy(account, services))
                .build());
        arn = key.getArn(); // read once: each attribute read is a jsii round trip
        keyId = key.getKeyId();
        new KmsAlias(this, "alias", KmsAliasConfig.builder().name("alias/" + alias).targetKeyId(keyId).build());
    }

    /** The key policy: TreeMaps, because jsonencode keeps a Map.of's per-JVM random key order in its text. */
    public static String policy(AwsAccount account, List<Service> services) {
        List<Object> statements = new ArrayList<>();
        statements.add(statement("AccountAdministersThroughIam", Map.of("AWS", account.rootArn()), List.of("kms:*"), null));
        for (Service service : services) {
            if (service instanceof CloudWatchLogs logs) {
                statements.add(statement("CloudWatchLogsEncrypts",
                        Map.of("Service", "logs." + account.region() + ".amazonaws.com"),
                        List.of("kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"),
                        Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn", "arn:" + account.partition()
                                + ":logs:" + account.region() + ":" + account.accountId() + ":log-group:"
                                + logs.logGroupPrefix() + "*"))));
            } else if (service instanceof S3AccessLogs) {
                statements.add(statement("S3AccessLogDeliveryEncrypts",
                        Map.of("Service", "logging.s3.amazonaws.com"),
                        List.of("kms:GenerateDataKey*"),
                        Map.of("StringEquals", Map.of("aws:SourceAccount", account.accountId()))));
            }
        }
        return Fn.jsonencode(new TreeMap<>(Map.of("Version", "2012-10-17", "Statement", statements)));
    }

    private static Map<String, Object> statement(String sid, Map<String, String> principal, List<String> actions,
                                                 Map<String, Map<String, String>> condition) {
        TreeMap<String, Object> s = new TreeMap<>();
        s.put("Sid", sid);
        s.put("Effect", "Allow");
        s.put("Principal", new TreeMap<>(principal));
        s.put("Action", actions);
        s.put("Resource", "*"); // in a key policy "*" is this key
        if (condition != null) {
            TreeMap<String, Object> c = new TreeMap<>();
            condition.forEach((op, kv) -> c.put(op, new TreeMap<>(kv)));
            s.put("Condition", c);
        }
        return s;
    }

    public String arn() {
        return arn;
    }

    public String keyId() {
        return keyId;
    }

    public KmsKey key() {
        return key;
    }
}
