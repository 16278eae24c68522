package com.bridgeai.infra.modules.gitops;

import java.util.regex.Pattern;

/**
 * One Helm chart at one exact version, and the repository it comes from.
 *
 * @param chart          chart name in the repository
 * @param version        exact chart version (no ranges: a range lets Flux upgrade on its own)
 * @param repositoryName name of the Flux HelmRepository object (flux-system namespace)
 * @param repositoryUrl  the chart repository URL
 */
public record ChartPin(String chart, String version, String repositoryName, String repositoryUrl) {
    private static final Pattern EXACT = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    public ChartPin {
        if (!EXACT.matcher(version).matches()) {
            throw new IllegalArgumentException("chart " + chart + ": expected an exact version like 1.2.3, found " + version);
        }
    }

    /** Apache Airflow's official chart. 1.18.0 = Airflow 3.0.2; needs Kubernetes 1.30+ and Helm 3.10+. */
    public static final ChartPin AIRFLOW =
            new ChartPin("airflow", "1.18.0", "apache-airflow", "https://airflow.apache.org");
    /** community-charts/mlflow, maintained (releases follow MLflow); 1.11.5 = MLflow 3.15.1. */
    public static final ChartPin MLFLOW =
            new ChartPin("mlflow", "1.11.5", "community-charts", "https://community-charts.github.io/helm-charts");
    /** NVIDIA's device plugin: without it no pod can request nvidia.com/gpu on the GPU nodes. */
    public static final ChartPin NVIDIA_DEVICE_PLUGIN =
            new ChartPin("nvidia-device-plugin", "0.20.0", "nvidia", "https://nvidia.github.io/k8s-device-plugin");
}
