package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.EnvConfigLoader;
import com.bridgeai.infra.stacks.SynthStack.Element;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code <env>-ci}: GitHub's OIDC provider (created, or read when another env of the account creates
 * it) and the plan/apply roles, whose trust is exactly this repository's tokens for STS: the plan role
 * for pull requests and the default branch, the apply role for the env's GitHub environment only.
 */
class CiStackTest {
    static final SynthFixture F = SynthFixture.variant();
    static final String ISSUER = "token.actions.githubusercontent.com";
    static final String REPO = "repo:" + SynthFixture.VARIANT_CI_REPOSITORY;

    @Test
    void githubsOidcProviderForStsOnly() {
        SynthStack s = F.stack("test-ci");
        s.assertResource("aws_iam_openid_connect_provider", Map.of(
                "url", "https://" + ISSUER,
                "client_id_list", List.of("sts.amazonaws.com"),
                "thumbprint_list", CiStack.THUMBPRINTS));
        assertEquals(s.only("aws_iam_openid_connect_provider").ref("arn"), s.output("oidc_provider_arn").path("value").asText());
    }

    static final String WORKFLOWS = "digicatapult/bridgeai-infra/.github/workflows/";

    @Test
    void thePlanRoleTrustsPullRequestPlansAndTheDriftCheckOfTheDefaultBranchAndOnlyReads() {
        SynthStack s = F.stack("test-ci");
        s.assertResource("aws_iam_role", Map.of("name", "mlops-test-ci-plan", "max_session_duration", 3600));
        Element role = s.resource("aws_iam_role", "plan_role");
        assertTrust(s, role, List.of(
                new CiStack.Subjects("DriftCheckAndDeployPlansOfTheDefaultBranch", "StringEquals", List.of(
                        REPO + ":ref:refs/heads/main:job_workflow_ref:" + WORKFLOWS + "drift.yml@refs/heads/main",
                        REPO + ":ref:refs/heads/main:job_workflow_ref:" + WORKFLOWS + "deploy.yml@refs/heads/main")),
                new CiStack.Subjects("ApprovedPullRequestPlans", "StringLike", List.of(REPO
                        + ":environment:test-approval-plan:job_workflow_ref:" + WORKFLOWS + "pull-request.yml@refs/pull/*/merge"))));
        // a pull request's job outside the plan environment (not approved) does not match
        assertFalse(s.json().contains(":pull_request:job_workflow_ref:"), "no trust of an unapproved pull request's job");
        s.assertResource("aws_iam_role_policy_attachment", Map.of(
                "role", role.ref("name"), "policy_arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"));
        s.assertResource("aws_iam_role_policy", Map.of("role", role.ref("name"), "name", "terraform-state-read"));
        Element read = s.dataSource("aws_iam_policy_document", "state_read");
        assertEquals(List.of("s3:ListBucket", "s3:GetObject"), strings(read.get("/statement/0/actions")));
        assertEquals(List.of("arn:aws:s3:::tfstate-mlops-test", "arn:aws:s3:::tfstate-mlops-test/test/*"),
                strings(read.get("/statement/0/resources")));
        // the state objects are SSE-KMS under the env's state key (EnvStack's kms_key_id): reading
        // them needs kms:Decrypt, which ReadOnlyAccess does not grant; only that key, only via S3
        assertEquals("StateDecrypt", read.get("/statement/1/sid").asText());
        assertEquals(List.of("kms:Decrypt"), strings(read.get("/statement/1/actions")));
        assertEquals(List.of("arn:aws:kms:eu-west-2:" + SynthFixture.VARIANT_CI_ACCOUNT + ":key/*"),
                strings(read.get("/statement/1/resources")));
        assertEquals("ForAnyValue:StringEquals", read.get("/statement/1/condition/0/test").asText());
        assertEquals("kms:ResourceAliases", read.get("/statement/1/condition/0/variable").asText());
        assertEquals(List.of("alias/mlops-test-tfstate"), strings(read.get("/statement/1/condition/0/values")));
        assertEquals("kms:ViaService", read.get("/statement/1/condition/1/variable").asText());
        assertEquals(List.of("s3.eu-west-2.amazonaws.com"), strings(read.get("/statement/1/condition/1/values")));
        // the deploy workflow's saved plans: the plan role makes data keys of the env's plans key;
        // its one decrypt is the state key's through S3, so it cannot open a bundle
        Element key = s.resource("aws_kms_key", "plans_key/key");
        assertEquals("EncryptSavedPlans", read.get("/statement/2/sid").asText());
        assertEquals(List.of("kms:GenerateDataKey"), strings(read.get("/statement/2/actions")));
        assertEquals(List.of(key.ref("arn")), strings(read.get("/statement/2/resources")));
        assertEquals(3, read.get("/statement").size());
        s.assertResource("aws_kms_alias", Map.of("name", "alias/mlops-test-ci-plans"));
        // plans and drift checks run with -lock=false: no write at all, not even the lock table's items
        assertFalse(s.json().contains("\"s3:PutObject\""));
        assertFalse(s.json().contains("dynamodb:PutItem"));
        assertFalse(s.json().contains("dynamodb:DeleteItem"));
        assertEquals(1, s.resources("aws_iam_role_policy").size());
    }

    @Test
    void theApplyRoleTrustsOnlyTheEnvsGithubEnvironment() {
        SynthStack s = F.stack("test-ci");
        s.assertResource("aws_iam_role", Map.of("name", "mlops-test-ci-apply", "max_session_duration", 7200));
        Element role = s.resource("aws_iam_role", "apply_role");
        // the environment and the deploy workflow file at the default branch: a job of another workflow
        // that names the environment gets another sub
        assertTrust(s, role, List.of(new CiStack.Subjects("DeployWorkflowInTheProtectedEnvironment", "StringEquals",
                List.of(REPO + ":environment:test-approval:job_workflow_ref:" + WORKFLOWS + "deploy.yml@refs/heads/main"))));
        s.assertResource("aws_iam_role_policy_attachment", Map.of(
                "role", role.ref("name"), "policy_arn", "arn:aws:iam::aws:policy/AdministratorAccess"));
        assertEquals(role.ref("arn"), s.output("apply_role_arn").path("value").asText());
    }

    static final String BOUNDARY_ARN = "arn:aws:iam::" + SynthFixture.VARIANT_CI_ACCOUNT + ":policy/mlops-test-ci-apply-boundary";

    @Test
    void theApplyRoleIsBoundedByThePolicyTheStackCreates() {
        SynthStack s = F.stack("test-ci");
        Element boundary = s.only("aws_iam_policy");
        assertEquals("mlops-test-ci-apply-boundary", boundary.get("/name").asText());
        assertEquals(boundary.ref("arn"), s.resource("aws_iam_role", "apply_role").get("/permissions_boundary").asText());
        assertTrue(boundary.get("/policy").asText().contains("apply_boundary_document"), boundary::toString);
        // the plan role is read-only: no boundary needed, none given
        assertTrue(s.resource("aws_iam_role", "plan_role").get("/permissions_boundary").isMissingNode());
    }

    /** One Deny statement of the boundary document by its sid: actions, resources, conditions. */
    private static JsonNode deny(String sid) {
        JsonNode statements = F.stack("test-ci").dataSource("aws_iam_policy_document", "apply_boundary_document").get("/statement");
        for (JsonNode st : statements) {
            if (st.path("sid").asText().equals(sid)) {
                assertEquals("Deny", st.path("effect").asText(), sid);
                return st;
            }
        }
        throw new AssertionError("no statement " + sid + " in " + statements);
    }

    @Test
    void checkovsAdministratorChecksAreWaivedOnTheBoundaryAndTheApplyRoleWithTheirReasons() {
        SynthStack s = F.stack("test-ci");
        // the data source's waiver comes in through the stack (cdktf rewrites a data source's "//")
        JsonNode doc = s.tree().at("/data/aws_iam_policy_document/apply_boundary_document/~1~1/checkov/skip");
        assertEquals(List.of("CKV2_AWS_40", "CKV_AWS_1", "CKV_AWS_49"),
                new java.util.TreeSet<>(doc.findValuesAsText("id")).stream().toList(), doc::toString);
        doc.forEach(w -> assertTrue(w.path("comment").asText().startsWith("a permissions boundary, not a grant"), w::toString));
        JsonNode admin = s.resource("aws_iam_role_policy_attachment", "apply_administrator").get("/~1~1/checkov/skip");
        assertEquals(List.of("CKV_AWS_274"), admin.findValuesAsText("id"));
        assertTrue(admin.get(0).path("comment").asText().contains("capped by the permissions boundary mlops-test-ci-apply-boundary"));
    }

    @Test
    void theBoundaryAllowsEverythingElse() {
        JsonNode first = F.stack("test-ci").dataSource("aws_iam_policy_document", "apply_boundary_document").get("/statement/0");
        assertEquals("Allow", first.path("effect").asText());
        assertEquals(List.of("*"), strings(first.path("actions")));
        assertEquals(List.of("*"), strings(first.path("resources")));
        assertTrue(first.path("condition").isMissingNode(), first::toString);
    }

    @Test
    void theBoundaryDeniesChangingTheCiRolesOfEveryEnvOfTheProject() {
        JsonNode st = deny("CiRolesUnchanged");
        String iam = "arn:aws:iam::" + SynthFixture.VARIANT_CI_ACCOUNT + ":role/";
        assertEquals(List.of(iam + "mlops-*-ci-plan", iam + "mlops-*-ci-apply"), strings(st.path("resources")));
        for (String action : List.of("iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy",
                "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRole", "iam:CreateRole",
                "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:PassRole", "iam:UpdateRole")) {
            assertTrue(strings(st.path("actions")).contains(action), action);
        }
        assertTrue(st.path("condition").isMissingNode(), "unconditional");
    }

    @Test
    void theBoundaryDeniesChangingItself() {
        JsonNode st = deny("BoundaryUnchanged");
        assertEquals(List.of("arn:aws:iam::" + SynthFixture.VARIANT_CI_ACCOUNT + ":policy/mlops-*-ci-apply-boundary"),
                strings(st.path("resources")));
        assertTrue(strings(st.path("actions")).containsAll(List.of("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
                "iam:DeletePolicy", "iam:DeletePolicyVersion")), st::toString);
        // and its name is what the other stacks' roles name
        assertTrue(BOUNDARY_ARN.endsWith(":policy/mlops-test-ci-apply-boundary"));
    }

    @Test
    void theBoundaryDeniesRolesWithoutItAndRemovingIt() {
        JsonNode st = deny("NewRolesCarryTheBoundary");
        assertEquals(List.of("iam:CreateRole", "iam:PutRolePermissionsBoundary"), strings(st.path("actions")));
        assertEquals(List.of("*"), strings(st.path("resources")));
        assertEquals(1, st.path("condition").size());
        assertEquals("StringNotEquals", st.at("/condition/0/test").asText());
        assertEquals("iam:PermissionsBoundary", st.at("/condition/0/variable").asText());
        assertEquals(List.of(BOUNDARY_ARN), strings(st.at("/condition/0/values")));
        JsonNode removal = deny("NoBoundaryRemoval");
        assertEquals(List.of("iam:DeleteRolePermissionsBoundary"), strings(removal.path("actions")));
        assertEquals(List.of("*"), strings(removal.path("resources")));
        assertTrue(removal.path("condition").isMissingNode());
    }

    @Test
    void theBoundaryDeniesTheOidcProviderCloudTrailKmsAndLeavingTheOrganization() {
        JsonNode oidc = deny("GithubOidcProviderUnchanged");
        assertEquals(List.of("arn:aws:iam::" + SynthFixture.VARIANT_CI_ACCOUNT + ":oidc-provider/" + ISSUER),
                strings(oidc.path("resources")));
        assertTrue(strings(oidc.path("actions")).containsAll(List.of("iam:DeleteOpenIDConnectProvider",
                "iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider",
                "iam:RemoveClientIDFromOpenIDConnectProvider")), oidc::toString);
        Map<String, List<String>> everywhere = Map.of(
                "CloudTrailKeepsLogging", List.of("cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors",
                        "cloudtrail:StopLogging", "cloudtrail:UpdateTrail"),
                "KmsKeysKept", List.of("kms:DisableKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"),
                "StaysInTheOrganization", List.of("organizations:LeaveOrganization"),
                "NoRoleHopping", List.of("sts:AssumeRole"),
                "NoLongLivedCredentials", List.of("iam:*AccessKey*", "iam:*Group*", "iam:*LoginProfile*", "iam:*User*"));
        everywhere.forEach((sid, actions) -> {
            JsonNode st = deny(sid);
            assertEquals(actions, strings(st.path("actions")), sid);
            assertEquals(List.of("*"), strings(st.path("resources")), sid + ": every trail, key, account");
            assertTrue(st.path("condition").isMissingNode(), sid);
        });
    }

    @Test
    void everyRoleOfTheEnvsOtherStacksCarriesTheBoundaryAndComesAfterTheCiStack() {
        int roles = 0;
        for (String name : List.of("test-vpc", "test-eks")) {
            SynthStack s = F.stack(name);
            for (Element role : s.resources("aws_iam_role")) {
                assertEquals(BOUNDARY_ARN, role.get("/permissions_boundary").asText(), name + " " + role.id());
                roles++;
            }
            assertTrue(strings(F.manifest().path("stacks").path(name).path("dependencies")).contains("test-ci"), name);
        }
        assertTrue(roles >= 5, "the flow logs', cluster's, nodes' and IRSA roles: " + roles);
        // an env without CI (the seed's test) has no boundary to carry
        SynthFixture.seed().stacksOf("test").forEach(s -> s.resources("aws_iam_role").forEach(r ->
                assertTrue(r.get("/permissions_boundary").isMissingNode(), s.name() + " " + r.id())));
    }

    @Test
    void theRepositorysSubjectTemplateNamesTheWorkflowFile() {
        SynthStack s = F.stack("test-ci");
        Element template = s.only("github_actions_repository_oidc_subject_claim_customization_template");
        assertEquals("bridgeai-infra", template.get("/repository").asText(), "the name, without the immutable id");
        assertFalse(template.get("/use_default").asBoolean(true));
        assertEquals(List.of("repo", "context", "job_workflow_ref"), strings(template.get("/include_claim_keys")));
        assertEquals("digicatapult", s.tree().at("/provider/github/0/owner").asText(), "the repository's owner");
    }

    @Test
    void theApplyEnvironmentIsProtectedBeforeEitherRoleTrustsIt() {
        SynthStack s = F.stack("test-ci");
        Element environment = s.resource("github_repository_environment", "apply_environment");
        assertEquals("bridgeai-infra", environment.get("/repository").asText());
        assertEquals("test-approval", environment.get("/environment").asText());
        assertFalse(environment.get("/can_admins_bypass").asBoolean(true), "administrators do not bypass the reviewers");
        assertTrue(environment.get("/prevent_self_review").asBoolean(false), "who pushed does not approve");
        JsonNode reviewers = environment.get("/reviewers/0");
        assertEquals(List.of("${data.github_user.reviewer_alice.id}"), strings(reviewers.path("users")));
        assertEquals(List.of("${data.github_team.reviewer_digicatapult_platform.id}"), strings(reviewers.path("teams")));
        s.assertDataSource("github_user", Map.of("username", "alice"));
        s.assertDataSource("github_team", Map.of("slug", "platform"));
        assertEquals(Map.of("protected_branches", false, "custom_branch_policies", true),
                CanonicalJson.MAPPER.convertValue(environment.get("/deployment_branch_policy/0"), Map.class));
        // the roles come after it: so GitHub must have kept the reviewers (plan-dependent) first
        JsonNode check = environment.get("/lifecycle/postcondition/0");
        assertEquals("${length(self.reviewers) == 1 && length(self.reviewers[0].users) + length(self.reviewers[0].teams)"
                + " == 2 && !self.can_admins_bypass}", check.path("condition").asText());
        assertTrue(check.path("error_message").asText().contains("Required reviewers need a public repository or GitHub"
                + " Enterprise"), check::toString);
        Element branch = s.only("github_repository_environment_deployment_policy");
        assertEquals("main", branch.get("/branch_pattern").asText(), "deployments from the default branch only");
        assertEquals(environment.ref("environment"), branch.get("/environment").asText());
        // the pull requests' plan environment: the same reviewers, no self-review, no admin bypass, no
        // branch policy (a pull request runs on its merge ref), checked after creation like the apply's
        Element plans = s.resource("github_repository_environment", "plan_environment");
        assertEquals("test-approval-plan", plans.get("/environment").asText());
        assertFalse(plans.get("/can_admins_bypass").asBoolean(true));
        assertTrue(plans.get("/prevent_self_review").asBoolean(false));
        assertEquals(environment.get("/reviewers"), plans.get("/reviewers"));
        assertTrue(plans.get("/deployment_branch_policy").isMissingNode(), plans::toString);
        assertTrue(plans.get("/lifecycle/postcondition/0/error_message").asText().contains("unreviewed code"));
        // both roles wait for the template, both environments and the apply's branch policy
        Element template = s.only("github_actions_repository_oidc_subject_claim_customization_template");
        for (String role : List.of("plan_role", "apply_role")) {
            assertEquals(List.of("github_actions_repository_oidc_subject_claim_customization_template." + template.id(),
                    "github_repository_environment." + environment.id(),
                    "github_repository_environment_deployment_policy." + branch.id(),
                    "github_repository_environment." + plans.id()),
                    strings(s.resource("aws_iam_role", role).get("/depends_on")), role);
        }
    }

    @Test
    void anEmulatedEnvHasNoGithubAndGithubsDefaultSubjects() {
        SynthStack s = SynthFixture.seed().stack("local-ci");
        s.tree().path("resource").fieldNames().forEachRemaining(type -> assertFalse(type.startsWith("github_"), type));
        s.tree().path("data").fieldNames().forEachRemaining(type -> assertFalse(type.startsWith("github_"), type));
        assertTrue(s.tree().path("provider").path("github").isMissingNode(), "no GitHub in an emulated env");
        assertFalse(s.json().contains("job_workflow_ref"));
        Element trust = s.dataSource("aws_iam_policy_document", "apply_trust");
        assertEquals(List.of("repo:digicatapult/bridgeai-infra:environment:local"), strings(trust.get("/statement/0/condition/1/values")));
    }

    @Test
    void theStackRefusesCredentialsOfAnotherAccount() {
        Element caller = F.stack("test-ci").dataSource("aws_caller_identity", "caller");
        assertEquals("${self.account_id == \"" + SynthFixture.VARIANT_CI_ACCOUNT + "\"}",
                caller.get("/lifecycle/postcondition/0/condition").asText());
    }

    @Test
    void itsStateIsInTheBucketAndItComesRightAfterTheStateStack() {
        SynthStack s = F.stack("test-ci");
        assertEquals("test/ci/terraform.tfstate", s.backend().path("s3").path("key").asText());
        List<String> order = F.stacksOf("test").stream().map(SynthStack::name).toList();
        assertEquals(List.of("test-state", "test-ci", "test-vpc", "test-eks", "test-github", "test-flux"), order);
        JsonNode eks = F.manifest().path("stacks").path("test-eks").path("dependencies");
        assertTrue(strings(eks).contains("test-ci"), eks::toString);
    }

    @Test
    void thePlanRoleMayReadTheClusterThroughAnAccessEntry() {
        SynthStack eks = F.stack("test-eks");
        String cluster = eks.only("aws_eks_cluster").ref("name");
        String plan = "arn:aws:iam::" + SynthFixture.VARIANT_CI_ACCOUNT + ":role/mlops-test-ci-plan";
        eks.assertResource("aws_eks_access_entry", Map.of("cluster_name", cluster, "principal_arn", plan, "type", "STANDARD"));
        eks.assertResource("aws_eks_access_policy_association", Map.of(
                "cluster_name", cluster, "principal_arn", plan,
                "policy_arn", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
                "access_scope", Map.of("type", "cluster")));
        // EKS refuses a policy association for a principal without an entry: created after it
        assertEquals("aws_eks_access_entry." + eks.only("aws_eks_access_entry").id(),
                eks.only("aws_eks_access_policy_association").get("/depends_on/0").asText());
        // the emulator has no access entries; the seed's envs have no CI; prod's one entry is its
        // Karpenter nodes' (EC2_LINUX), not a CI role's
        F.stacks().forEach(s -> {
            if (s.name().equals("prod-eks")) {
                assertEquals("EC2_LINUX", s.only("aws_eks_access_entry").get("/type").asText());
                s.assertNoResource("aws_eks_access_policy_association");
            } else if (!s.name().equals("test-eks")) {
                s.assertNoResource("aws_eks_access_entry");
            }
        });
        SynthFixture.seed().stacks().forEach(s -> {
            if (s.name().equals("prod-eks")) {
                assertEquals("EC2_LINUX", s.only("aws_eks_access_entry").get("/type").asText());
            } else {
                s.assertNoResource("aws_eks_access_entry");
            }
        });
    }

    @Test
    void anEnvWhoseAccountHasTheProviderReadsIt() {
        SynthStack s = reading();
        s.assertNoResource("aws_iam_openid_connect_provider");
        s.assertDataSource("aws_iam_openid_connect_provider", Map.of("url", "https://" + ISSUER));
        Element role = s.resource("aws_iam_role", "plan_role");
        JsonNode principal = s.dataSource("aws_iam_policy_document", "plan_trust").get("/statement/0/principals/0");
        assertEquals("${data.aws_iam_openid_connect_provider.github_oidc.arn}", principal.path("identifiers").get(0).asText());
        assertEquals("Federated", principal.path("type").asText());
        assertTrue(role.get("/assume_role_policy").asText().contains("plan_trust"));
    }

    /** The plan/apply trust document: per statement, Federated GitHub provider, exact aud and the sub rule. */
    private static void assertTrust(SynthStack s, Element role, List<CiStack.Subjects> subjects) {
        String doc = role.get("/assume_role_policy").asText();
        assertTrue(doc.startsWith("${data.aws_iam_policy_document.") && doc.endsWith(".json}"), doc);
        String id = doc.substring("${data.aws_iam_policy_document.".length(), doc.length() - ".json}".length());
        Element trust = s.dataSource("aws_iam_policy_document", id);
        assertEquals(subjects.size(), trust.get("/statement").size());
        for (int i = 0; i < subjects.size(); i++) {
            JsonNode st = trust.get("/statement/" + i);
            CiStack.Subjects expected = subjects.get(i);
            assertEquals(expected.sid(), st.path("sid").asText());
            assertEquals("Allow", st.path("effect").asText());
            assertEquals(List.of("sts:AssumeRoleWithWebIdentity"), strings(st.path("actions")));
            assertEquals("Federated", st.at("/principals/0/type").asText());
            assertEquals(List.of(s.only("aws_iam_openid_connect_provider").ref("arn")), strings(st.at("/principals/0/identifiers")));
            assertEquals(2, st.path("condition").size(), st::toString);
            assertEquals("StringEquals", st.at("/condition/0/test").asText());
            assertEquals(ISSUER + ":aud", st.at("/condition/0/variable").asText());
            assertEquals(List.of("sts.amazonaws.com"), strings(st.at("/condition/0/values")));
            assertEquals(expected.test(), st.at("/condition/1/test").asText());
            assertEquals(ISSUER + ":sub", st.at("/condition/1/variable").asText());
            assertEquals(expected.values(), strings(st.at("/condition/1/values")));
            if (expected.test().equals("StringLike")) {
                // the one wildcard allowed: a pull request's number
                expected.values().forEach(v -> assertEquals(1, v.chars().filter(c -> c == '*').count(), v));
                expected.values().forEach(v -> assertTrue(v.contains("@refs/pull/*/merge"), v));
            }
        }
    }

    private static List<String> strings(JsonNode array) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** An env with ci_create_oidc_provider: false, in its own App. */
    private static SynthStack reading() {
        try {
            Path file = SynthFixture.tempDir("bridgeai-env-ci-").resolve("beta").resolve(EnvConfigLoader.FILE_NAME);
            Files.createDirectories(file.getParent());
            String yaml = Files.readString(SynthFixture.TEST_ENV)
                    .replace("environment: \"test\"", "environment: \"beta\"")
                    .replace("github_owner: \"digicatapult\"", "")
                    + "\nci_github_repository: \"digicatapult/bridgeai-infra\"\nci_aws_account_id: \"210987654321\"\n"
                    + "ci_reviewers: [\"@alice\"]\n"
                    + "ci_create_oidc_provider: false\n";
            Files.writeString(file, yaml);
            EnvConfig env = EnvConfigLoader.load(file);
            return new SynthFixture("ci-reading", List.of(env)).stack("beta-ci");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
