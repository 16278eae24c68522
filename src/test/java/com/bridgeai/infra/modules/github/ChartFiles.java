package com.bridgeai.infra.modules.github;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The pinned charts' own values files (values.schema.json / values.yaml). They are the charts'
 * authors' work and are not in this repository: a test that needs one reads it from the folder
 * named by the system property {@code charts.dir} or, when that is unset or empty, the environment
 * variable {@code BRIDGEAI_CHARTS_DIR}, and is skipped (with where to download the file) when
 * neither is set or the file is not there. Where each file comes from: chart-keys/README.md.
 */
final class ChartFiles {
    static final String PROPERTY = "charts.dir";
    static final String ENV = "BRIDGEAI_CHARTS_DIR";

    /**
     * Where a chart's file comes from.
     *
     * @param chart  chart name and version, as in chart-keys/&lt;chart&gt;.txt
     * @param file   its file name in the charts folder
     * @param repo   GitHub repository (owner/name)
     * @param tag    the chart's release tag there (null: the repository tags no chart releases)
     * @param commit the commit checked, when it is recorded (else the tag)
     * @param path   the file's path in the repository
     */
    record Source(String chart, String file, String repo, String tag, String commit, String path) {
        boolean isSchema() {
            return file.endsWith(".values.schema.json");
        }

        String url() {
            return "https://raw.githubusercontent.com/" + repo + "/" + (commit == null ? tag : commit) + "/" + path;
        }

        String describe() {
            if (tag == null) {
                return repo + " " + path + " at commit " + commit;
            }
            return repo + " " + path + " at tag " + tag + (commit == null ? "" : " (commit " + commit + ")");
        }
    }

    static final String FLUX_CHARTS_COMMIT = "cf746d9db379ea3b26c95c1d789ab085321959eb";
    static final String KARPENTER_COMMIT = "bde00654cd316fddb3dccfba3f5ac07039865429";

    static final Map<String, Source> SOURCES = index(List.of(
            new Source("airflow-1.19.0", "airflow-1.19.0.values.schema.json", "apache/airflow", "helm-chart/1.19.0",
                    "f17d6ffb05cc0ffda638b7c0ef5b5d6d12f1c314", "chart/values.schema.json"),
            new Source("mlflow-1.11.5", "mlflow-1.11.5.values.schema.json", "community-charts/helm-charts", "mlflow-1.11.5",
                    null, "charts/mlflow/values.schema.json"),
            new Source("nvidia-device-plugin-0.20.0", "nvidia-device-plugin-0.20.0.values.yaml", "NVIDIA/k8s-device-plugin",
                    "v0.20.0", "1b826acc6af3079d8923bac395c3124b8861a9a6", "deployments/helm/nvidia-device-plugin/values.yaml"),
            new Source("external-secrets-2.9.0", "external-secrets-2.9.0.values.yaml", "external-secrets/external-secrets",
                    "helm-chart-2.9.0", "cc5bfbc2234ace9cb0caff4ea89c435cf517b27b", "deploy/charts/external-secrets/values.yaml"),
            new Source("reloader-2.2.16", "reloader-2.2.16.values.yaml", "stakater/Reloader",
                    "chart-v2.2.16", "655a2b3814baadb69d3d1e105242d6cc8875d7cb", "deployments/kubernetes/chart/reloader/values.yaml"),
            // aws/karpenter-provider-aws at tag v1.14.1 (the chart is published from the tag with version
            // 1.14.1; charts/karpenter/Chart.yaml in git says 1.13.0, the release job sets it); the chart's
            // crds/ are symlinks to pkg/apis/crds/ (the CRDs of KarpenterCrdTest)
            new Source("karpenter-1.14.1", "karpenter-1.14.1.values.yaml", "aws/karpenter-provider-aws", "v1.14.1",
                    KARPENTER_COMMIT, "charts/karpenter/values.yaml"),
            new Source("karpenter-nodepools-crd-v1.14.1", "karpenter.sh_nodepools-v1.14.1.yaml", "aws/karpenter-provider-aws",
                    "v1.14.1", KARPENTER_COMMIT, "pkg/apis/crds/karpenter.sh_nodepools.yaml"),
            new Source("karpenter-ec2nodeclasses-crd-v1.14.1", "karpenter.k8s.aws_ec2nodeclasses-v1.14.1.yaml",
                    "aws/karpenter-provider-aws", "v1.14.1", KARPENTER_COMMIT, "pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml"),
            // controlplaneio-fluxcd/charts tags no chart releases: cf746d9d ("Update charts") set both
            // charts to 0.49.0 (Chart.yaml version and appVersion v0.49.0); their files are unchanged
            // from there to the newest commit checked (fc87d3b3, 2026-05-13)
            new Source("flux-operator-0.49.0", "flux-operator-0.49.0.values.yaml", "controlplaneio-fluxcd/charts", null,
                    FLUX_CHARTS_COMMIT, "charts/flux-operator/values.yaml"),
            new Source("flux-instance-0.49.0", "flux-instance-0.49.0.values.yaml", "controlplaneio-fluxcd/charts", null,
                    FLUX_CHARTS_COMMIT, "charts/flux-instance/values.yaml"),
            new Source("flux-operator-0.49.0-schema", "flux-operator-0.49.0.values.schema.json", "controlplaneio-fluxcd/charts",
                    null, FLUX_CHARTS_COMMIT, "charts/flux-operator/values.schema.json"),
            new Source("flux-instance-0.49.0-schema", "flux-instance-0.49.0.values.schema.json", "controlplaneio-fluxcd/charts",
                    null, FLUX_CHARTS_COMMIT, "charts/flux-instance/values.schema.json"),
            // the FluxInstance CRD of operator v0.49.0 (the flux-operator chart's templates/crds.yaml
            // at cf746d9d carries the same spec.versions)
            new Source("fluxinstance-crd-v0.49.0", "fluxcd.controlplane.io_fluxinstances-v0.49.0.yaml",
                    "controlplaneio-fluxcd/flux-operator", "v0.49.0", "c09fd11b1d9e62ab60dafe04e162b573e96b5428",
                    "config/crd/bases/fluxcd.controlplane.io_fluxinstances.yaml")));

    private ChartFiles() {
    }

    private static Map<String, Source> index(List<Source> sources) {
        Map<String, Source> out = new LinkedHashMap<>();
        sources.forEach(s -> out.put(s.chart(), s));
        return out;
    }

    static Source source(String chart) {
        Source source = SOURCES.get(chart);
        assertNotNull(source, "no upstream source recorded for chart " + chart + " in ChartFiles.SOURCES");
        return source;
    }

    /** The charts folder, if one is configured. */
    static Optional<Path> dir() {
        String dir = System.getProperty(PROPERTY, "");
        if (dir.isBlank()) {
            dir = Optional.ofNullable(System.getenv(ENV)).orElse("");
        }
        return dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir.trim()));
    }

    /** The chart's file; skips the calling test (assumption) when it is not available. */
    static Path file(String chart) {
        Source source = source(chart);
        String get = "; download " + source.describe() + " as " + source.file() + " (" + source.url()
                + "), see src/test/resources/chart-keys/README.md";
        Optional<Path> dir = dir();
        if (dir.isEmpty()) {
            assumeTrue(false, "chart file " + source.file() + " not available: set -D" + PROPERTY + "=DIR or " + ENV
                    + "=DIR to a folder holding it" + get);
        }
        Path file = dir.get().resolve(source.file());
        if (!Files.isRegularFile(file)) {
            assumeTrue(false, "chart file " + file.toAbsolutePath() + " is missing" + get);
        }
        return file;
    }

    static JsonNode schema(String chart) throws IOException {
        try (InputStream in = Files.newInputStream(file(chart))) {
            return new ObjectMapper().readTree(in);
        }
    }

    static Map<String, Object> values(String chart) throws IOException {
        try (InputStream in = Files.newInputStream(file(chart))) {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
    }
}
