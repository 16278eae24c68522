package com.bridgeai.infra.modules.flux;

import com.bridgeai.infra.modules.gitops.Pinned;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A pinned Flux distribution version (the FluxInstance's {@code spec.distribution.version}) and
 * the Kubernetes minors it is pinned for. The cluster's kubernetes_version picks the release, so
 * a Kubernetes upgrade never runs a Flux that does not support it; a version outside every range
 * is a config error.
 *
 * <p>Each Kubernetes minor gets the newest Flux release that supports it. What each Flux minor
 * supports is Flux's own statement (the "Supported Versions" table of its release announcement,
 * fluxcd/website content/en/blog): 2.5 → 1.30–1.32, 2.6 → 1.31–1.33, 2.7 → 1.32–1.34,
 * 2.8 → 1.33–1.35, 2.9 → 1.34–1.36 (announced 2026-06-30). 2.9 is not pinned: the operator ships
 * it from v0.53.0 (2.9.4 at v0.58.1, 2.8.8 from v0.50.0), and no chart newer than
 * {@link FluxOperator#VERSION} could be checked here (src/test/resources/chart-keys/README.md); an
 * operator never installs a Flux minor its image does not embed (enforced since 79a3905, v0.54.0).
 * Every version here is one the pinned operator ships (flux-operator
 * {@code config/data/flux/v<version>} at tag {@code v0.49.0}), so the operator installs exactly it;
 * exact versions, never a semver range: a range would let the operator upgrade Flux on its own.
 *
 * @param fluxVersion        the Flux release, exact ("2.8.7")
 * @param minKubernetesMinor lowest 1.NN it is pinned for
 * @param maxKubernetesMinor highest 1.NN it is pinned for
 */
public record FluxRelease(String fluxVersion, int minKubernetesMinor, int maxKubernetesMinor) {
    private static final Pattern MINOR = Pattern.compile("1\\.(\\d+)");
    private static final Pattern EXACT = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    public FluxRelease {
        if (!EXACT.matcher(fluxVersion).matches()) {
            throw new IllegalArgumentException("Flux release: expected an exact version like 2.8.7, found " + fluxVersion);
        }
        if (minKubernetesMinor > maxKubernetesMinor) {
            throw new IllegalArgumentException("Flux " + fluxVersion + ": empty Kubernetes range");
        }
    }

    /** Oldest first; ranges do not overlap and leave no gap. Moved by hand, with the operator (above). */
    @Pinned(name = "fluxcd/flux2", source = "https://github.com/fluxcd/flux2/releases", verified = "2026-12-05",
            follows = "FluxOperator.VERSION (the versions it ships)")
    public static final List<FluxRelease> PINNED = List.of(
            // 1.30 is supported by Flux 2.5 only (2.6 starts at 1.31); both 2.5 and 2.6 are end-of-life
            new FluxRelease("2.5.1", 30, 30),
            new FluxRelease("2.6.4", 31, 31),
            new FluxRelease("2.7.5", 32, 32),
            // the newest 2.8 patch the pinned operator ships (2.8.8 came after operator v0.49.0)
            new FluxRelease("2.8.7", 33, 35));

    /**
     * Whether this Flux serves {@code source.toolkit.fluxcd.io/v1} OCIRepository (GA in Flux 2.6.0;
     * 2.5 has only v1beta2), the source the GitOps tree uses for Karpenter's OCI chart.
     */
    public boolean servesOciRepositoryV1() {
        String[] parts = fluxVersion.split("\\.");
        int major = Integer.parseInt(parts[0]);
        return major > 2 || (major == 2 && Integer.parseInt(parts[1]) >= 6);
    }

    /** The pinned release for a Kubernetes version "1.NN", if one supports it. */
    public static Optional<FluxRelease> forKubernetes(String version) {
        Matcher m = MINOR.matcher(version);
        if (!m.matches()) {
            return Optional.empty();
        }
        int minor = Integer.parseInt(m.group(1));
        return PINNED.stream().filter(r -> minor >= r.minKubernetesMinor && minor <= r.maxKubernetesMinor).findFirst();
    }

    /** "Flux 2.5.1: 1.30, ..., Flux 2.8.7: 1.33-1.35" for error messages. */
    public static String supported() {
        return PINNED.stream()
                .map(r -> "Flux " + r.fluxVersion + ": 1." + r.minKubernetesMinor
                        + (r.maxKubernetesMinor == r.minKubernetesMinor ? "" : "-1." + r.maxKubernetesMinor))
                .collect(Collectors.joining(", "));
    }
}
