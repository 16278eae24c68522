package com.bridgeai.infra.modules.apps.database;

import static com.bridgeai.infra.modules.gitops.GitOpsYaml.map;

import com.bridgeai.infra.modules.apps.AppUnit;
import com.bridgeai.infra.modules.apps.HelmValues;
import com.bridgeai.infra.modules.apps.airflow.Airflow;
import com.bridgeai.infra.modules.apps.mlflow.Mlflow;
import com.bridgeai.infra.modules.gitops.ChartPin;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.Manifests.ChartRef;
import com.bridgeai.infra.modules.gitops.Manifests.HelmRelease;
import com.bridgeai.infra.modules.gitops.Manifests.ObjectMeta;
import com.bridgeai.infra.modules.gitops.Pinned;
import java.util.List;
import java.util.Map;

/**
 * Stakater Reloader: rolls the Deployments and StatefulSets of Airflow and MLflow when their
 * database secret changes, so running pods pick up a rotated login (both charts read it once, at
 * start, from environment variables). The rotation itself never breaks a running pod: the job
 * switches the apps to the <em>other</em> of their two login roles, and the old login stays valid
 * until the next rotation ({@link DatabaseCredentials}); Reloader makes sure no pod still holds it then.
 * Scoped: it watches only the airflow and mlflow namespaces (namespaced Roles, no ClusterRole), only
 * secrets labelled {@value DatabaseCredentials#RELOAD_LABEL}=true (the ones External Secrets writes),
 * never ConfigMaps, Jobs or CronJobs (Helm owns Airflow's migration job).
 */
public final class Reloader implements AppUnit {
    /**
     * stakater/Reloader, chart 2.2.16 = Reloader v1.4.21 (deployments/kubernetes/chart/reloader/
     * Chart.yaml at tag chart-v2.2.16, 2026-08-10: the newest chart tag in the repository snapshot
     * checked on 2026-12-05).
     */
    @Pinned(released = "2026-08-10") // tag chart-v2.2.16
    public static final ChartPin CHART =
            new ChartPin("reloader", "2.2.16", "stakater", "https://stakater.github.io/stakater-charts");
    public static final String NAMESPACE = "reloader";

    @Override
    public String name() {
        return "reloader";
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
        return Placement.infrastructure("reloader");
    }

    @Override
    public boolean enabled(GitOpsSpec spec) {
        return spec.rdsDatabase();
    }

    @Override
    public HelmRelease release(GitOpsSpec spec) {
        return new HelmRelease(ObjectMeta.named(name(), NAMESPACE), name(), new ChartRef(CHART), "1h", "5m", values(spec));
    }

    public static Map<String, Object> values(GitOpsSpec spec) {
        return map("reloader", map(
                // every workload that uses a watched secret, without annotating the charts' workloads
                "autoReloadAll", true,
                "ignoreConfigMaps", true,
                "ignoreJobs", true,
                "ignoreCronJobs", true,
                "resourceLabelSelector", DatabaseCredentials.RELOAD_LABEL + "=true",
                "watchGlobally", false,
                "namespaces", List.of(Airflow.NAMESPACE, Mlflow.NAMESPACE),
                "deployment", map("tolerations", ClusterContract.tolerations(spec.tolerateGpuTaint()),
                        "nodeSelector", HelmValues.systemNodeSelector(spec))));
    }
}
