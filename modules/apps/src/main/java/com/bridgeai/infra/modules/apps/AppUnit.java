package com.bridgeai.infra.modules.apps;

import com.bridgeai.infra.modules.gitops.ChartPin;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.Manifests.HelmRelease;

/**
 * One application Flux installs from a pinned chart, in one place (cdk-eks-blueprints'
 * {@code lib/addons/<name>/}): its chart pin, namespace, values builder and HelmRelease — and
 * what it needs outside Kubernetes next to it in its package (MLflow's bucket and IAM role).
 * {@link Apps#ALL} lists them; the GitOps tree (github module) renders every enabled unit:
 * its chart source, its namespace if it owns one, and its HelmRelease under {@link #placement()}.
 */
public interface AppUnit {
    /** Where the HelmRelease file lives in the GitOps tree: {@code <root>/<folder>/}. */
    record Placement(String root, String folder) {
        /** Applied by the {@code apps} Kustomization (after the infrastructure). */
        public static Placement app(String folder) {
            return new Placement("apps", folder);
        }

        /** Applied by the {@code infrastructure} Kustomization (before the apps). */
        public static Placement infrastructure(String folder) {
            return new Placement("infrastructure", folder);
        }
    }

    /** The release name (and the HelmRelease's name). */
    String name();

    ChartPin chart();

    /** The namespace the chart installs into. */
    String namespace();

    /** True: the GitOps tree creates the namespace (never pruned); false: a namespace the cluster has (kube-system). */
    boolean ownsNamespace();

    Placement placement();

    /** Whether this cluster runs the app at all. */
    boolean enabled(GitOpsSpec spec);

    HelmRelease release(GitOpsSpec spec);
}
