package com.bridgeai.infra.modules.flux;

import com.bridgeai.infra.modules.github.ChartPin;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A pinned Flux release: the fluxcd-community charts that carry it and the Kubernetes minors
 * it supports (Flux's own compatibility table; Flux 2.5 set 1.30 as its minimum, 2.8 set 1.33).
 * The cluster's kubernetes_version picks the release, so a Kubernetes upgrade never runs a
 * Flux that does not support it; a version outside every range is a config error.
 *
 * @param fluxVersion  the Flux release (the charts' appVersion)
 * @param minKubernetesMinor lowest supported 1.NN
 * @param maxKubernetesMinor highest supported 1.NN
 * @param flux2        controllers + CRDs chart
 * @param flux2Sync    GitRepository + Kustomization chart
 */
public record FluxRelease(String fluxVersion, int minKubernetesMinor, int maxKubernetesMinor, ChartPin flux2,
        ChartPin flux2Sync) {
    static final String CHARTS = "https://fluxcd-community.github.io/helm-charts";
    private static final Pattern MINOR = Pattern.compile("1\\.(\\d+)");

    /** Oldest first; ranges do not overlap. */
    public static final List<FluxRelease> PINNED = List.of(
            new FluxRelease("2.5.1", 30, 32,
                    new ChartPin("flux2", "2.15.0", "fluxcd-community", CHARTS),
                    new ChartPin("flux2-sync", "1.12.0", "fluxcd-community", CHARTS)),
            new FluxRelease("2.8.5", 33, 35,
                    new ChartPin("flux2", "2.18.3", "fluxcd-community", CHARTS),
                    new ChartPin("flux2-sync", "1.14.5", "fluxcd-community", CHARTS)));

    /** The pinned release for a Kubernetes version "1.NN", if one supports it. */
    public static Optional<FluxRelease> forKubernetes(String version) {
        Matcher m = MINOR.matcher(version);
        if (!m.matches()) {
            return Optional.empty();
        }
        int minor = Integer.parseInt(m.group(1));
        return PINNED.stream().filter(r -> minor >= r.minKubernetesMinor && minor <= r.maxKubernetesMinor).findFirst();
    }

    /** "Flux 2.5.1: 1.30-1.32, Flux 2.8.5: 1.33-1.35" for error messages. */
    public static String supported() {
        return PINNED.stream()
                .map(r -> "Flux " + r.fluxVersion + ": 1." + r.minKubernetesMinor + "-1." + r.maxKubernetesMinor)
                .collect(Collectors.joining(", "));
    }
}
