package com.bridgeai.infra.config;

import static com.bridgeai.infra.config.EnvConfigLoaderTest.lineOf;
import static com.bridgeai.infra.config.EnvConfigLoaderTest.renamed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CI keys (ci_github_repository, ...): defaults, validation, and the one-OIDC-provider-per-account rule. */
class EnvConfigCiTest {
    static final String CI = "ci_github_repository: \"digicatapult/bridgeai-infra\"\nci_aws_account_id: \"111122223333\"\n"
            + "ci_reviewers: [\"@alice\"]\n";

    @TempDir
    Path root;

    @Test
    void withoutCiKeysThereIsNoCiStack() throws IOException {
        assertTrue(load("alpha", renamed("alpha")).ci().isEmpty());
    }

    @Test
    void theCiKeysWithTheirDefaults() throws IOException {
        EnvConfig.Ci ci = load("alpha", renamed("alpha") + CI).ci().orElseThrow();
        assertEquals(new EnvConfig.Ci("digicatapult/bridgeai-infra", "main", "alpha", "111122223333", true, List.of("@alice"),
                Optional.empty(), List.of("ubuntu-24.04")), ci);
        EnvConfig env = load("alpha", renamed("alpha") + CI);
        assertEquals("mlops-alpha-ci-plan", env.ciRoleName("plan"));
    }

    @Test
    void everyCiKeySet() throws IOException {
        String yaml = renamed("alpha") + "ci_github_repository: \"digicatapult@1234/bridgeai-infra@5678\"\n"
                + "ci_aws_account_id: \"111122223333\"\nci_branch: \"release/2026\"\nci_github_environment: \"alpha-prod\"\n"
                + "ci_create_oidc_provider: false\nci_reviewers: [\"@alice\", \"@DigiCatapult/platform-team\"]\n"
                + "ci_promote_after: \"test\"\nci_runner_labels: [\"self-hosted\", \"linux\", \"mlops-alpha\"]\n";
        assertEquals(new EnvConfig.Ci("digicatapult@1234/bridgeai-infra@5678", "release/2026", "alpha-prod",
                "111122223333", false, List.of("@alice", "@DigiCatapult/platform-team"), Optional.of("test"),
                List.of("self-hosted", "linux", "mlops-alpha")), load("alpha", yaml).ci().orElseThrow());
    }

    @Test
    void badCiValuesAreErrorsWithLineAndKey() throws IOException {
        assertError(renamed("alpha") + "ci_github_repository: \"bridgeai-infra\"\nci_aws_account_id: \"111122223333\"\nci_reviewers: [\"@a\"]\n",
                "ci_github_repository", "ci_github_repository", "expected the repository as GitHub's OIDC tokens name it");
        assertError(renamed("alpha") + "ci_github_repository: \"digicatapult/bridgeai-infra.git\"\nci_aws_account_id: \"111122223333\"\nci_reviewers: [\"@a\"]\n",
                "ci_github_repository", "ci_github_repository", "no .git suffix");
        assertError(renamed("alpha") + "ci_github_repository: \"-bad/x\"\nci_aws_account_id: \"111122223333\"\nci_reviewers: [\"@a\"]\n",
                "ci_github_repository", "ci_github_repository", "found \"-bad/x\"");
        assertError(renamed("alpha") + "ci_github_repository: \"digicatapult/bridgeai-infra\"\nci_aws_account_id: 111122223333\nci_reviewers: [\"@a\"]\n",
                "ci_aws_account_id", "ci_aws_account_id", "expected a string");
        assertError(renamed("alpha") + "ci_github_repository: \"digicatapult/bridgeai-infra\"\nci_aws_account_id: \"1234\"\nci_reviewers: [\"@a\"]\n",
                "ci_aws_account_id", "ci_aws_account_id", "the 12-digit AWS account id");
        assertError(renamed("alpha") + "ci_github_repository: \"digicatapult/bridgeai-infra\"\nci_reviewers: [\"@a\"]\n",
                "ci_github_repository", "ci_aws_account_id", "");
        assertError(renamed("alpha") + CI + "ci_branch: \"main..x\"\n", "ci_branch", "ci_branch", "a git branch name");
        assertError(renamed("alpha") + CI + "ci_github_environment: \"prod env\"\n", "ci_github_environment",
                "ci_github_environment", "a GitHub environment name");
        assertError(renamed("alpha") + "ci_branch: \"main\"\n", "ci_branch", "ci_branch",
                "expected ci_github_repository to be set as well");
        assertError(renamed("alpha") + "emulator_endpoint: \"http://127.0.0.1:5000\"\n" + CI, "ci_aws_account_id",
                "ci_aws_account_id", "the emulator's account \"123456789012\"");
    }

    @Test
    void badReviewersAreErrorsAtTheirLine() throws IOException {
        String base = renamed("alpha") + "ci_github_repository: \"digicatapult/bridgeai-infra\"\nci_aws_account_id: \"111122223333\"\n";
        assertError(base, "ci_github_repository", "ci_reviewers", "required");
        assertError(base + "ci_reviewers: []\n", "ci_reviewers", "ci_reviewers", "1 to 6 distinct required reviewers");
        assertError(base + "ci_reviewers: [\"alice\"]\n", "ci_reviewers", "ci_reviewers", "found [alice]");
        assertError(base + "ci_reviewers: [\"@alice\", \"@alice\"]\n", "ci_reviewers", "ci_reviewers", "distinct");
        assertError(base + "ci_reviewers: [\"@a\", \"@b\", \"@c\", \"@d\", \"@e\", \"@f\", \"@g\"]\n", "ci_reviewers",
                "ci_reviewers", "1 to 6");
        assertError(base + "ci_reviewers: [\"@other-org/platform\"]\n", "ci_reviewers", "ci_reviewers",
                "\"@digicatapult/team-slug\" (a team of the repository's organization)");
        assertError(base + "ci_reviewers: [\"@-alice\"]\n", "ci_reviewers", "ci_reviewers", "found [@-alice]");
        assertError(base + "ci_reviewers: \"@alice\"\n", "ci_reviewers", "ci_reviewers", "expected a list");
        assertError(base + "ci_reviewers: [7]\n", "ci_reviewers", "ci_reviewers[0]", "expected a string");
        // an emulated env has no GitHub: no reviewers needed
        String emulated = renamed("alpha") + "emulator_endpoint: \"http://127.0.0.1:5000\"\nci_github_repository: \"o/r\"\n"
                + "ci_aws_account_id: \"123456789012\"\n";
        assertEquals(List.of(), load("alpha", emulated).ci().orElseThrow().reviewers());
    }

    @Test
    void badRunnerLabelsAndPromotionsAreErrorsAtTheirLine() throws IOException {
        String base = renamed("alpha") + CI;
        assertError(base + "ci_runner_labels: []\n", "ci_runner_labels", "ci_runner_labels", "1 to 10 distinct runner labels");
        assertError(base + "ci_runner_labels: [\"self hosted\"]\n", "ci_runner_labels", "ci_runner_labels", "found [self hosted]");
        assertError(base + "ci_promote_after: \"alpha\"\n", "ci_promote_after", "ci_promote_after", "another env with CI");
        assertError(base + "ci_promote_after: \"Test Env\"\n", "ci_promote_after", "ci_promote_after", "found \"Test Env\"");
        // across files: the named env must exist with CI, from the same repository, not promoted itself
        assertError(base + "ci_promote_after: \"beta\"\n", "ci_promote_after", "ci_promote_after",
                "expected an env with CI on real AWS, found \"beta\", which is no env");
        write("beta", renamed("beta"));
        assertError(base + "ci_promote_after: \"beta\"\n", "ci_promote_after", "ci_promote_after",
                "an env without ci_github_repository");
        write("beta", renamed("beta") + CI.replace("digicatapult/bridgeai-infra", "digicatapult/other")
                .replace("111122223333", "444455556666"));
        assertError(base + "ci_promote_after: \"beta\"\n", "ci_promote_after", "ci_promote_after",
                "deployed from digicatapult/other");
        write("beta", renamed("beta") + CI.replace("111122223333", "444455556666") + "ci_promote_after: \"gamma\"\n");
        write("gamma", renamed("gamma") + CI.replace("111122223333", "777788889999"));
        assertError(base + "ci_promote_after: \"beta\"\n", "ci_promote_after", "ci_promote_after",
                "promoted after \"gamma\"");
        // the fix
        write("alpha", base + "ci_promote_after: \"gamma\"\n");
        assertEquals(3, EnvConfigLoader.loadAll(root, Set.of()).size());
    }

    @Test
    void aRestrictedEndpointWithGitopsOnGithubHostedRunnersWarns() throws IOException {
        // the seed's file has GitOps (github_owner) and an endpoint open to 0.0.0.0/0
        String restricted = "public_access_cidrs: [\"203.0.113.0/24\"]\n";
        // (restricting the endpoint drops the seed's public_access_open_to_world: true, as the loader demands)
        String open = EnvConfigLoaderTest.without(renamed("alpha"), "public_access_open_to_world");
        String yaml = open + restricted + CI;
        List<ConfigWarning> warnings = load("alpha", yaml).warnings().stream()
                .filter(w -> w.key().equals("ci_runner_labels")).toList();
        assertEquals(1, warnings.size(), warnings::toString);
        assertEquals(lineOf(yaml, "ci_github_repository:"), warnings.get(0).line());
        assertTrue(warnings.get(0).message().contains("restricted to public_access_cidrs, but its CI jobs run on"
                + " GitHub-hosted runners (ubuntu-24.04), which have no fixed addresses"), warnings::toString);
        String privateEndpoint = open + "endpoint_public_access: false\nendpoint_private_access: true\n" + CI;
        assertTrue(load("alpha", privateEndpoint).warnings().stream().anyMatch(w -> w.key().equals("ci_runner_labels")
                && w.message().contains("is private")));
        // self-hosted runners, an open endpoint, or no GitOps: no warning
        for (String quiet : List.of(yaml + "ci_runner_labels: [\"self-hosted\", \"mlops-alpha\"]\n",
                renamed("alpha") + CI, EnvConfigLoaderTest.without(open, "github_owner") + restricted + CI)) {
            assertTrue(load("alpha", quiet).warnings().stream().noneMatch(w -> w.key().equals("ci_runner_labels")), quiet);
        }
    }

    @Test
    void twoEnvsInOneAccountCannotBothCreateGithubsOidcProvider() throws IOException {
        Path first = write("alpha", renamed("alpha") + CI);
        String second = renamed("beta") + CI;
        Path beta = write("beta", second);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.loadAll(root, Set.of()));
        assertEquals(1, e.errors().size(), e::getMessage);
        ConfigError error = e.errors().get(0);
        assertEquals(beta, error.file());
        assertEquals("ci_create_oidc_provider", error.keyPath());
        assertEquals(lineOf(second, "ci_github_repository:"), error.line(), "no ci_create_oidc_provider key: the repository's line");
        assertTrue(error.message().startsWith("expected false when another environment's ci stack creates GitHub's OIDC"
                + " provider in the same account (" + first + ":" + lineOf(renamed("alpha") + CI, "ci_github_repository:")
                + " creates it in account 111122223333;"), error::toString);

        // the fix the message names: the second env reads the provider
        write("beta", second + "ci_create_oidc_provider: false\n");
        assertEquals(2, EnvConfigLoader.loadAll(root, Set.of()).size());
        // another account may have its own
        write("beta", second.replace("111122223333", "444455556666"));
        assertEquals(2, EnvConfigLoader.loadAll(root, Set.of()).size());
    }

    @Test
    void anEmulatedEnvReadsGithubsProviderOnlyWhenAnotherEnvOnTheEmulatorCreatesIt() throws IOException {
        String emulated = "emulator_endpoint: \"http://127.0.0.1:5000\"\nci_github_repository: \"o/r\"\n"
                + "ci_aws_account_id: \"123456789012\"\nci_create_oidc_provider: false\n";
        Path file = write("alpha", renamed("alpha") + emulated);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.loadAll(root, Set.of()));
        assertEquals(List.of(file + ":" + lineOf(renamed("alpha") + emulated, "ci_create_oidc_provider:")
                        + ": ci_create_oidc_provider: expected true in an emulated environment unless another env on the"
                        + " same emulator creates GitHub's OIDC provider (an emulator starts empty), found false"),
                e.errors().stream().map(ConfigError::toString).toList());
    }

    private void assertError(String yaml, String lineMarker, String key, String messagePart) throws IOException {
        Path file = write("alpha", yaml);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.loadAll(root, Set.of()));
        assertEquals(1, e.errors().size(), e::getMessage);
        ConfigError error = e.errors().get(0);
        assertEquals(file, error.file());
        assertEquals(key, error.keyPath(), error::toString);
        assertTrue(error.message().contains(messagePart), error::toString);
        if (yaml.contains(key + ":")) {
            assertEquals(lineOf(yaml, lineMarker + ":"), error.line(), error::toString);
        }
    }

    private EnvConfig load(String env, String yaml) throws IOException {
        return EnvConfigLoader.load(write(env, yaml));
    }

    private Path write(String env, String yaml) throws IOException {
        Path file = Files.createDirectories(root.resolve(env)).resolve(EnvConfigLoader.FILE_NAME);
        Files.writeString(file, yaml);
        return file;
    }
}
