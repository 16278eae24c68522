package com.bridgeai.infra.modules.gitops;

import java.util.regex.Pattern;

/**
 * One Helm chart at one exact version, and the repository it comes from.
 *
 * @param chart          chart name in the repository
 * @param version        exact chart version (no ranges: a range lets Flux upgrade on its own)
 * @param repositoryName name of the Flux HelmRepository object (flux-system namespace)
 * @param repositoryUrl  the chart repository URL
 *
 * <p>The apps' pins live with the apps (modules/apps: {@code Airflow.CHART}, ...), Flux's with Flux ({@code FluxOperator}).
 */
public record ChartPin(String chart, String version, String repositoryName, String repositoryUrl) {
    private static final Pattern EXACT = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    public ChartPin {
        if (!EXACT.matcher(version).matches()) {
            throw new IllegalArgumentException("chart " + chart + ": expected an exact version like 1.2.3, found " + version);
        }
    }
}
