package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import com.hashicorp.cdktf.Postcondition;
import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.providers.aws.data_aws_caller_identity.DataAwsCallerIdentity;
import com.hashicorp.cdktf.providers.aws.data_aws_caller_identity.DataAwsCallerIdentityConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_openid_connect_provider.DataAwsIamOpenidConnectProvider;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_openid_connect_provider.DataAwsIamOpenidConnectProviderConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocument;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatement;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementCondition;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementPrincipals;
import com.hashicorp.cdktf.providers.aws.iam_openid_connect_provider.IamOpenidConnectProvider;
import com.hashicorp.cdktf.providers.aws.iam_openid_connect_provider.IamOpenidConnectProviderConfig;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRoleConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicy;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicyConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachment;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachmentConfig;
import java.util.List;
import software.constructs.Construct;

/**
 * {@code <env>-ci}: AWS access for the GitHub Actions workflows without stored keys. GitHub's OIDC
 * provider ({@code token.actions.githubusercontent.com}; one per account, so an env may read the one
 * another env creates) and two roles that only this repository's workflow tokens can assume:
 * <ul>
 *   <li>{@code <project>-<env>-ci-plan}: read-only ({@code ReadOnlyAccess}) plus the state lock, for
 *       pull-request plans and the scheduled drift check ({@code sub} = the repository's
 *       {@code pull_request} or its default branch);</li>
 *   <li>{@code <project>-<env>-ci-apply}: what the stacks need, for the apply job, which runs in the
 *       env's GitHub environment (its approval gate; {@code sub} = that environment only).</li>
 * </ul>
 * The stack must exist before CI can run: it is applied once from a laptop (README "Running it from CI").
 */
public final class CiStack extends EnvStack {
    /** GitHub Actions' OIDC issuer. */
    public static final String ISSUER = "token.actions.githubusercontent.com";
    /** The audience configure-aws-credentials asks GitHub for. */
    public static final String AUDIENCE = "sts.amazonaws.com";
    /**
     * The issuer's intermediate CA thumbprints (GitHub changelog 2023-06-27). IAM no longer uses them
     * for this issuer (it trusts its root CA library; configure-aws-credentials v6.2.3 README), but the
     * 18.0.3 bindings still require the attribute.
     */
    static final List<String> THUMBPRINTS = List.of("6938fd4d98bab03faadb97b34396831e3780aea1",
            "1c58a3a8518e8759bf075b76b750d4f2df264fcd");
    static final String READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    /**
     * The apply role's policy. Why administrator: the stacks create IAM roles and attach policies to
     * them (cluster, nodes, IRSA, these CI roles), KMS keys with key policies, EKS, VPC, S3, DynamoDB
     * and logs; whoever may create roles with arbitrary policies is administrator-equivalent, so a
     * narrower list would be a false limit. What limits it instead: only a job in this env's GitHub
     * environment (required reviewers, deployment branch = the default branch) gets the role.
     */
    static final String ADMINISTRATOR = "arn:aws:iam::aws:policy/AdministratorAccess";
    /** Long enough for a first EKS apply (cluster + node group ~20-30 min), short otherwise. */
    static final int APPLY_SESSION_SECONDS = 2 * 3600;

    private final String planRoleName;
    private final String applyRoleName;

    public CiStack(Construct scope, EnvConfig env) {
        super(scope, env, StackUnit.CI);
        EnvConfig.Ci ci = env.ci().orElseThrow();
        useRemoteState();
        awsProvider();
        // the workflows build the role ARNs from ci_aws_account_id: deploying into another account
        // would create roles no workflow ever assumes, so the plan stops here instead
        new DataAwsCallerIdentity(this, "caller", DataAwsCallerIdentityConfig.builder()
                .lifecycle(TerraformResourceLifecycle.builder().postcondition(List.of(Postcondition.builder()
                        .condition("${self.account_id == \"" + ci.awsAccountId() + "\"}")
                        .errorMessage("ci_aws_account_id in " + env.file() + " is " + ci.awsAccountId()
                                + ", but the credentials deploy into another account; fix the key or the profile")
                        .build())).build())
                .build());

        String providerArn;
        if (ci.createOidcProvider()) {
            providerArn = new IamOpenidConnectProvider(this, "github_oidc", IamOpenidConnectProviderConfig.builder()
                    .url("https://" + ISSUER)
                    .clientIdList(List.of(AUDIENCE))
                    .thumbprintList(THUMBPRINTS)
                    .build()).getArn();
        } else {
            // another env in this account creates it (ci_create_oidc_provider: false): only read it
            providerArn = new DataAwsIamOpenidConnectProvider(this, "github_oidc",
                    DataAwsIamOpenidConnectProviderConfig.builder().url("https://" + ISSUER).build()).getArn();
        }

        planRoleName = env.ciRoleName("plan");
        applyRoleName = env.ciRoleName("apply");
        String repo = "repo:" + ci.repository();
        IamRole plan = new IamRole(this, "plan_role", IamRoleConfig.builder()
                .name(planRoleName)
                .description("GitHub Actions of " + ci.repository() + ": plans and drift checks of env " + env.name())
                .assumeRolePolicy(trust("plan_trust", providerArn,
                        List.of(repo + ":pull_request", repo + ":ref:refs/heads/" + ci.branch())))
                .maxSessionDuration(3600)
                .build());
        new IamRolePolicyAttachment(this, "plan_read_only", IamRolePolicyAttachmentConfig.builder()
                .role(plan.getName()).policyArn(READ_ONLY).build());
        new IamRolePolicy(this, "plan_state_lock", IamRolePolicyConfig.builder()
                .name("terraform-state-lock")
                .role(plan.getName())
                .policy(stateLockPolicy(ci.awsAccountId()))
                .build());

        IamRole apply = new IamRole(this, "apply_role", IamRoleConfig.builder()
                .name(applyRoleName)
                .description("GitHub Actions of " + ci.repository() + ": applies env " + env.name()
                        + " from GitHub environment " + ci.githubEnvironment())
                .assumeRolePolicy(trust("apply_trust", providerArn,
                        List.of(repo + ":environment:" + ci.githubEnvironment())))
                .maxSessionDuration(APPLY_SESSION_SECONDS)
                .build());
        new IamRolePolicyAttachment(this, "apply_administrator", IamRolePolicyAttachmentConfig.builder()
                .role(apply.getName()).policyArn(ADMINISTRATOR).build());

        output("oidc_provider_arn", providerArn);
        output("plan_role_arn", plan.getArn());
        output("apply_role_arn", apply.getArn());
    }

    /** Only tokens of GitHub's issuer, for AWS STS, with exactly one of these subjects. */
    private String trust(String id, String providerArn, List<String> subjects) {
        return new DataAwsIamPolicyDocument(this, id, DataAwsIamPolicyDocumentConfig.builder()
                .statement(List.of(DataAwsIamPolicyDocumentStatement.builder()
                        .sid("GitHubActionsOidc")
                        .effect("Allow")
                        .actions(List.of("sts:AssumeRoleWithWebIdentity"))
                        .principals(List.of(DataAwsIamPolicyDocumentStatementPrincipals.builder()
                                .type("Federated").identifiers(List.of(providerArn)).build()))
                        .condition(List.of(
                                DataAwsIamPolicyDocumentStatementCondition.builder()
                                        .test("StringEquals").variable(ISSUER + ":aud").values(List.of(AUDIENCE)).build(),
                                // StringEquals, never StringLike with wildcards: a sub of another branch,
                                // environment or repository must not match
                                DataAwsIamPolicyDocumentStatementCondition.builder()
                                        .test("StringEquals").variable(ISSUER + ":sub").values(subjects).build()))
                        .build()))
                .build()).getJson();
    }

    /**
     * Terraform's S3 backend needs, beyond reading: the lock table's items (the lock and the state
     * digest), and — the state objects being SSE-KMS under the env's state key (EnvStack) — kms:Decrypt
     * on that key: ReadOnlyAccess grants only kms:Describe*, Get*, List*, and a GetObject of an SSE-KMS
     * object needs kms:Decrypt (S3 user guide, "Using server-side encryption with AWS KMS keys").
     * The key's ARN is the state stack's, unknown here; the statement names the key by its alias
     * ({@code kms:ResourceAliases}) and allows the call only through S3 ({@code kms:ViaService}). The
     * apply role (AdministratorAccess) may use the key through the key policy's account statement.
     */
    private String stateLockPolicy(String account) {
        String table = "arn:aws:dynamodb:" + env.project().region() + ":" + account + ":table/" + env.backend().lockTable();
        String bucket = "arn:aws:s3:::" + env.backend().bucket();
        return new DataAwsIamPolicyDocument(this, "state_lock", DataAwsIamPolicyDocumentConfig.builder()
                .statement(List.of(
                        DataAwsIamPolicyDocumentStatement.builder()
                                .sid("StateLock")
                                .actions(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"))
                                .resources(List.of(table))
                                .build(),
                        DataAwsIamPolicyDocumentStatement.builder()
                                .sid("StateRead")
                                .actions(List.of("s3:ListBucket", "s3:GetObject"))
                                .resources(List.of(bucket, bucket + "/" + env.name() + "/*"))
                                .build(),
                        DataAwsIamPolicyDocumentStatement.builder()
                                .sid("StateDecrypt")
                                .actions(List.of("kms:Decrypt"))
                                .resources(List.of("arn:aws:kms:" + env.project().region() + ":" + account + ":key/*"))
                                .condition(List.of(
                                        DataAwsIamPolicyDocumentStatementCondition.builder()
                                                .test("ForAnyValue:StringEquals").variable("kms:ResourceAliases")
                                                .values(List.of(env.stateKeyAlias())).build(),
                                        DataAwsIamPolicyDocumentStatementCondition.builder()
                                                .test("StringEquals").variable("kms:ViaService")
                                                .values(List.of("s3." + env.project().region() + ".amazonaws.com")).build()))
                                .build()))
                .build()).getJson();
    }

    public String planRoleName() {
        return planRoleName;
    }

    public String applyRoleName() {
        return applyRoleName;
    }

    private void output(String name, String value) {
        new TerraformOutput(this, name, TerraformOutputConfig.builder().value(value).build());
    }
}
