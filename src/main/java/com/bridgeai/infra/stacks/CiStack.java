package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfig.Ci;
import com.bridgeai.infra.guardrails.CheckovSkips;
import com.hashicorp.cdktf.ITerraformDependable;
import com.hashicorp.cdktf.Postcondition;
import com.hashicorp.cdktf.TerraformDataSource;
import com.hashicorp.cdktf.TerraformProviderGeneratorMetadata;
import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformResourceConfig;
import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.providers.aws.data_aws_caller_identity.DataAwsCallerIdentity;
import com.hashicorp.cdktf.providers.aws.data_aws_caller_identity.DataAwsCallerIdentityConfig;
import com.bridgeai.infra.modules.aws.kms.AwsAccount;
import com.bridgeai.infra.modules.aws.kms.CustomerKey;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_openid_connect_provider.DataAwsIamOpenidConnectProvider;
import com.hashicorp.cdktf.providers.aws.data_aws_partition.DataAwsPartition;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_openid_connect_provider.DataAwsIamOpenidConnectProviderConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocument;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatement;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementCondition;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementPrincipals;
import com.hashicorp.cdktf.providers.aws.iam_openid_connect_provider.IamOpenidConnectProvider;
import com.hashicorp.cdktf.providers.aws.iam_openid_connect_provider.IamOpenidConnectProviderConfig;
import com.hashicorp.cdktf.providers.aws.iam_policy.IamPolicy;
import com.hashicorp.cdktf.providers.aws.iam_policy.IamPolicyConfig;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRoleConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicy;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicyConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachment;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachmentConfig;
import com.hashicorp.cdktf.providers.github.provider.GithubProvider;
import com.hashicorp.cdktf.providers.github.provider.GithubProviderConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * {@code <env>-ci}: AWS access for the GitHub Actions workflows without stored keys. GitHub's OIDC
 * provider ({@code token.actions.githubusercontent.com}; one per account, so an env may read the one
 * another env creates) and two roles that only this repository's workflow tokens can assume:
 * <ul>
 *   <li>{@code <project>-<env>-ci-plan}: read-only ({@code ReadOnlyAccess}, the env's state objects; no lock writes), for
 *       pull-request plans and the scheduled drift check ({@code sub} = the repository's
 *       {@code pull_request} or its default branch);</li>
 *   <li>{@code <project>-<env>-ci-apply}: what the stacks need, for the apply job, which runs in the
 *       env's GitHub environment (its approval gate; {@code sub} = that environment only), within the
 *       permissions boundary {@code <project>-<env>-ci-apply-boundary}, which also bounds every role
 *       the env's other stacks create.</li>
 * </ul>
 * The boundary denies changes to this stack's roles and policy: CI never applies this stack (an
 * administrator applies it from a laptop, like the state stack).
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
     * environment (required reviewers, deployment branch = the default branch) gets the role, and
     * its permissions boundary ({@link #BOUNDARY_DENIES}) caps what a run can do beyond review.
     */
    static final String ADMINISTRATOR = "arn:aws:iam::aws:policy/AdministratorAccess";
    /**
     * What the apply role's permissions boundary denies, by statement id; everything else it allows
     * (a boundary only caps: what the role may do is the intersection of it and AdministratorAccess,
     * IAM User Guide "Permissions boundaries for IAM entities"). Each closes a way for a workflow run
     * holding the role to escape review: change who may assume the CI roles or what they may do,
     * lift the boundary, mint credentials outside OIDC, or destroy the evidence and the data.
     */
    static final java.util.Map<String, List<String>> BOUNDARY_DENIES = new java.util.LinkedHashMap<>();
    static {
        // the CI roles of every env of the project in the account (the resources are name patterns)
        BOUNDARY_DENIES.put("CiRolesUnchanged", List.of("iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole",
                "iam:DeleteRolePermissionsBoundary", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PassRole",
                "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole",
                "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription"));
        // the boundary policies themselves: a new default version would lift every deny here
        BOUNDARY_DENIES.put("BoundaryUnchanged", List.of("iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy",
                "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"));
        // a role created (or re-bounded) without this boundary would be an unbounded administrator the
        // workflow can hand to a Lambda or instance: every role the stacks create carries it
        // (EnvironmentStacks); StringNotEquals also matches a request without the key (IAM User Guide,
        // "Condition operators": a negated operator on a missing key is true)
        BOUNDARY_DENIES.put("NewRolesCarryTheBoundary", List.of("iam:CreateRole", "iam:PutRolePermissionsBoundary"));
        BOUNDARY_DENIES.put("NoBoundaryRemoval", List.of("iam:DeleteRolePermissionsBoundary"));
        // IAM users and access keys are long-lived credentials outside GitHub's OIDC; the stacks have none
        BOUNDARY_DENIES.put("NoLongLivedCredentials", List.of("iam:*AccessKey*", "iam:*Group*", "iam:*LoginProfile*",
                "iam:*User*"));
        // an existing role that trusts the account (arn:aws:iam::<account>:root) would let an administrator
        // identity policy assume it, unbounded; Terraform here never assumes a role (the providers use
        // the job's session)
        BOUNDARY_DENIES.put("NoRoleHopping", List.of("sts:AssumeRole"));
        BOUNDARY_DENIES.put("GithubOidcProviderUnchanged", List.of("iam:AddClientIDToOpenIDConnectProvider",
                "iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider",
                "iam:RemoveClientIDFromOpenIDConnectProvider", "iam:TagOpenIDConnectProvider",
                "iam:UntagOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint"));
        BOUNDARY_DENIES.put("CloudTrailKeepsLogging", List.of("cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors",
                "cloudtrail:StopLogging", "cloudtrail:UpdateTrail"));
        // every key of the account, not only the env's: a condition on its tags or alias could be
        // defeated by the same role retagging or re-aliasing the key first (kms:TagResource,
        // kms:UpdateAlias), and the stacks never need these on a reviewed apply (keys are created with
        // their policy by CreateKey; a policy change or a deletion is an administrator's laptop apply)
        BOUNDARY_DENIES.put("KmsKeysKept", List.of("kms:DisableKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"));
        BOUNDARY_DENIES.put("StaysInTheOrganization", List.of("organizations:LeaveOrganization"));
    }

    /** The workflow files the roles trust (.github/workflows/): the OIDC {@code sub} names the job's workflow file. */
    public static final String DEPLOY_WORKFLOW = "deploy.yml";
    public static final String PULL_REQUEST_WORKFLOW = "pull-request.yml";
    public static final String DRIFT_WORKFLOW = "drift.yml";
    /**
     * The repository's OIDC subject template (GitHub docs "OpenID Connect reference", customizing the
     * subject claims, whose example is this list): {@code repo:<owner/name>:<context>:job_workflow_ref:<owner/name>/.github/workflows/<file>@<ref>},
     * where context is {@code environment:<name>}, {@code pull_request} or {@code ref:<ref>}.
     */
    public static final List<String> SUB_CLAIM_KEYS = List.of("repo", "context", "job_workflow_ref");
    /** Long enough for a first EKS apply (cluster + node group ~20-30 min), short otherwise. */
    static final int APPLY_SESSION_SECONDS = 2 * 3600;

    private final String planRoleName;
    private final String applyRoleName;

    public CiStack(Construct scope, EnvConfig env) {
        super(scope, env, StackUnit.CI);
        Ci ci = env.ci().orElseThrow();
        useRemoteState();
        awsProvider();
        // the workflows build the role ARNs from ci_aws_account_id: deploying into another account
        // would create roles no workflow ever assumes, so the plan stops here instead
        DataAwsCallerIdentity caller = new DataAwsCallerIdentity(this, "caller", DataAwsCallerIdentityConfig.builder()
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
        // on GitHub: the protected environment and the subject format first, then the roles that trust them
        List<ITerraformDependable> github = env.emulated() ? List.of() : githubProtection(ci);
        List<Subjects> planSubjects;
        List<Subjects> applySubjects;
        if (env.emulated()) {
            // an emulated env has no GitHub: GitHub's default subject format
            planSubjects = List.of(new Subjects("GitHubActionsOidc", "StringEquals",
                    List.of(repo + ":pull_request", repo + ":ref:refs/heads/" + ci.branch())));
            applySubjects = List.of(new Subjects("GitHubActionsOidc", "StringEquals",
                    List.of(repo + ":environment:" + ci.githubEnvironment())));
        } else {
            String workflows = Ci.owner(ci.repository()) + "/" + Ci.name(ci.repository()) + "/.github/workflows/";
            String branch = "refs/heads/" + ci.branch();
            planSubjects = List.of(
                    // the nightly drift check and the deploy workflow's plan job (its saved plans)
                    new Subjects("DriftCheckAndDeployPlansOfTheDefaultBranch", "StringEquals", List.of(
                            repo + ":ref:" + branch + ":job_workflow_ref:" + workflows + DRIFT_WORKFLOW + "@" + branch,
                            repo + ":ref:" + branch + ":job_workflow_ref:" + workflows + DEPLOY_WORKFLOW + "@" + branch)),
                    // a pull request's plans, only in the plan environment (its reviewers approved the
                    // run: the PR's own code runs there); the one wildcard: the pull request's number in
                    // its merge ref (refs/pull/<n>/merge)
                    new Subjects("ApprovedPullRequestPlans", "StringLike", List.of(repo + ":environment:"
                            + ci.planEnvironment() + ":job_workflow_ref:" + workflows + PULL_REQUEST_WORKFLOW
                            + "@refs/pull/*/merge")));
            applySubjects = List.of(new Subjects("DeployWorkflowInTheProtectedEnvironment", "StringEquals",
                    List.of(repo + ":environment:" + ci.githubEnvironment() + ":job_workflow_ref:" + workflows
                            + DEPLOY_WORKFLOW + "@" + branch)));
        }
        IamRole plan = new IamRole(this, "plan_role", IamRoleConfig.builder()
                .name(planRoleName)
                .description("GitHub Actions of " + ci.repository() + ": plans and drift checks of env " + env.name())
                .assumeRolePolicy(trust("plan_trust", providerArn, planSubjects))
                .maxSessionDuration(3600)
                .dependsOn(github)
                .build());
        new IamRolePolicyAttachment(this, "plan_read_only", IamRolePolicyAttachmentConfig.builder()
                .role(plan.getName()).policyArn(READ_ONLY).build());
        // the deploy workflow's saved plans hold state values (the github stack's deploy keys): the
        // plan job encrypts them with a data key of this key (bin/ci-plans), bound to the run; the
        // plan role may only make data keys, the apply role (AdministratorAccess through the key
        // policy's account statement) decrypts
        CustomerKey plansKey = new CustomerKey(this, "plans_key", env.ciPlansKeyAlias().substring("alias/".length()),
                "GitHub Actions of " + ci.repository() + ": the saved plans of env " + env.name() + " between plan and apply",
                new AwsAccount(new DataAwsPartition(this, "partition").getPartition(), caller.getAccountId(),
                        env.project().region()), List.of());
        new IamRolePolicy(this, "plan_state_read", IamRolePolicyConfig.builder()
                .name("terraform-state-read")
                .role(plan.getName())
                .policy(stateReadPolicy(ci.awsAccountId(), plansKey.arn()))
                .build());

        IamRole apply = new IamRole(this, "apply_role", IamRoleConfig.builder()
                .name(applyRoleName)
                .description("GitHub Actions of " + ci.repository() + ": applies env " + env.name()
                        + " from GitHub environment " + ci.githubEnvironment())
                .assumeRolePolicy(trust("apply_trust", providerArn, applySubjects))
                .maxSessionDuration(APPLY_SESSION_SECONDS)
                .dependsOn(github)
                .permissionsBoundary(boundary(ci.awsAccountId()).getArn())
                .build());
        CheckovSkips.skip(new IamRolePolicyAttachment(this, "apply_administrator", IamRolePolicyAttachmentConfig.builder()
                .role(apply.getName()).policyArn(ADMINISTRATOR).build()), Map.of("CKV_AWS_274", "the stacks create IAM"
                + " roles with their policies, which is administrator-equivalent whatever the list; capped by the"
                + " permissions boundary " + env.ciBoundaryName() + " and assumable only by the deploy workflow's"
                + " job in the protected GitHub environment (docs/ci.md)"));

        output("oidc_provider_arn", providerArn);
        output("plan_role_arn", plan.getArn());
        output("apply_role_arn", apply.getArn());
    }

    /**
     * The apply role's permissions boundary: allow everything, deny {@link #BOUNDARY_DENIES}. Its name
     * is fixed ({@link EnvConfig#ciBoundaryName()}): the other stacks name it by ARN on their roles.
     */
    private IamPolicy boundary(String account) {
        String iam = "arn:aws:iam::" + account + ":";
        String prefix = env.project().project() + "-*-ci-";
        java.util.Map<String, List<String>> resources = java.util.Map.of(
                "CiRolesUnchanged", List.of(iam + "role/" + prefix + "plan", iam + "role/" + prefix + "apply"),
                "BoundaryUnchanged", List.of(iam + "policy/" + prefix + "apply-boundary"),
                "GithubOidcProviderUnchanged", List.of(iam + "oidc-provider/" + ISSUER));
        java.util.ArrayList<DataAwsIamPolicyDocumentStatement> statements = new java.util.ArrayList<>();
        statements.add(DataAwsIamPolicyDocumentStatement.builder()
                .sid("AllowWhatTheIdentityPolicyAllows").effect("Allow").actions(List.of("*")).resources(List.of("*")).build());
        BOUNDARY_DENIES.forEach((sid, actions) -> {
            DataAwsIamPolicyDocumentStatement.Builder st = DataAwsIamPolicyDocumentStatement.builder()
                    .sid(sid).effect("Deny").actions(actions).resources(resources.getOrDefault(sid, List.of("*")));
            if (sid.equals("NewRolesCarryTheBoundary")) {
                st.condition(List.of(DataAwsIamPolicyDocumentStatementCondition.builder()
                        .test("StringNotEquals").variable("iam:PermissionsBoundary")
                        .values(List.of(env.ciBoundaryArn())).build()));
            }
            statements.add(st.build());
        });
        DataAwsIamPolicyDocument document = new DataAwsIamPolicyDocument(this, "apply_boundary_document",
                DataAwsIamPolicyDocumentConfig.builder().statement(statements).build());
        // checkov reads "Allow * on *" as an administrator policy; as a boundary it grants nothing
        String boundaryReason = "a permissions boundary, not a grant: the role may do only what both its own policy and"
                + " this allow (IAM User Guide, \"Permissions boundaries for IAM entities\"); the Allow * leaves the"
                + " role's policy in charge, the Deny statements are what the boundary is for";
        // TreeMaps here and below: a Map.of's iteration order differs from JVM to JVM, cdk.tf.json's must not
        CheckovSkips.skip(document, new java.util.TreeMap<>(Map.of("CKV_AWS_1", boundaryReason, "CKV_AWS_49", boundaryReason,
                "CKV2_AWS_40", boundaryReason)));
        return new IamPolicy(this, "apply_boundary", IamPolicyConfig.builder()
                .name(env.ciBoundaryName())
                .description("Permissions boundary of " + applyRoleName + " and of every role the stacks of env "
                        + env.name() + " create: denies changes to the CI roles, this policy, the GitHub OIDC"
                        + " provider, CloudTrail, KMS keys' policy and deletion, IAM users, role hopping")
                .policy(document.getJson())
                .build());
    }

    /** One trust statement: {@code sub} matched by {@code test} against one of {@code values}. */
    record Subjects(String sid, String test, List<String> values) {}

    /**
     * Only tokens of GitHub's issuer, for AWS STS, with one of these subjects: one statement per
     * matching rule (conditions of one statement are ANDed, statements ORed). StringEquals but for
     * the pull-request number: a sub of another branch, environment, workflow or repository must not match.
     */
    private String trust(String id, String providerArn, List<Subjects> subjects) {
        List<DataAwsIamPolicyDocumentStatement> statements = new ArrayList<>();
        for (Subjects sub : subjects) {
            statements.add(DataAwsIamPolicyDocumentStatement.builder()
                    .sid(sub.sid())
                    .effect("Allow")
                    .actions(List.of("sts:AssumeRoleWithWebIdentity"))
                    .principals(List.of(DataAwsIamPolicyDocumentStatementPrincipals.builder()
                            .type("Federated").identifiers(List.of(providerArn)).build()))
                    .condition(List.of(
                            DataAwsIamPolicyDocumentStatementCondition.builder()
                                    .test("StringEquals").variable(ISSUER + ":aud").values(List.of(AUDIENCE)).build(),
                            DataAwsIamPolicyDocumentStatementCondition.builder()
                                    .test(sub.test()).variable(ISSUER + ":sub").values(sub.values()).build()))
                    .build());
        }
        return new DataAwsIamPolicyDocument(this, id, DataAwsIamPolicyDocumentConfig.builder()
                .statement(statements).build()).getJson();
    }

    /**
     * What the roles' trust relies on, created on GitHub before the roles (they depend on it):
     * <ul>
     *   <li>the repository's OIDC subject template {@link #SUB_CLAIM_KEYS}: GitHub then writes the job's
     *       workflow file into {@code sub}, the one claim AWS STS lets a trust policy check
     *       (GitHub docs, "OpenID Connect reference": customizing the subject claims; AWS IAM User
     *       Guide, "Available keys for GitHub OIDC federation": {@code sub}, {@code aud}, {@code amr} only);
     *       so a job of another workflow file gets neither role;</li>
     *   <li>the apply job's GitHub environment with its required reviewers ({@code ci_reviewers}),
     *       self-review refused, no administrator bypass, deployments from the default branch only
     *       (GitHub docs, "Managing environments for deployment": a workflow that names an environment
     *       which does not exist creates it <em>without</em> protection rules, and administrators
     *       bypass them by default).</li>
     * </ul>
     * The resources' Java bindings are not among the trimmed github submodules (bindings/github/pom.xml):
     * plain TerraformResources of the same provider, their attributes as in its documentation.
     * Needs a GITHUB_TOKEN with administration rights on the repository: the administrator's, from a
     * laptop (CI never applies this stack).
     */
    private List<ITerraformDependable> githubProtection(Ci ci) {
        new GithubProvider(this, "github", GithubProviderConfig.builder().owner(Ci.owner(ci.repository())).build());
        String repository = Ci.name(ci.repository());
        TerraformResource template = github("github_actions_repository_oidc_subject_claim_customization_template",
                "oidc_subject_template", Map.of("repository", repository, "use_default", false,
                        "include_claim_keys", SUB_CLAIM_KEYS));
        List<String> users = new ArrayList<>();
        List<String> teams = new ArrayList<>();
        for (String reviewer : ci.reviewers()) {
            String login = reviewer.substring(1);
            String id = "reviewer_" + login.replaceAll("[^A-Za-z0-9]", "_");
            if (login.contains("/")) {
                teams.add(githubData("github_team", id, Map.of("slug", login.substring(login.indexOf('/') + 1),
                        "summary_only", true))
                        .getStringAttribute("id"));
            } else {
                users.add(githubData("github_user", id, Map.of("username", login)).getStringAttribute("id"));
            }
        }
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("repository", repository);
        environment.put("environment", ci.githubEnvironment());
        environment.put("can_admins_bypass", false);
        environment.put("prevent_self_review", true);
        environment.put("reviewers", List.of(new java.util.TreeMap<>(Map.of("users", users, "teams", teams))));
        environment.put("deployment_branch_policy", List.of(new java.util.TreeMap<>(Map.of("protected_branches", false,
                "custom_branch_policies", true))));
        // GitHub keeps required reviewers only where the repository's plan has them (private and
        // internal repositories: GitHub Enterprise only, "Managing environments for deployment"):
        // what it read back must be what was asked, or the apply stops before either role exists
        environment.put("lifecycle", reviewersKept(ci, ci.githubEnvironment(), "the apply role would trust unapproved jobs"));
        TerraformResource apply = github("github_repository_environment", "apply_environment", environment);
        TerraformResource branch = github("github_repository_environment_deployment_policy", "apply_environment_branch",
                Map.of("repository", repository, "environment", apply.getStringAttribute("environment"),
                        "branch_pattern", ci.branch()));
        // a pull request's plans wait in their own environment for the same reviewers (self-review
        // refused: the author does not approve their own code's access). No branch policy: a pull
        // request runs on its merge ref, which a branch policy would refuse
        Map<String, Object> plans = new LinkedHashMap<>(environment);
        plans.put("environment", ci.planEnvironment());
        plans.remove("deployment_branch_policy");
        plans.put("lifecycle", reviewersKept(ci, ci.planEnvironment(),
                "the plan role would trust a pull request's unreviewed code"));
        TerraformResource plan = github("github_repository_environment", "plan_environment", plans);
        return List.of(template, apply, branch, plan);
    }

    /**
     * The lifecycle of a protected environment: GitHub keeps required reviewers only where the
     * repository's plan has them (private and internal repositories: GitHub Enterprise only,
     * "Managing environments for deployment"), so what it read back must be what was asked, or the
     * apply stops before either role exists.
     */
    private static Map<String, Object> reviewersKept(Ci ci, String environment, String consequence) {
        return Map.of("postcondition", List.of(new java.util.TreeMap<>(Map.of(
                "condition", "${length(self.reviewers) == 1 && length(self.reviewers[0].users) + length(self.reviewers[0].teams)"
                        + " == " + ci.reviewers().size() + " && !self.can_admins_bypass}",
                "error_message", "GitHub did not keep the required reviewers (" + String.join(", ", ci.reviewers())
                        + ") or admin bypass is on for environment " + environment + " of " + ci.repository()
                        + ": without them " + consequence + ". Required reviewers need a public repository or GitHub"
                        + " Enterprise (docs/ci.md, step 2)."))));
    }

    private TerraformResource github(String type, String id, Map<String, Object> attributes) {
        TerraformResource r = new TerraformResource(this, id, TerraformResourceConfig.builder()
                .terraformResourceType(type)
                .terraformGeneratorMetadata(TerraformProviderGeneratorMetadata.builder().providerName("github").build())
                .build());
        new java.util.TreeMap<>(attributes).forEach(r::addOverride);
        return r;
    }

    private TerraformDataSource githubData(String type, String id, Map<String, Object> attributes) {
        TerraformDataSource d = new TerraformDataSource(this, id, TerraformResourceConfig.builder()
                .terraformResourceType(type)
                .terraformGeneratorMetadata(TerraformProviderGeneratorMetadata.builder().providerName("github").build())
                .build());
        new java.util.TreeMap<>(attributes).forEach(d::addOverride);
        return d;
    }

    /**
     * The env's state objects, explicitly (ReadOnlyAccess reads them too), and — the state objects
     * being SSE-KMS under the env's state key (EnvStack) — kms:Decrypt on that key: ReadOnlyAccess
     * grants only kms:Describe*, Get*, List*, and a GetObject of an SSE-KMS object needs kms:Decrypt
     * (S3 user guide, "Using server-side encryption with AWS KMS keys"). The key's ARN is the state
     * stack's, unknown here; the statement names the key by its alias ({@code kms:ResourceAliases})
     * and allows the call only through S3 ({@code kms:ViaService}). The apply role
     * (AdministratorAccess) may use the key through the key policy's account statement.
     * No lock-table writes: CI's plans and drift checks are read-only and run with
     * {@code -lock=false} (bin/tf-stacks), so they never wait for an apply's lock nor leave one
     * behind; the lock table's digest item is read through ReadOnlyAccess ({@code dynamodb:GetItem}).
     */
    private String stateReadPolicy(String account, String plansKeyArn) {
        String bucket = "arn:aws:s3:::" + env.backend().bucket();
        return new DataAwsIamPolicyDocument(this, "state_read", DataAwsIamPolicyDocumentConfig.builder()
                .statement(List.of(
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
                                .build(),
                        // the deploy workflow's saved plans (bin/ci-plans): data keys only; the decrypt
                        // above is the state key's, through S3, so the plan role cannot open a bundle
                        DataAwsIamPolicyDocumentStatement.builder()
                                .sid("EncryptSavedPlans")
                                .actions(List.of("kms:GenerateDataKey"))
                                .resources(List.of(plansKeyArn))
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
