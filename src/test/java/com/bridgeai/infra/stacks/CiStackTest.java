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

    @Test
    void thePlanRoleTrustsPullRequestsAndTheDefaultBranchAndReadsOnlyPlusTheStateLock() {
        SynthStack s = F.stack("test-ci");
        s.assertResource("aws_iam_role", Map.of("name", "mlops-test-ci-plan", "max_session_duration", 3600));
        Element role = s.resource("aws_iam_role", "plan_role");
        assertTrust(s, role, List.of(REPO + ":pull_request", REPO + ":ref:refs/heads/main"));
        s.assertResource("aws_iam_role_policy_attachment", Map.of(
                "role", role.ref("name"), "policy_arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"));
        s.assertResource("aws_iam_role_policy", Map.of("role", role.ref("name"), "name", "terraform-state-lock"));
        Element lock = s.dataSource("aws_iam_policy_document", "state_lock");
        assertEquals(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"),
                strings(lock.get("/statement/0/actions")));
        assertEquals(List.of("arn:aws:dynamodb:eu-west-2:" + SynthFixture.VARIANT_CI_ACCOUNT + ":table/" + Seed.LOCK_TABLE),
                strings(lock.get("/statement/0/resources")));
        assertEquals(List.of("arn:aws:s3:::tfstate-mlops-test", "arn:aws:s3:::tfstate-mlops-test/test/*"),
                strings(lock.get("/statement/1/resources")));
        // the state objects are SSE-KMS under the env's state key (EnvStack's kms_key_id): reading
        // them needs kms:Decrypt, which ReadOnlyAccess does not grant; only that key, only via S3
        assertEquals("StateDecrypt", lock.get("/statement/2/sid").asText());
        assertEquals(List.of("kms:Decrypt"), strings(lock.get("/statement/2/actions")));
        assertEquals(List.of("arn:aws:kms:eu-west-2:" + SynthFixture.VARIANT_CI_ACCOUNT + ":key/*"),
                strings(lock.get("/statement/2/resources")));
        assertEquals("ForAnyValue:StringEquals", lock.get("/statement/2/condition/0/test").asText());
        assertEquals("kms:ResourceAliases", lock.get("/statement/2/condition/0/variable").asText());
        assertEquals(List.of("alias/mlops-test-tfstate"), strings(lock.get("/statement/2/condition/0/values")));
        assertEquals("kms:ViaService", lock.get("/statement/2/condition/1/variable").asText());
        assertEquals(List.of("s3.eu-west-2.amazonaws.com"), strings(lock.get("/statement/2/condition/1/values")));
        assertEquals(3, lock.get("/statement").size());
        // no write beyond the lock table's items
        assertFalse(s.json().contains("\"s3:PutObject\""));
        assertFalse(s.json().contains("\"kms:GenerateDataKey"));
        assertEquals(1, s.resources("aws_iam_role_policy").size());
    }

    @Test
    void theApplyRoleTrustsOnlyTheEnvsGithubEnvironment() {
        SynthStack s = F.stack("test-ci");
        s.assertResource("aws_iam_role", Map.of("name", "mlops-test-ci-apply", "max_session_duration", 7200));
        Element role = s.resource("aws_iam_role", "apply_role");
        assertTrust(s, role, List.of(REPO + ":environment:test-approval"));
        s.assertResource("aws_iam_role_policy_attachment", Map.of(
                "role", role.ref("name"), "policy_arn", "arn:aws:iam::aws:policy/AdministratorAccess"));
        assertEquals(role.ref("arn"), s.output("apply_role_arn").path("value").asText());
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
        // the emulator has no access entries; the seed's envs have no CI
        F.stacks().forEach(s -> {
            if (!s.name().equals("test-eks")) {
                s.assertNoResource("aws_eks_access_entry");
            }
        });
        SynthFixture.seed().stacks().forEach(s -> s.assertNoResource("aws_eks_access_entry"));
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

    /** The plan/apply trust document: one statement, Federated GitHub provider, exact aud and sub. */
    private static void assertTrust(SynthStack s, Element role, List<String> subjects) {
        String doc = role.get("/assume_role_policy").asText();
        assertTrue(doc.startsWith("${data.aws_iam_policy_document.") && doc.endsWith(".json}"), doc);
        String id = doc.substring("${data.aws_iam_policy_document.".length(), doc.length() - ".json}".length());
        Element trust = s.dataSource("aws_iam_policy_document", id);
        assertEquals(1, trust.get("/statement").size());
        JsonNode st = trust.get("/statement/0");
        assertEquals("Allow", st.path("effect").asText());
        assertEquals(List.of("sts:AssumeRoleWithWebIdentity"), strings(st.path("actions")));
        assertEquals("Federated", st.at("/principals/0/type").asText());
        assertEquals(List.of(s.only("aws_iam_openid_connect_provider").ref("arn")), strings(st.at("/principals/0/identifiers")));
        assertEquals(2, st.path("condition").size(), st::toString);
        assertEquals("StringEquals", st.at("/condition/0/test").asText());
        assertEquals(ISSUER + ":aud", st.at("/condition/0/variable").asText());
        assertEquals(List.of("sts.amazonaws.com"), strings(st.at("/condition/0/values")));
        assertEquals("StringEquals", st.at("/condition/1/test").asText(), "never StringLike: no wildcard subjects");
        assertEquals(ISSUER + ":sub", st.at("/condition/1/variable").asText());
        assertEquals(subjects, strings(st.at("/condition/1/values")));
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
                    + "ci_create_oidc_provider: false\n";
            Files.writeString(file, yaml);
            EnvConfig env = EnvConfigLoader.load(file);
            return new SynthFixture("ci-reading", List.of(env)).stack("beta-ci");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
