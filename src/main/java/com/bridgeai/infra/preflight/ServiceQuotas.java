package com.bridgeai.infra.preflight;

import java.util.Optional;

/** Reads one EC2 quota of the account in the env's region (Service Quotas, service code {@code ec2}). */
public final class ServiceQuotas {
    private ServiceQuotas() {}

    /** A quota by its code and its name as the Service Quotas console shows it. */
    public record Quota(String code, String name) {
        @Override
        public String toString() {
            return "\"" + name + "\" (" + code + ")";
        }
    }

    /** The quota's value, or empty with {@code source} saying why it could not be read. */
    public record Value(Optional<Double> value, String source) {
        public static Value known(double value, String source) {
            return new Value(Optional.of(value), source);
        }

        public static Value unknown(String why) {
            return new Value(Optional.empty(), why);
        }
    }

    /**
     * The account's applied value; when the account has none (Service Quotas answers
     * NoSuchResourceException until a quota was ever changed for some quotas), AWS's default.
     */
    public static Value read(AwsCli aws, Quota quota) {
        AwsCli.Answer applied = aws.call("service-quotas", "get-service-quota", "--service-code", "ec2",
                "--quota-code", quota.code());
        if (applied.ok()) {
            return Value.known(applied.body().path("Quota").path("Value").asDouble(), "the account's value");
        }
        if (!applied.errorCode().equals("NoSuchResourceException")) {
            return Value.unknown("GetServiceQuota answered " + applied.error());
        }
        AwsCli.Answer fallback = aws.call("service-quotas", "get-aws-default-service-quota", "--service-code", "ec2",
                "--quota-code", quota.code());
        if (fallback.ok()) {
            return Value.known(fallback.body().path("Quota").path("Value").asDouble(), "AWS's default; the account has no value of its own");
        }
        return Value.unknown("GetServiceQuota answered " + applied.error() + " and GetAWSDefaultServiceQuota "
                + fallback.error());
    }

    /** A quota value as the console shows it: whole numbers without ".0". */
    static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
