package com.bridgeai.infra.modules.flux;

import com.bridgeai.infra.modules.gitops.ChartPin;

/**
 * The Flux Operator release the flux stack installs, and the two charts it is installed with
 * (the route the operator's documentation gives for Helm/Terraform): {@code flux-operator}
 * (operator + its CRDs) and {@code flux-instance} (one FluxInstance named "flux"), both from
 * controlplaneio-fluxcd/charts at the commit that released 0.49.0 (cf746d9d, "Update charts").
 *
 * <p>0.49.0 is the newest operator whose chart files could be checked here (values.yaml,
 * values.schema.json, templates/instance.yaml; see src/test/resources/chart-keys/README.md).
 * The chart version equals the operator version (Chart.yaml {@code appVersion: v0.49.0}).
 */
public final class FluxOperator {
    public static final String VERSION = "0.49.0";
    /** The charts' OCI repository: Helm's {@code repository} for an OCI chart, the chart name appended by Helm. */
    public static final String CHARTS = "oci://ghcr.io/controlplaneio-fluxcd/charts";
    public static final ChartPin OPERATOR_CHART = new ChartPin("flux-operator", VERSION, "controlplaneio-fluxcd", CHARTS);
    public static final ChartPin INSTANCE_CHART = new ChartPin("flux-instance", VERSION, "controlplaneio-fluxcd", CHARTS);
    /**
     * The distribution manifests the operator installs Flux from: the artifact this operator
     * release pushed (its release workflow: {@code flux-operator-manifests:<tag>}, then tags it
     * "latest"). The flux-instance chart defaults to {@code :latest}, which would move under us.
     */
    public static final String MANIFESTS_ARTIFACT = "oci://ghcr.io/controlplaneio-fluxcd/flux-operator-manifests:v" + VERSION;
    /** Upstream Flux images (the CNCF distribution). */
    public static final String REGISTRY = "ghcr.io/fluxcd";

    private FluxOperator() {
    }
}
