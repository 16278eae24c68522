package com.bridgeai.infra.config;

import com.bridgeai.infra.config.EnvConfig.GitOps;
import com.bridgeai.infra.modules.flux.FluxRelease;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The env file's GitOps keys (the github and flux stacks): github_owner switches them on,
 * the others have defaults derived from project and environment. Errors go to the file's
 * error list like every other key's.
 */
record GitOpsKeys(YamlFields f, List<ConfigError> errors) {
    /** The GitOps keys that only mean something together with github_owner. */
    static final List<String> GITOPS_KEYS = List.of("gitops_repository", "gitops_branch", "gitops_visibility",
            "gitops_create_repository", "flux_path", "flux_image_automation");
    /** Every key this reader knows: the switch and the keys that depend on it. */
    static final List<String> KEYS = Stream.concat(Stream.of("github_owner"),
            GITOPS_KEYS.stream()).toList();
    static final Set<String> VISIBILITIES = com.bridgeai.infra.modules.github.GithubModuleProps.VISIBILITIES;
    /** Top folders of the repository that the github stack generates; flux_path must stay out of them. */
    static final Set<String> GENERATED_FOLDERS = Set.of("infrastructure", "apps", "dags");
    /** Keys a GitHub token might be written under; refused with where the token comes from instead. */
    static final Set<String> TOKEN_KEYS = Set.of("github_token", "token", "gh_token", "github_pat", "gitops_token");
    static final String TOKEN_REFUSAL = "expected no GitHub token in env.yaml (a committed file), found '%s';"
            + " remove this key: the token is only read from the GITHUB_TOKEN environment variable"
            + " (export GITHUB_TOKEN=... in the shell that deploys)";
    /** GitHub login rules: 1-39 characters, letters/digits and single inner hyphens. */
    private static final Pattern GITHUB_OWNER = Pattern.compile("(?=.{1,39}$)[A-Za-z0-9](-?[A-Za-z0-9])*");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,255}");
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    /**
     * The refusal of a token key ({@code github_token}, {@code token}, {@code GITHUB-TOKEN}, ...),
     * or empty for any other unknown key (which then gets the usual "did you mean").
     */
    static Optional<String> tokenKeyRefusal(String key) {
        String k = key.toLowerCase(Locale.ROOT).replace('-', '_');
        return TOKEN_KEYS.contains(k) || (k.contains("github") && k.contains("token"))
                ? Optional.of(TOKEN_REFUSAL)
                : Optional.empty();
    }

    /** The GitOps keys; empty without github_owner (then every other GitOps key is an error). */
    Optional<GitOps> read(String project, String environment, String kubernetesVersion) {
        if (!f.has("github_owner")) {
            for (String key : GITOPS_KEYS) {
                if (f.has(key)) {
                    f.invalid(key, "expected github_owner to be set as well (the GitOps stacks exist only with"
                            + " github_owner), found " + key + " without it");
                }
            }
            return Optional.empty();
        }
        int before = errors.size();
        String owner = f.string("github_owner", true).filter(f.check("github_owner",
                v -> GITHUB_OWNER.matcher(v).matches(), "a GitHub organisation or user name (1-39 characters of"
                        + " A-Z a-z 0-9 and single inner hyphens)")).orElse(null);
        String repository = f.string("gitops_repository", false).filter(this::repositoryName)
                .orElse(project == null || environment == null ? null : GitOps.defaultRepository(project, environment));
        String branch = f.string("gitops_branch", false).filter(this::branchName).orElse(GitOps.DEFAULT_BRANCH);
        String visibility = f.string("gitops_visibility", false)
                .filter(f.check("gitops_visibility", VISIBILITIES::contains, "one of private, internal, public"))
                .orElse(GitOps.DEFAULT_VISIBILITY);
        boolean create = f.bool("gitops_create_repository", false).orElse(GitOps.DEFAULT_CREATE_REPOSITORY);
        String fluxPath = f.string("flux_path", false).filter(this::fluxPath)
                .orElse(environment == null ? null : GitOps.defaultFluxPath(environment));
        boolean imageAutomation = f.bool("flux_image_automation", false).orElse(GitOps.DEFAULT_IMAGE_AUTOMATION);
        // Flux is pinned per Kubernetes range; a Flux that does not support the cluster fails in odd ways later
        if (kubernetesVersion != null && FluxRelease.forKubernetes(kubernetesVersion).isEmpty()) {
            f.invalid("kubernetes_version", "expected a Kubernetes version that a pinned Flux release supports ("
                    + FluxRelease.supported() + "; github_owner is set), found \"" + kubernetesVersion + "\"");
        }
        if (errors.size() > before || owner == null || repository == null || fluxPath == null) {
            return Optional.empty();
        }
        return Optional.of(new GitOps(owner, repository, branch, visibility, create, fluxPath, imageAutomation));
    }

    private boolean repositoryName(String v) {
        String why = null;
        if (!REPOSITORY.matcher(v).matches()) {
            why = "1-100 characters of A-Z a-z 0-9 . _ -";
        } else if (v.equals(".") || v.equals("..")) {
            why = "not . or ..";
        } else if (v.toLowerCase().endsWith(".git")) {
            why = "without the .git suffix";
        }
        if (why != null) {
            f.invalid("gitops_repository", "expected a GitHub repository name (" + why + "), found \"" + v + "\"");
        }
        return why == null;
    }

    /** The subset of git's check-ref-format rules that can go wrong in a YAML value. */
    private boolean branchName(String v) {
        String why = null;
        if (!BRANCH.matcher(v).matches()) {
            why = "1-255 characters of A-Z a-z 0-9 . _ / -";
        } else if (v.startsWith("-") || v.startsWith("/") || v.startsWith(".")) {
            why = "not starting with - / or .";
        } else if (v.endsWith("/") || v.endsWith(".") || v.endsWith(".lock")) {
            why = "not ending with / . or .lock";
        } else if (v.contains("..") || v.contains("//") || v.contains("/.")) {
            why = "no .. // or /. inside";
        }
        if (why != null) {
            f.invalid("gitops_branch", "expected a git branch name like \"main\" (" + why + "), found \"" + v + "\"");
        }
        return why == null;
    }

    /** A folder inside the repository: relative, no . or .. segments, outside the generated folders. */
    private boolean fluxPath(String v) {
        String why = null;
        String[] segments = v.split("/", -1);
        if (v.startsWith("/")) {
            why = "relative, without a leading /";
        } else if (v.endsWith("/")) {
            why = "without a trailing /";
        } else if (Arrays.stream(segments).anyMatch(s -> s.equals("..") || s.equals("."))) {
            why = "no . or .. segments";
        } else if (Arrays.stream(segments).anyMatch(s -> !PATH_SEGMENT.matcher(s).matches())) {
            why = "segments of A-Z a-z 0-9 . _ - separated by single /";
        } else if (GENERATED_FOLDERS.contains(segments[0])) {
            why = "outside the generated folders " + String.join("/, ", GENERATED_FOLDERS.stream().sorted().toList()) + "/";
        }
        if (why != null) {
            f.invalid("flux_path", "expected a relative folder like \"clusters/test\" (" + why + "), found \"" + v + "\"");
        }
        return why == null;
    }
}
