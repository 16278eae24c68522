package com.bridgeai.infra.modules.flux;

import com.bridgeai.infra.modules.gitops.ChartPin;
import com.bridgeai.infra.modules.gitops.Pinned;

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
    // Both charts at commit cf746d9d ("Update charts", 2026-05-12), written out in full so that
    // renovate.json's ChartPin manager reads them (one pull request for both: its "Flux Operator" group);
    // they move together: FluxModuleTest checks that both have VERSION.
    @Pinned(released = "2026-05-12")
    public static final ChartPin OPERATOR_CHART =
            new ChartPin("flux-operator", "0.49.0", "controlplaneio-fluxcd", "oci://ghcr.io/controlplaneio-fluxcd/charts");
    @Pinned(released = "2026-05-12")
    public static final ChartPin INSTANCE_CHART =
            new ChartPin("flux-instance", "0.49.0", "controlplaneio-fluxcd", "oci://ghcr.io/controlplaneio-fluxcd/charts");
    /** The operator release: its charts' version (Chart.yaml {@code version} = {@code appVersion} without the "v"). */
    public static final String VERSION = OPERATOR_CHART.version();
    /** The charts' OCI repository: Helm's {@code repository} for an OCI chart, the chart name appended by Helm. */
    public static final String CHARTS = OPERATOR_CHART.repositoryUrl();
    /**
     * The distribution manifests the operator installs Flux from: the artifact this operator
     * release pushed (its release workflow: {@code flux-operator-manifests:<tag>}, then tags it
     * "latest"). The flux-instance chart defaults to {@code :latest}, which would move under us.
     */
    @Pinned(name = "ghcr.io/controlplaneio-fluxcd/flux-operator-manifests", source = "https://github.com/controlplaneio-fluxcd/flux-operator/releases",
            released = "2026-05-12", follows = "FluxOperator.VERSION")
    public static final String MANIFESTS_ARTIFACT = "oci://ghcr.io/controlplaneio-fluxcd/flux-operator-manifests:v" + VERSION;
    /** Upstream Flux images (the CNCF distribution). */
    public static final String REGISTRY = "ghcr.io/fluxcd";

    private FluxOperator() {
    }
}
