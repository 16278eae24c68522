package com.bridgeai.infra.config;

import com.bridgeai.infra.config.EnvConfig.Ci;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The env file's CI keys (the {@code <env>-ci} stack and the GitHub Actions workflows):
 * {@code ci_github_repository} switches them on; the others have defaults or are required with it.
 */
record CiKeys(YamlFields f, List<ConfigError> errors) {
    /** The CI keys that only mean something together with ci_github_repository. */
    static final List<String> CI_KEYS = List.of("ci_branch", "ci_github_environment", "ci_aws_account_id",
            "ci_create_oidc_provider", "ci_reviewers", "ci_promote_after", "ci_runner_labels");
    /** Every key this reader knows: the switch and the keys that depend on it. */
    static final List<String> KEYS = Stream.concat(Stream.of("ci_github_repository"),
            CI_KEYS.stream()).toList();
    /** An owner (GitHub login rules) and a repository name, each optionally with its numeric id (immutable sub claims). */
    private static final Pattern REPOSITORY = Pattern.compile(
            "(?=[^@/]{1,39}[@/])[A-Za-z0-9](-?[A-Za-z0-9])*(@[1-9][0-9]{0,19})?/(?!\\.\\.?(@|$))[A-Za-z0-9._-]{1,100}(@[1-9][0-9]{0,19})?");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,255}");
    /** GitHub environment names: up to 255 characters; kept to those that need no escaping in the sub claim. */
    private static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** {@code @login} (GitHub login rules) or {@code @org/team-slug} (CODEOWNERS' spelling). */
    private static final Pattern REVIEWER = Pattern.compile(
            "@(?=[^/]{1,39}(/|$))[A-Za-z0-9](-?[A-Za-z0-9])*(/[a-z0-9][a-z0-9_-]{0,99})?");
    /** An environment's name (the env folder): what ci_promote_after names. */
    private static final Pattern ENV_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,30}");
    /** A runner label: GitHub-hosted image names, self-hosted and custom labels (no spaces, no commas). */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** GitHub: "You can list up to six users or teams as reviewers" (Managing environments for deployment). */
    static final int MAX_REVIEWERS = 6;

    /** The CI keys; empty without ci_github_repository (then every other CI key is an error). */
    Optional<Ci> read(String environment, boolean emulated) {
        if (!f.has("ci_github_repository")) {
            for (String key : CI_KEYS) {
                if (f.has(key)) {
                    f.invalid(key, "expected ci_github_repository to be set as well (the CI stack exists only with"
                            + " ci_github_repository), found " + key + " without it");
                }
            }
            return Optional.empty();
        }
        int before = errors.size();
        String repository = f.string("ci_github_repository", true).filter(f.check("ci_github_repository",
                v -> REPOSITORY.matcher(v).matches() && !v.toLowerCase().replaceAll("@\\d+$", "").endsWith(".git"),
                "the repository as GitHub's OIDC tokens name it: \"owner/name\", or for repositories with immutable"
                        + " subject claims \"owner@<org id>/name@<repo id>\" (owner: 1-39 of A-Z a-z 0-9 and single"
                        + " inner hyphens; name: 1-100 of A-Z a-z 0-9 . _ -, no .git suffix)")).orElse(null);
        String branch = f.string("ci_branch", false).filter(f.check("ci_branch",
                v -> BRANCH.matcher(v).matches() && !v.startsWith("-") && !v.startsWith("/") && !v.startsWith(".")
                        && !v.endsWith("/") && !v.endsWith(".") && !v.endsWith(".lock") && !v.contains("..")
                        && !v.contains("//") && !v.contains("/."),
                "a git branch name like \"main\" (the default branch: pushes to it apply)")).orElse(Ci.DEFAULT_BRANCH);
        String githubEnvironment = f.string("ci_github_environment", false).filter(f.check("ci_github_environment",
                v -> ENVIRONMENT.matcher(v).matches(), "a GitHub environment name of 1-255 characters of"
                        + " A-Z a-z 0-9 . _ - (the apply job's approval gate)")).orElse(Ci.defaultGithubEnvironment(environment));
        String account = f.string("ci_aws_account_id", true).filter(f.check("ci_aws_account_id",
                v -> ACCOUNT.matcher(v).matches() && (!emulated || v.equals(EMULATOR_ACCOUNT)),
                emulated ? "the emulator's account \"" + EMULATOR_ACCOUNT + "\" (moto's fixed account)"
                        : "the 12-digit AWS account id the env deploys to, quoted (\"123456789012\")")).orElse(null);
        boolean createProvider = f.bool("ci_create_oidc_provider", false).orElse(Ci.DEFAULT_CREATE_OIDC_PROVIDER);
        // the apply role trusts the GitHub environment only because the ci stack creates it with
        // required reviewers: on real AWS there is no apply role without them (an emulated env has no GitHub)
        List<String> reviewers = f.strings("ci_reviewers", !emulated).filter(f.check("ci_reviewers",
                v -> !v.isEmpty() && v.size() <= MAX_REVIEWERS && v.stream().distinct().count() == v.size()
                        && v.stream().allMatch(r -> REVIEWER.matcher(r).matches()
                                && (!r.contains("/") || repository == null || r.substring(1, r.indexOf('/'))
                                        .equalsIgnoreCase(Ci.owner(repository)))),
                "1 to " + MAX_REVIEWERS + " distinct required reviewers of the apply job's GitHub environment:"
                        + " \"@login\" (a user) or \"@" + (repository == null ? "owner" : Ci.owner(repository))
                        + "/team-slug\" (a team of the repository's organization)")).orElse(List.of());
        Optional<String> promoteAfter = f.string("ci_promote_after", false).filter(f.check("ci_promote_after",
                v -> ENV_NAME.matcher(v).matches() && !v.equals(environment),
                "the name of another env with CI whose apply must succeed first in the same deploy run (e.g."
                        + " \"test\" in env/prod)"));
        List<String> runnerLabels = f.strings("ci_runner_labels", false).filter(f.check("ci_runner_labels",
                v -> !v.isEmpty() && v.size() <= 10 && v.stream().distinct().count() == v.size()
                        && v.stream().allMatch(l -> LABEL.matcher(l).matches()),
                "1 to 10 distinct runner labels the env's plan, apply and drift jobs run on, e.g."
                        + " [\"self-hosted\", \"linux\", \"mlops-prod\"] (a runner in the env's VPC)")).orElse(Ci.DEFAULT_RUNNER_LABELS);
        if (errors.size() > before || repository == null || githubEnvironment == null || account == null) {
            return Optional.empty();
        }
        return Optional.of(new Ci(repository, branch, githubEnvironment, account, createProvider, reviewers, promoteAfter,
                runnerLabels));
    }

    /**
     * An env with CI and GitOps whose EKS endpoint only some addresses (or none) reach, planned and
     * applied from GitHub-hosted runners: those have no fixed egress addresses (GitHub docs, "About
     * GitHub-hosted runners": IP addresses), so the flux stack's helm/kubernetes providers cannot reach it.
     */
    static List<ConfigWarning> warnings(Path file, YamlFields f, Optional<Ci> ci, boolean gitops, EnvConfig.Cluster cluster,
            boolean emulated) {
        if (emulated || ci.isEmpty() || !gitops || !ci.get().runnerLabels().equals(Ci.DEFAULT_RUNNER_LABELS)) {
            return List.of();
        }
        boolean restricted = !cluster.endpointPublicAccess() || !cluster.publicAccessCidrs().contains(ClusterKeys.ANYWHERE);
        if (!restricted) {
            return List.of();
        }
        String key = f.has("ci_runner_labels") ? "ci_runner_labels" : "ci_github_repository";
        return List.of(new ConfigWarning(file, YamlFields.line(f.node(key)), "ci_runner_labels", "the EKS endpoint of this"
                + " env is " + (cluster.endpointPublicAccess() ? "restricted to public_access_cidrs" : "private")
                + ", but its CI jobs run on GitHub-hosted runners (" + String.join(", ", Ci.DEFAULT_RUNNER_LABELS)
                + "), which have no fixed addresses: the flux stack's plans and applies cannot reach the cluster;"
                + " set ci_runner_labels to self-hosted runners inside the env's VPC (docs/ci.md)"));
    }

    /** moto answers every request as this account. */
    static final String EMULATOR_ACCOUNT = "123456789012";
}
