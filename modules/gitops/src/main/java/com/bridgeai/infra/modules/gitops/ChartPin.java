package com.bridgeai.infra.modules.gitops;

import java.util.regex.Pattern;

/**
 * One Helm chart at one exact version, and the repository it comes from.
 *
 * @param chart          chart name in the repository
 * @param version        exact chart version (no ranges: a range lets Flux upgrade on its own)
 * @param repositoryName name of the Flux source object (flux-system namespace): a HelmRepository, or for
 *                       an OCI chart the OCIRepository of exactly this chart
 * @param repositoryUrl  the chart repository URL; {@code oci://registry/path} for a chart in an OCI
 *                       registry (the chart is then {@code <repositoryUrl>/<chart>:<version>}, as
 *                       {@code helm install oci://...} names it)
 *
 * <p>The apps' pins live with the apps (modules/apps: {@code Airflow.CHART}, ...), Flux's with Flux ({@code FluxOperator}).
 */
public record ChartPin(String chart, String version, String repositoryName, String repositoryUrl) {
    private static final Pattern EXACT = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    public ChartPin {
        if (!EXACT.matcher(version).matches()) {
            throw new IllegalArgumentException("chart " + chart + ": expected an exact version like 1.2.3, found " + version);
        }
        if (!repositoryUrl.startsWith("https://") && !repositoryUrl.startsWith(OCI_SCHEME)) {
            throw new IllegalArgumentException("chart " + chart + ": expected an https:// or oci:// repository, found " + repositoryUrl);
        }
    }

    private static final String OCI_SCHEME = "oci://";

    /** The chart is an OCI artifact: Flux fetches it with an OCIRepository, not a HelmRepository. */
    public boolean oci() {
        return repositoryUrl.startsWith(OCI_SCHEME);
    }

    /** The chart's own OCI address, {@code oci://registry/path/<chart>} (only for {@link #oci()} pins). */
    public String ociArtifact() {
        if (!oci()) {
            throw new IllegalStateException("chart " + chart + " comes from a Helm repository, not an OCI registry");
        }
        return repositoryUrl + "/" + chart;
    }
}
