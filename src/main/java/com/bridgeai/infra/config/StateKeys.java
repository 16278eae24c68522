package com.bridgeai.infra.config;

import com.bridgeai.infra.config.EnvConfig.StateBackend;
import java.util.List;
import java.util.regex.Pattern;

/** The env file's state-backend keys: where every stack of the env keeps its Terraform state. */
record StateKeys(YamlFields f) {
    static final List<String> KEYS = List.of("bucket", "dynamodb_table", "create_lock_table");

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    /** The backend; a component is null where its key has an error (recorded in the file's list). */
    StateBackend read() {
        String bucket = f.string("bucket", true).filter(this::bucketName).orElse(null);
        String table = f.string("dynamodb_table", true)
                .filter(f.check("dynamodb_table", v -> TABLE.matcher(v).matches(),
                        "a DynamoDB table name: 3-255 characters of A-Z a-z 0-9 _ . -")).orElse(null);
        boolean createLockTable = f.bool("create_lock_table", false).orElse(StateBackend.DEFAULT_CREATE_LOCK_TABLE);
        return new StateBackend(bucket, table, createLockTable);
    }

    /** S3's bucket naming rules (general purpose buckets). */
    private boolean bucketName(String v) {
        String why = null;
        if (!BUCKET.matcher(v).matches()) {
            why = "3-63 characters of a-z 0-9 . -, starting and ending with a letter or digit";
        } else if (v.contains("..")) {
            why = "no two adjacent dots";
        } else if (IPV4.matcher(v).matches()) {
            why = "not formatted as an IP address";
        } else if (v.startsWith("xn--") || v.startsWith("sthree-") || v.endsWith("-s3alias") || v.endsWith("--ol-s3")) {
            why = "no reserved prefix (xn--, sthree-) or suffix (-s3alias, --ol-s3)";
        }
        if (why != null) {
            f.invalid("bucket", "expected an S3 bucket name (" + why + "), found \"" + v + "\"");
        }
        return why == null;
    }
}
