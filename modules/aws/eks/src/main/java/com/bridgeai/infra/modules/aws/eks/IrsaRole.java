package com.bridgeai.infra.modules.aws.eks;

import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocument;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatement;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementCondition;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementPrincipals;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRoleConfig;
import java.util.List;
import software.constructs.Construct;

/**
 * An IAM role for a Kubernetes service account (IRSA): assumable only through the cluster's
 * OIDC provider, only by {@code system:serviceaccount:<namespace>:<name>}, only for STS.
 */
public final class IrsaRole extends Construct {
    /** How the token's {@code sub} is compared with {@code system:serviceaccount:<namespace>:<name>}. */
    public enum Subject {
        /** {@code StringEquals}: exactly one service account (every role but where AWS documents otherwise). */
        EXACTLY,
        /**
         * {@code StringLike}: {@code name} is a pattern with {@code *}, for a driver whose several
         * service accounts AWS documents under one role (the EFS CSI driver's controller and node).
         */
        LIKE
    }

    private final IamRole role;
    private final String arn; // read once: each attribute read is a jsii round trip

    /**
     * @param roleName        the role's name, or {@code path/name} for a role under an IAM path
     * @param oidcProviderArn the cluster's IAM OIDC provider
     * @param oidcIssuer      its issuer URL without {@code https://} (the condition key prefix)
     */
    public IrsaRole(Construct scope, String id, String roleName, String oidcProviderArn, String oidcIssuer,
                    String namespace, String serviceAccount) {
        this(scope, id, roleName, oidcProviderArn, oidcIssuer, namespace, serviceAccount, Subject.EXACTLY);
    }

    /** As above, with {@code serviceAccount} compared as {@code subject} says. */
    public IrsaRole(Construct scope, String id, String roleName, String oidcProviderArn, String oidcIssuer,
                    String namespace, String serviceAccount, Subject subject) {
        super(scope, id);
        if ((subject == Subject.LIKE) != serviceAccount.contains("*")) {
            throw new IllegalArgumentException("service account " + serviceAccount + ": a pattern (with *) needs Subject.LIKE,"
                    + " an exact name Subject.EXACTLY");
        }
        // a policy document, not jsonencode: the condition keys contain the issuer token
        DataAwsIamPolicyDocument trust = new DataAwsIamPolicyDocument(this, "trust",
                DataAwsIamPolicyDocumentConfig.builder()
                        .statement(List.of(DataAwsIamPolicyDocumentStatement.builder()
                                .effect("Allow")
                                .actions(List.of("sts:AssumeRoleWithWebIdentity"))
                                .principals(List.of(DataAwsIamPolicyDocumentStatementPrincipals.builder()
                                        .type("Federated").identifiers(List.of(oidcProviderArn)).build()))
                                .condition(List.of(
                                        DataAwsIamPolicyDocumentStatementCondition.builder()
                                                .test(subject == Subject.LIKE ? "StringLike" : "StringEquals")
                                                .variable(oidcIssuer + ":sub")
                                                .values(List.of("system:serviceaccount:" + namespace + ":" + serviceAccount))
                                                .build(),
                                        DataAwsIamPolicyDocumentStatementCondition.builder()
                                                .test("StringEquals").variable(oidcIssuer + ":aud")
                                                .values(List.of("sts.amazonaws.com"))
                                                .build()))
                                .build()))
                        .build());
        // "service-role/Name" (from an ARN with a path): role Name under IAM path /service-role/,
        // so that the role's ARN is the one written in env.yaml
        int slash = roleName.lastIndexOf('/');
        IamRoleConfig.Builder config = IamRoleConfig.builder()
                .name(roleName.substring(slash + 1))
                .assumeRolePolicy(trust.getJson());
        if (slash > 0) {
            config.path("/" + roleName.substring(0, slash) + "/");
        }
        role = new IamRole(this, "role", config.build());
        arn = role.getArn();
    }

    public IamRole role() {
        return role;
    }

    public String arn() {
        return arn;
    }
}
