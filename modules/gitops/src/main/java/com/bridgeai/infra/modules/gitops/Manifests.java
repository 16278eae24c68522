package com.bridgeai.infra.modules.gitops;

import static com.bridgeai.infra.modules.gitops.GitOpsYaml.map;

import java.util.List;
import java.util.Map;

/**
 * The objects of the GitOps tree as typed records. Each renders to the plain map that
 * {@link GitOpsYaml} dumps, so a file is valid YAML and every field has one spelling.
 * API versions are the GA ones of Flux 2.3+ (Kustomization v1, HelmRepository v1, HelmRelease v2);
 * OCIRepository v1 is Flux 2.6+ (the config refuses {@code gpu_capacity: karpenter}, the only user, with an older Flux).
 */
public final class Manifests {
    public static final String FLUX_NAMESPACE = "flux-system";
    /** The GitRepository and root Kustomization the FluxInstance's sync creates (named after the namespace, like flux bootstrap). */
    public static final String FLUX_SOURCE = "flux-system";
    /**
     * Annotation that lets Flux recreate an object whose fields are immutable (a StorageClass's
     * parameters, a Job's pod template) when they change, instead of failing to patch it.
     */
    public static final Map<String, String> FORCE_RECREATE = Map.of("kustomize.toolkit.fluxcd.io/force", "enabled");

    private Manifests() {}

    /** A Kubernetes object: apiVersion, kind, metadata, plus its own fields. */
    public interface Manifest {
        String apiVersion();

        String kind();

        ObjectMeta metadata();

        /** Everything after metadata (spec, or a StorageClass's top-level fields). */
        Map<String, Object> body();

        default Map<String, Object> toMap() {
            Map<String, Object> out = map("apiVersion", apiVersion(), "kind", kind(), "metadata", metadata().toMap());
            out.putAll(body());
            return out;
        }
    }

    public record ObjectMeta(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
        public static ObjectMeta named(String name) {
            return new ObjectMeta(name, null, Map.of(), Map.of());
        }

        public static ObjectMeta named(String name, String namespace) {
            return new ObjectMeta(name, namespace, Map.of(), Map.of());
        }

        public ObjectMeta withAnnotations(Map<String, String> extra) {
            return new ObjectMeta(name, namespace, labels, extra);
        }

        public ObjectMeta withLabels(Map<String, String> extra) {
            return new ObjectMeta(name, namespace, extra, annotations);
        }

        Map<String, Object> toMap() {
            return map("name", name, "namespace", namespace,
                    "labels", labels.isEmpty() ? null : labels,
                    "annotations", annotations.isEmpty() ? null : annotations);
        }
    }

    public record Namespace(ObjectMeta metadata) implements Manifest {
        public String apiVersion() {
            return "v1";
        }

        public String kind() {
            return "Namespace";
        }

        public Map<String, Object> body() {
            return Map.of();
        }
    }

    /** A Helm chart repository Flux's source-controller polls. */
    public record HelmRepository(ObjectMeta metadata, String url, String interval) implements Manifest {
        public String apiVersion() {
            return "source.toolkit.fluxcd.io/v1";
        }

        public String kind() {
            return "HelmRepository";
        }

        public Map<String, Object> body() {
            return map("spec", map("url", url, "interval", interval));
        }
    }

    /**
     * An OCI artifact Flux's source-controller pulls: here one Helm chart at one exact tag. The layer
     * selector takes the chart's tarball layer as is ({@code copy}: a HelmRelease's {@code chartRef}
     * reads a chart archive, not an extracted folder), the media type Helm pushes charts with.
     */
    public record OciRepository(ObjectMeta metadata, String url, String tag, String interval) implements Manifest {
        /** The layer media type of a Helm chart in an OCI registry (Helm's {@code registry.ChartLayerMediaType}). */
        public static final String HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

        public String apiVersion() {
            return "source.toolkit.fluxcd.io/v1";
        }

        public String kind() {
            return "OCIRepository";
        }

        public Map<String, Object> body() {
            return map("spec", map(
                    "interval", interval,
                    "url", url,
                    "ref", map("tag", tag),
                    "layerSelector", map("mediaType", HELM_CHART_LAYER, "operation", "copy")));
        }
    }

    public record StorageClass(
            ObjectMeta metadata,
            String provisioner,
            Map<String, String> parameters,
            String reclaimPolicy,
            String volumeBindingMode,
            boolean allowVolumeExpansion) implements Manifest {
        public String apiVersion() {
            return "storage.k8s.io/v1";
        }

        public String kind() {
            return "StorageClass";
        }

        public Map<String, Object> body() {
            return map("provisioner", provisioner, "parameters", parameters, "reclaimPolicy", reclaimPolicy,
                    "volumeBindingMode", volumeBindingMode, "allowVolumeExpansion", allowVolumeExpansion);
        }
    }

    /**
     * A Flux Kustomization: applies one folder of the repository, prunes what was removed,
     * waits for everything it applied to become ready, and runs after {@code dependsOn}.
     */
    public record FluxKustomization(
            ObjectMeta metadata,
            String path,
            String interval,
            String retryInterval,
            String timeout,
            boolean prune,
            boolean waitForReady,
            List<String> dependsOn) implements Manifest {
        public String apiVersion() {
            return "kustomize.toolkit.fluxcd.io/v1";
        }

        public String kind() {
            return "Kustomization";
        }

        public Map<String, Object> body() {
            return map("spec", map(
                    "dependsOn", dependsOn.isEmpty() ? null : dependsOn.stream().map(d -> map("name", d)).toList(),
                    "interval", interval,
                    "retryInterval", retryInterval,
                    "timeout", timeout,
                    "sourceRef", map("kind", "GitRepository", "name", FLUX_SOURCE),
                    "path", path,
                    "prune", prune,
                    "wait", waitForReady));
        }
    }

    /**
     * Which chart, at which exact version, from which source: a HelmRepository ({@code spec.chart},
     * a HelmChart template with the version), or for an OCI chart its OCIRepository, which pins the
     * version as its tag ({@code spec.chartRef}).
     */
    public record ChartRef(ChartPin pin) {
        /** The HelmRelease spec's field name: {@code chart} or {@code chartRef}. */
        String field() {
            return pin.oci() ? "chartRef" : "chart";
        }

        Map<String, Object> toMap() {
            if (pin.oci()) {
                return map("kind", "OCIRepository", "name", pin.repositoryName(), "namespace", FLUX_NAMESPACE);
            }
            return map("spec", map(
                    "chart", pin.chart(),
                    "version", pin.version(),
                    "sourceRef", map("kind", "HelmRepository", "name", pin.repositoryName(), "namespace", FLUX_NAMESPACE),
                    "interval", "12h"));
        }
    }

    /**
     * What helm-controller does with the CRDs in a chart's {@code crds/} folder (HelmRelease
     * {@code install.crds} / {@code upgrade.crds}). Helm itself only ever creates them on install and
     * never updates them.
     */
    public enum CrdPolicy {
        /** Flux's default: created on install, left as they are on upgrade (Helm's behaviour). */
        DEFAULT,
        /** Created on install, created or replaced on every upgrade: the CRDs follow the chart version. */
        CREATE_REPLACE
    }

    /**
     * A Flux HelmRelease: installs and upgrades one chart with remediation (retries, then
     * rollback), in the namespace of the object itself.
     */
    public record HelmRelease(
            ObjectMeta metadata,
            String releaseName,
            ChartRef chart,
            String interval,
            String timeout,
            Map<String, Object> values,
            CrdPolicy crds) implements Manifest {
        public HelmRelease {
            java.util.Objects.requireNonNull(crds, "crds");
        }

        /** A release whose CRDs (if any) are handled as Flux does by default. */
        public HelmRelease(ObjectMeta metadata, String releaseName, ChartRef chart, String interval, String timeout,
                Map<String, Object> values) {
            this(metadata, releaseName, chart, interval, timeout, values, CrdPolicy.DEFAULT);
        }

        public String apiVersion() {
            return "helm.toolkit.fluxcd.io/v2";
        }

        public String kind() {
            return "HelmRelease";
        }

        public Map<String, Object> body() {
            boolean replace = crds == CrdPolicy.CREATE_REPLACE;
            Map<String, Object> spec = map(
                    "releaseName", releaseName,
                    "interval", interval,
                    "timeout", timeout);
            spec.put(chart.field(), chart.toMap());
            spec.put("install", map("crds", replace ? "Create" : null, "remediation", map("retries", 3)));
            spec.put("upgrade", map("crds", replace ? "CreateReplace" : null,
                    "cleanupOnFail", true, "remediation", map("retries", 3, "strategy", "rollback")));
            spec.put("values", values);
            return map("spec", spec);
        }
    }

    /**
     * Any other Kubernetes object (External Secrets, a CronJob, ...): its API version, kind and
     * the fields after metadata as given. The schema test validates each against its model.
     */
    public record KubernetesObject(String apiVersion, String kind, ObjectMeta metadata, Map<String, Object> body)
            implements Manifest {}

    /** A kustomization.yaml (kustomize's own file, not a cluster object): the folder's resources. */
    public record KustomizeFile(List<String> resources) {
        public Map<String, Object> toMap() {
            return map("apiVersion", "kustomize.config.k8s.io/v1beta1", "kind", "Kustomization", "resources", resources);
        }
    }
}
