package com.bridgeai.infra.modules.apps;

import com.bridgeai.infra.modules.apps.airflow.Airflow;
import com.bridgeai.infra.modules.apps.database.ExternalSecretsOperator;
import com.bridgeai.infra.modules.apps.database.Reloader;
import com.bridgeai.infra.modules.apps.karpenter.Karpenter;
import com.bridgeai.infra.modules.apps.mlflow.Mlflow;
import com.bridgeai.infra.modules.apps.nvidia.NvidiaDevicePlugin;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import java.util.List;

/**
 * Every app the GitOps tree can install, in the order their chart sources and namespaces are
 * listed. Adding an app: a package next to these with a class implementing {@link AppUnit}, and
 * one entry here (README "Adding an app").
 */
public final class Apps {
    public static final List<AppUnit> ALL = List.of(new Airflow(), new Mlflow(), new NvidiaDevicePlugin(),
            new ExternalSecretsOperator(), new Reloader(), new Karpenter());

    private Apps() {}

    /** The apps this cluster runs. */
    public static List<AppUnit> enabled(GitOpsSpec spec) {
        return ALL.stream().filter(app -> app.enabled(spec)).toList();
    }
}
