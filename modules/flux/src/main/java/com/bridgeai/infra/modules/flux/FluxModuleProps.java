package com.bridgeai.infra.modules.flux;

import java.util.Optional;

/**
 * What {@link FluxModule} needs; the cluster values are tokens of the EKS stack, the Git values
 * tokens of the github stack.
 *
 * @param release              the pinned Flux release (see {@link FluxRelease#forKubernetes})
 * @param clusterName          EKS cluster name (for {@code aws eks get-token})
 * @param endpoint             Kubernetes API server URL
 * @param certificateAuthority cluster CA, base64 as EKS returns it
 * @param region               AWS region of the cluster
 * @param awsProfile           AWS CLI profile the token is fetched with (none: the caller's environment)
 * @param repositoryUrl        {@code ssh://git@github.com/<owner>/<repo>.git}
 * @param branch               branch Flux follows
 * @param path                 folder of the cluster's Kustomizations in the repository
 * @param identityPrivateKey   Flux's deploy key, private part (sensitive)
 * @param identityPublicKey    Flux's deploy key, public part (authorized_keys form)
 * @param gitSyncPrivateKey    Airflow git-sync's read-only deploy key, private part (sensitive)
 * @param imageAutomation      install the image reflector/automation controllers
 * @param gpuTainted           the (only) node group carries the nvidia.com/gpu NoSchedule taint: every Flux pod tolerates it
 * @param systemNodeGroup      Flux runs on the system node group (gpu_capacity: karpenter): every Flux pod selects it
 */
public record FluxModuleProps(
        FluxRelease release,
        String clusterName,
        String endpoint,
        String certificateAuthority,
        String region,
        Optional<String> awsProfile,
        String repositoryUrl,
        String branch,
        String path,
        String identityPrivateKey,
        String identityPublicKey,
        String gitSyncPrivateKey,
        boolean imageAutomation,
        boolean gpuTainted,
        boolean systemNodeGroup) {
    public FluxModuleProps {
        if (gpuTainted && systemNodeGroup) {
            throw new IllegalArgumentException("gpuTainted: expected false with the system node group (it is untainted;"
                    + " only Karpenter's GPU nodes carry the taint), found true");
        }
    }
}
