package com.bridgeai.infra.modules.flux;

import com.hashicorp.cdktf.ITerraformDependable;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.providers.kubernetes.namespace_v1.NamespaceV1;
import com.hashicorp.cdktf.providers.kubernetes.namespace_v1.NamespaceV1Metadata;
import com.hashicorp.cdktf.providers.kubernetes.provider.KubernetesProvider;
import com.hashicorp.cdktf.providers.kubernetes.secret_v1.SecretV1;
import com.hashicorp.cdktf.providers.kubernetes.secret_v1.SecretV1Metadata;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * The two kinds of Kubernetes object the flux stack writes with Terraform, built one way: opaque
 * secrets (keys, credentials) and the namespaces they live in. The resources are created in the
 * caller's scope under the caller's id, so their Terraform addresses are those of the resources
 * written out by hand before.
 */
final class KubernetesObjects {
    private KubernetesObjects() {}

    /**
     * A namespace Terraform creates because a secret must exist in it before Flux installs the app;
     * Flux applies the same Namespace from the GitOps tree later and owns its labels and
     * annotations, which Terraform therefore ignores.
     */
    static NamespaceV1 namespaceSharedWithFlux(Construct scope, String id, KubernetesProvider kubernetes, String name) {
        return NamespaceV1.Builder.create(scope, id)
                .provider(kubernetes)
                .metadata(NamespaceV1Metadata.builder().name(name).build())
                .lifecycle(TerraformResourceLifecycle.builder()
                        .ignoreChanges(List.of("metadata[0].labels", "metadata[0].annotations"))
                        .build())
                .build();
    }

    /**
     * An Opaque secret. {@code data} in the order given (a LinkedHashMap keeps the synthesized JSON
     * stable); {@code dependsOn} may be empty.
     */
    static SecretV1 opaqueSecret(Construct scope, String id, KubernetesProvider kubernetes, String name, String namespace,
            Map<String, String> data, List<ITerraformDependable> dependsOn) {
        SecretV1.Builder secret = SecretV1.Builder.create(scope, id)
                .provider(kubernetes)
                .metadata(SecretV1Metadata.builder().name(name).namespace(namespace).build())
                .type("Opaque")
                .data(data);
        if (!dependsOn.isEmpty()) {
            secret.dependsOn(dependsOn);
        }
        return secret.build();
    }
}
