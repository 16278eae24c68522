package com.bridgeai.infra.modules.aws.kms;

/**
 * Where a stack deploys: what key policies and ARN patterns are written with.
 *
 * @param partition  {@code aws}, {@code aws-cn}, ... (a token of data.aws_partition)
 * @param accountId  the deploying account (a token of data.aws_caller_identity)
 * @param region     the env's region, e.g. {@code eu-west-2}
 */
public record AwsAccount(String partition, String accountId, String region) {
    /** The account's root principal: key administration delegated to the account's IAM policies. */
    public String rootArn() {
        return "arn:" + partition + ":iam::" + accountId + ":root";
    }
}
