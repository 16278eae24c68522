package com.bridgeai.infra.modules.apps.database;

import static com.bridgeai.infra.modules.gitops.GitOpsYaml.map;

import com.bridgeai.infra.modules.apps.AppUnit;
import com.bridgeai.infra.modules.apps.HelmValues;
import com.bridgeai.infra.modules.gitops.ChartPin;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.Manifests.ChartRef;
import com.bridgeai.infra.modules.gitops.Manifests.HelmRelease;
import com.bridgeai.infra.modules.gitops.Manifests.ObjectMeta;
import com.bridgeai.infra.modules.gitops.Pinned;
import java.util.Map;

/**
 * The External Secrets Operator: copies the apps' database logins from Secrets Manager into
 * Kubernetes secrets and keeps them current (every {@value DatabaseCredentials#REFRESH_INTERVAL}),
 * so a rotation reaches the cluster without anyone applying anything. Its controller reads
 * Secrets Manager through its IRSA role ({@link AppsDatabaseAccess}: exactly the two app secrets).
 * Installed by the infrastructure Kustomization with its CRDs, so the apps Kustomization, which
 * waits for it, can apply the ClusterSecretStore and ExternalSecrets ({@link DatabaseCredentials}).
 * Only with the env's RDS instance (the bundled PostgreSQL has no external credentials).
 */
public final class ExternalSecretsOperator implements AppUnit {
    /**
     * external-secrets/external-secrets, chart 2.9.0 = ESO v2.9.0 (deploy/charts/external-secrets/
     * Chart.yaml at tag helm-chart-2.9.0, 2026-08-08: the newest chart release in the repository
     * snapshot checked on 2026-12-05; kubeVersion >= 1.19). Serves external-secrets.io/v1.
     */
    @Pinned(released = "2026-08-08") // tag helm-chart-2.9.0
    public static final ChartPin CHART =
            new ChartPin("external-secrets", "2.9.0", "external-secrets", "https://charts.external-secrets.io");
    public static final String NAMESPACE = "external-secrets";
    /** The controller's service account, the one its IRSA role trusts. */
    public static final String SERVICE_ACCOUNT = "external-secrets";

    @Override
    public String name() {
        return "external-secrets";
    }

    @Override
    public ChartPin chart() {
        return CHART;
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public boolean ownsNamespace() {
        return true;
    }

    @Override
    public Placement placement() {
        return Placement.infrastructure("external-secrets");
    }

    @Override
    public boolean enabled(GitOpsSpec spec) {
        return spec.rdsDatabase();
    }

    @Override
    public HelmRelease release(GitOpsSpec spec) {
        return new HelmRelease(ObjectMeta.named(name(), NAMESPACE), name(), new ChartRef(CHART), "1h", "10m", values(spec));
    }

    /**
     * The chart installs the CRDs (its default, said explicitly); the controller's service account
     * carries the IRSA role; every pod (controller, webhook, cert controller) gets the GPU-taint
     * toleration through {@code global} when the only node group is tainted, and the system node
     * group's selector with Karpenter.
     */
    public static Map<String, Object> values(GitOpsSpec spec) {
        return map(
                "installCRDs", true,
                "serviceAccount", map(
                        "create", true,
                        "name", SERVICE_ACCOUNT,
                        "annotations", map("eks.amazonaws.com/role-arn", spec.appsDatabase().externalSecretsRoleArn())),
                "global", map("tolerations", ClusterContract.tolerations(spec.tolerateGpuTaint()),
                        "nodeSelector", HelmValues.systemNodeSelector(spec)));
    }
}
