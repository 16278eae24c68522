package com.bridgeai.infra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.config.EnvConfig.GitOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The GitOps keys of env.yaml: defaults, rules, and errors that name file, line, key and the bad value. */
class EnvConfigGitOpsTest {
    /** env/test/env.yaml without its GitOps keys: every case appends its own. */
    static final String BASE;

    static {
        try {
            BASE = Files.readAllLines(Path.of("env/test/env.yaml")).stream()
                    .filter(l -> !l.startsWith("github_owner") && !l.startsWith("gitops_") && !l.startsWith("flux_"))
                    .collect(Collectors.joining("\n", "", "\n"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TempDir
    Path root;

    @Test
    void theTestEnvironmentHasGitOpsWithDefaults() {
        GitOps g = EnvConfigLoader.load(Path.of("env/test/env.yaml")).gitops().orElseThrow();
        assertEquals(new GitOps("digicatapult", "mlops-test-gitops", "main", "private", true, "clusters/test", false), g);
    }

    @Test
    void noGithubOwnerMeansNoGitOps() throws IOException {
        assertTrue(EnvConfigLoader.load(write(BASE)).gitops().isEmpty());
    }

    @Test
    void everyKeyCanBeSet() throws IOException {
        GitOps g = EnvConfigLoader.load(write(BASE + """
                github_owner: "my-org"
                gitops_repository: "fleet.infra_1"
                gitops_branch: "release/v1"
                gitops_visibility: "internal"
                gitops_create_repository: false
                flux_path: "clusters/eu-west-2/test"
                flux_image_automation: true
                """)).gitops().orElseThrow();
        assertEquals(new GitOps("my-org", "fleet.infra_1", "release/v1", "internal", false, "clusters/eu-west-2/test", true), g);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            github_owner              | "-digicat"          | expected a GitHub organisation or user name
            github_owner              | "digi--cat"         | expected a GitHub organisation or user name
            github_owner              | "digi_cat"          | expected a GitHub organisation or user name
            github_owner              | "a234567890123456789012345678901234567890" | expected a GitHub organisation or user name
            github_owner              | 42                  | expected a string, found the number 42
            github_owner              | ~                   | expected a value, found nothing (null)
            gitops_repository         | "my repo"           | expected a GitHub repository name (1-100 characters
            gitops_repository         | ".."                | expected a GitHub repository name (not . or ..)
            gitops_repository         | "fleet.git"         | expected a GitHub repository name (without the .git suffix)
            gitops_branch             | "feature..x"        | no .. // or /. inside
            gitops_branch             | "-main"             | not starting with - / or .
            gitops_branch             | "main.lock"         | not ending with / . or .lock
            gitops_branch             | "main branch"       | expected a git branch name like "main" (1-255 characters
            gitops_visibility         | "secret"            | expected one of private, internal, public, found "secret"
            gitops_create_repository  | "yes please"        | expected true or false, found the string "yes please"
            flux_path                 | "/clusters/test"    | relative, without a leading /
            flux_path                 | "clusters/../prod"  | no . or .. segments
            flux_path                 | "clusters/test/"    | without a trailing /
            flux_path                 | "clusters//test"    | segments of A-Z a-z 0-9 . _ - separated by single /
            flux_path                 | "apps/test"         | outside the generated folders apps/, dags/, infrastructure/
            flux_image_automation     | "no"                | expected true or false, found the string "no"
            """)
    void badValuesNameFileLineKeyAndValue(String key, String value, String message) throws IOException {
        String owner = key.equals("github_owner") ? "" : "github_owner: \"digicatapult\"\n";
        Path file = write(BASE + owner + key + ": " + value + "\n");
        int line = lineOf(file, key + ":");

        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.load(file));

        assertEquals(1, e.errors().size(), e.getMessage());
        String error = e.errors().get(0).toString();
        assertTrue(error.startsWith(file + ":" + line + ": " + key + ": "), error);
        assertTrue(error.contains(message), error);
    }

    @Test
    void gitOpsKeysWithoutOwnerAreErrors() throws IOException {
        Path file = write(BASE + "gitops_branch: \"main\"\nflux_path: \"clusters/x\"\n");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.load(file));
        List<String> errors = e.errors().stream().map(ConfigError::toString).toList();
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith(file + ":" + lineOf(file, "gitops_branch:")
                + ": gitops_branch: expected github_owner to be set as well"), errors.get(0));
        assertTrue(errors.get(1).contains(": flux_path: expected github_owner to be set as well"), errors.get(1));
    }

    @Test
    void unknownGitOpsKeyIsRejectedWithASuggestion() throws IOException {
        Path file = write(BASE + "github_owner: \"digicatapult\"\ngitops_brnach: \"main\"\n");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.load(file));
        String error = e.errors().get(0).toString();
        assertTrue(error.startsWith(file + ":" + lineOf(file, "gitops_brnach:") + ": gitops_brnach: unknown key"), error);
        assertTrue(error.contains("did you mean 'gitops_branch'?"), error);
    }

    @ParameterizedTest
    @CsvSource({"github_token", "token", "GITHUB_TOKEN", "gh_token", "github-pat"})
    void aTokenKeyIsRefusedWithWhereTheTokenComesFrom(String key) throws IOException {
        String secret = "ghp_canary0123456789abcdefABCDEF012345";
        Path file = write(BASE + "github_owner: \"digicatapult\"\n" + key + ": \"" + secret + "\"\n");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.load(file));
        assertEquals(1, e.errors().size(), e.getMessage());
        String error = e.errors().get(0).toString();
        assertEquals(file + ":" + lineOf(file, key + ":") + ": " + key + ": expected no GitHub token in env.yaml"
                + " (a committed file), found '" + key + "'; remove this key: the token is only read from the"
                + " GITHUB_TOKEN environment variable (export GITHUB_TOKEN=... in the shell that deploys)", error);
        // no "did you mean 'github_owner'", and the value never appears in any message
        assertFalse(e.getMessage().contains("did you mean"), e.getMessage());
        assertFalse(e.getMessage().contains(secret), "the token value must not be echoed");
    }

    @Test
    void kubernetesVersionMustSuitAPinnedFluxRelease() throws IOException {
        for (String version : List.of("1.29", "1.36")) {
            Path file = write(BASE.replace("kubernetes_version: \"1.30\"", "kubernetes_version: \"" + version + "\"")
                    .replace("AL2_x86_64_GPU", "AL2023_x86_64_NVIDIA") + "github_owner: \"digicatapult\"\n");
            InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.load(file));
            assertEquals(1, e.errors().size(), e.getMessage());
            String error = e.errors().get(0).toString();
            assertTrue(error.startsWith(file + ":" + lineOf(file, "kubernetes_version:") + ": kubernetes_version: "
                    + "expected a Kubernetes version that a pinned Flux release supports (Flux 2.5.1: 1.30,"
                    + " Flux 2.6.4: 1.31, Flux 2.7.5: 1.32, Flux 2.8.7: 1.33-1.35; github_owner is set), found \"" + version + "\""), error);
        }
        // a newer cluster gets the newer Flux
        assertTrue(EnvConfigLoader.load(write(BASE.replace("\"1.30\"", "\"1.33\"")
                .replace("AL2_x86_64_GPU", "AL2023_x86_64_NVIDIA") + "github_owner: \"digicatapult\"\n")).gitops().isPresent());
        // without GitOps, Flux's range does not matter
        assertFalse(EnvConfigLoader.load(write(BASE.replace("\"1.30\"", "\"1.29\""))).gitops().isPresent());
    }

    /** Karpenter's chart comes from an OCIRepository (Flux 2.6+): Kubernetes 1.30's Flux 2.5.1 cannot install it. */
    @Test
    void karpenterNeedsAFluxWithOciRepositoryV1() throws IOException {
        String karpenter = BASE.replace("AL2_x86_64_GPU", "AL2023_x86_64_NVIDIA").replace("desired_size: 1\n", "")
                .replace("min_size: 1", "min_size: 0") + "gpu_capacity: \"karpenter\"\ngithub_owner: \"digicatapult\"\n";
        Path file = write(karpenter);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EnvConfigLoader.load(file));
        assertEquals(1, e.errors().size(), e.getMessage());
        assertEquals(file + ":" + lineOf(file, "kubernetes_version:") + ": kubernetes_version: expected 1.31 or newer with"
                + " gpu_capacity: karpenter (its Flux, 2.5.1, lacks the OCIRepository v1 API the GitOps tree installs"
                + " Karpenter's chart with; Flux 2.6+), found \"1.30\"", e.errors().get(0).toString());
        // 1.31 gets Flux 2.6.4, which serves it
        assertTrue(EnvConfigLoader.load(write(karpenter.replace("\"1.30\"", "\"1.31\""))).cluster().karpenter().isPresent());
    }

    private Path write(String text) throws IOException {
        Path dir = Files.createDirectories(root.resolve("test"));
        Path file = dir.resolve("env.yaml");
        Files.writeString(file, text);
        return file;
    }

    private static int lineOf(Path file, String prefix) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(prefix + " not in " + file);
    }
}
