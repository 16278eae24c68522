package com.bridgeai.infra.modules.aws.eks;

import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.ITerraformDependable;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.providers.aws.eks_node_group.EksNodeGroup;
import com.hashicorp.cdktf.providers.aws.eks_node_group.EksNodeGroupConfig;
import com.hashicorp.cdktf.providers.aws.eks_node_group.EksNodeGroupLaunchTemplate;
import com.hashicorp.cdktf.providers.aws.eks_node_group.EksNodeGroupScalingConfig;
import com.hashicorp.cdktf.providers.aws.eks_node_group.EksNodeGroupTaint;
import com.hashicorp.cdktf.providers.aws.eks_node_group.EksNodeGroupUpdateConfig;
import com.hashicorp.cdktf.providers.aws.launch_template.LaunchTemplate;
import com.hashicorp.cdktf.providers.aws.launch_template.LaunchTemplateBlockDeviceMappings;
import com.hashicorp.cdktf.providers.aws.launch_template.LaunchTemplateBlockDeviceMappingsEbs;
import com.hashicorp.cdktf.providers.aws.launch_template.LaunchTemplateConfig;
import com.hashicorp.cdktf.providers.aws.launch_template.LaunchTemplateMetadataOptions;
import com.hashicorp.cdktf.providers.aws.launch_template.LaunchTemplateTagSpecifications;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.constructs.Construct;

/**
 * One EKS managed node group and its launch template (terraform-aws-eks'
 * {@code modules/eks-managed-node-group}): an encrypted gp3 root volume, IMDSv2 only with hop
 * limit {@value #IMDS_HOP_LIMIT}, and the cluster contract's labels and GPU taint
 * ({@link ClusterContract}) on a GPU node image. The cluster, the node role and its policies
 * come from {@link EksModule}; a cluster may have several groups, each its own construct.
 */
public final class ManagedNodeGroup extends Construct {
    /**
     * The launch template's IMDS hop limit: 1, so a pod on the pod network cannot reach the
     * instance metadata service (and the node role's credentials) — pods get AWS credentials
     * from IRSA. What still reads IMDS runs on the host network (aws-node/VPC CNI, kube-proxy,
     * the EFS CSI node plugin), where the hop limit does not apply; the EBS CSI node plugin falls
     * back to the Kubernetes API for its instance data; the NVIDIA device plugin does not use
     * IMDS. README "IMDS hop limit" has the evidence.
     */
    static final int IMDS_HOP_LIMIT = 1;

    /**
     * Terraform addresses to keep: the logical ids the launch template and node group had before
     * they moved into this construct (see {@link LogicalIds}), so a deployed group is updated in
     * place, never replaced.
     */
    public record KeptLogicalIds(String launchTemplate, String nodeGroup) {}

    /**
     * @param clusterName   the cluster (a token of the cluster resource: the group waits for it)
     * @param name          the group's short name, e.g. {@code workers}: its node label and the
     *                      suffix of its AWS name {@code <cluster>-<name>}
     * @param clusterPrefix the cluster's configured name (a literal, for the AWS names)
     * @param nodeRoleArn   the node role (shared by the cluster's groups)
     * @param subnetIds     private subnets the nodes run in
     * @param spec          instance types, sizes, AMI type, disk, GPU taint
     * @param emulated      against the emulator: drift on what it echoes back differently is ignored
     * @param after         what must exist before the group (the node role's policy attachments)
     * @param keptIds       addresses the group had before it was a construct of its own; empty for a new group
     */
    public record Props(String clusterName, String name, String clusterPrefix, String nodeRoleArn, List<String> subnetIds,
            EksProps.NodeGroup spec, boolean emulated, List<ITerraformDependable> after, Optional<KeptLogicalIds> keptIds) {
        public Props {
            subnetIds = List.copyOf(subnetIds);
            after = List.copyOf(after);
            if (!name.matches("[a-z0-9][a-z0-9-]*")) {
                throw new IllegalArgumentException("node group name: expected lower-case letters, digits and '-', found " + name);
            }
        }

        /** The AWS name of the group (and prefix of its launch template's). */
        public String awsName() {
            return clusterPrefix + "-" + name;
        }
    }

    private final EksNodeGroup nodeGroup;
    private final String nodeGroupName;

    public ManagedNodeGroup(Construct scope, String id, Props props) {
        super(scope, id);
        EksProps.NodeGroup ng = props.spec();
        String name = props.awsName();
        LaunchTemplateConfig.Builder templateConfig = LaunchTemplateConfig.builder()
                .namePrefix(name + "-")
                .description("Root volume and metadata settings of " + name)
                .updateDefaultVersion(true)
                .blockDeviceMappings(List.of(LaunchTemplateBlockDeviceMappings.builder()
                        // Bottlerocket keeps images and pods on its second volume
                        .deviceName(ng.amiType().startsWith("BOTTLEROCKET") ? "/dev/xvdb" : "/dev/xvda")
                        .ebs(LaunchTemplateBlockDeviceMappingsEbs.builder()
                                .volumeSize(ng.diskSizeGib())
                                .volumeType("gp3")
                                .encrypted("true")
                                .deleteOnTermination("true")
                                .build())
                        .build()))
                .metadataOptions(LaunchTemplateMetadataOptions.builder()
                        .httpEndpoint("enabled")
                        .httpTokens("required") // IMDSv2 only
                        .httpPutResponseHopLimit(IMDS_HOP_LIMIT) // pods use IRSA, not the node role
                        .build())
                .tagSpecifications(List.of(
                        LaunchTemplateTagSpecifications.builder().resourceType("instance").tags(Map.of("Name", name)).build(),
                        LaunchTemplateTagSpecifications.builder().resourceType("volume").tags(Map.of("Name", name)).build()));
        if (props.emulated()) {
            // the emulator echoes the template's own tags back as a "launch-template" tag specification
            templateConfig.lifecycle(TerraformResourceLifecycle.builder()
                    .ignoreChanges(List.of("tag_specifications")).build());
        }
        LaunchTemplate template = new LaunchTemplate(this, "launch_template", templateConfig.build());
        // before any reference is read: a reference carries the logical id it was read with
        props.keptIds().ifPresent(kept -> template.overrideLogicalId(kept.launchTemplate()));

        // the cluster contract (gitops module): the labels and taint the GitOps values select/tolerate
        Map<String, String> labels = ClusterContract.nodeLabels(props.name(), ng.gpu());
        List<EksNodeGroupTaint> taints = new ArrayList<>();
        if (ng.gpu() && ng.gpuTaint()) {
            // only pods that tolerate it (GPU jobs) land on the expensive nodes
            ClusterContract.Taint taint = ClusterContract.gpuTaint();
            taints.add(EksNodeGroupTaint.builder().key(taint.key()).value(taint.value()).effect(taint.eksEffect()).build());
        }
        EksNodeGroupConfig.Builder config = EksNodeGroupConfig.builder()
                .clusterName(props.clusterName())
                .nodeGroupName(name)
                .nodeRoleArn(props.nodeRoleArn())
                .subnetIds(props.subnetIds())
                .amiType(ng.amiType())
                .capacityType(ng.capacityType())
                .instanceTypes(ng.instanceTypes())
                .scalingConfig(EksNodeGroupScalingConfig.builder()
                        .minSize(ng.minSize()).desiredSize(ng.desiredSize()).maxSize(ng.maxSize()).build())
                .updateConfig(EksNodeGroupUpdateConfig.builder().maxUnavailable(1).build())
                .launchTemplate(EksNodeGroupLaunchTemplate.builder()
                        .id(template.getId()).version(Fn.tostring(template.getLatestVersion())).build())
                .labels(labels)
                .dependsOn(props.after());
        if (!taints.isEmpty()) {
            config.taint(taints);
        }
        if (props.emulated()) {
            config.lifecycle(TerraformResourceLifecycle.builder()
                    .ignoreChanges(List.of("remote_access", "update_config")).build());
        }
        nodeGroup = new EksNodeGroup(this, "node_group", config.build());
        props.keptIds().ifPresent(kept -> nodeGroup.overrideLogicalId(kept.nodeGroup()));
        nodeGroupName = nodeGroup.getNodeGroupName();
    }

    /** The node group resource (what add-ons that need running nodes wait for). */
    public EksNodeGroup nodeGroup() {
        return nodeGroup;
    }

    /** The group's AWS name (a token). */
    public String nodeGroupName() {
        return nodeGroupName;
    }
}
