package com.bridgeai.infra.modules.aws.eks;

import com.bridgeai.infra.modules.aws.kms.CustomerKey;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.ITerraformDependable;
import com.hashicorp.cdktf.Precondition;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroup;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroupConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_eks_addon_version.DataAwsEksAddonVersion;
import com.hashicorp.cdktf.providers.aws.data_aws_eks_addon_version.DataAwsEksAddonVersionConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_partition.DataAwsPartition;
import com.hashicorp.cdktf.providers.aws.eks_addon.EksAddon;
import com.hashicorp.cdktf.providers.aws.eks_addon.EksAddonConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_eks_cluster_versions.DataAwsEksClusterVersions;
import com.hashicorp.cdktf.providers.aws.data_aws_eks_cluster_versions.DataAwsEksClusterVersionsConfig;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksCluster;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksClusterAccessConfig;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksClusterConfig;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksClusterEncryptionConfig;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksClusterEncryptionConfigProvider;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksClusterUpgradePolicy;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksClusterVpcConfig;
import com.hashicorp.cdktf.providers.aws.iam_openid_connect_provider.IamOpenidConnectProvider;
import com.hashicorp.cdktf.providers.aws.iam_openid_connect_provider.IamOpenidConnectProviderConfig;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRoleConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachment;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachmentConfig;
import com.hashicorp.cdktf.providers.aws.kms_alias.KmsAlias;
import com.hashicorp.cdktf.providers.aws.kms_alias.KmsAliasConfig;
import com.hashicorp.cdktf.providers.aws.kms_key.KmsKey;
import com.hashicorp.cdktf.providers.aws.kms_key.KmsKeyConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * An EKS cluster with a managed node group, ready for GPU workloads (the GPU group {@code workers}, or
 * with Karpenter a CPU group {@code system} and {@link KarpenterAws}): cluster IAM role,
 * KMS-encrypted secrets (rotation on), control-plane logs in a log group this stack owns,
 * an IAM OIDC provider for IRSA, a node role with the worker/CNI/ECR policies, a launch
 * template with an encrypted gp3 root volume and IMDSv2, and the configured add-ons with
 * IRSA roles created for them. The deploying identity becomes cluster admin as the
 * cluster's creator (EKS bootstrap admin).
 */
public final class EksModule extends Construct {
    /**
     * Root CA thumbprint of the EKS OIDC endpoints. IAM no longer checks it for EKS issuers
     * (it trusts its CA library), but the provider version of these bindings requires one.
     */
    static final String OIDC_ROOT_CA_THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";
    /** The managed node group's short name (its node label, the suffix of its AWS name). */
    public static final String WORKERS = "workers";
    /**
     * The CPU node group of a {@code gpu_capacity: karpenter} cluster (the cluster contract's name:
     * its nodes' {@code bridgeai.io/node-group} label, the suffix of its AWS name).
     */
    public static final String SYSTEM = ClusterContract.SYSTEM_NODE_GROUP;
    /** Logical id (and so the address) of the data source that asks AWS which versions it offers. */
    public static final String CLUSTER_VERSIONS_ID = "kubernetes_versions";

    // Attribute references (token strings), each read from the cluster/role/provider once:
    // every read is a round trip to the jsii kernel, and a synth makes ~300 of them per env
    private final String clusterName;
    private final String endpoint;
    private final String certificateAuthority;
    private final String oidcIssuerUrl;
    private final String oidcIssuer;
    private final String oidcProviderArn;
    private final String nodeRoleArn;
    private final String nodeGroupName;
    private final String clusterSecurityGroupId;
    /** The cluster's one managed node group: {@code workers} (GPU) or, with Karpenter, {@code system} (CPU). */
    private final ManagedNodeGroup workers;
    private final Optional<KarpenterAws> karpenter;
    private final EksCluster cluster;
    private final String partition;
    private final Map<String, String> addonRoleArns = new LinkedHashMap<>();

    public EksModule(Construct scope, String id, EksProps props) {
        super(scope, id);
        String name = props.clusterName();
        partition = new DataAwsPartition(this, "partition").getPartition();

        IamRole clusterRole = new IamRole(this, "cluster_role", IamRoleConfig.builder()
                .name(name + "-cluster")
                .assumeRolePolicy(assumeRoleFor("eks.amazonaws.com"))
                .build());
        IamRolePolicyAttachment clusterPolicy = attach("cluster_policy", clusterRole.getName(), "AmazonEKSClusterPolicy");

        // (kept a KmsKey of its own, not a CustomerKey: a new address would replace the key, and EKS
        // cannot change the key that encrypts a cluster's secrets)
        KmsKey secretsKey = new KmsKey(this, "secrets_key", KmsKeyConfig.builder()
                .description("Envelope encryption of Kubernetes secrets of " + name)
                .enableKeyRotation(true)
                .deletionWindowInDays(30)
                // EKS uses the key through grants its caller creates at cluster creation: the
                // account's IAM policies (root statement) are all it needs
                .policy(CustomerKey.policy(props.account(), List.of()))
                .build());
        new KmsAlias(this, "secrets_key_alias", KmsAliasConfig.builder()
                .name("alias/" + name + "-secrets").targetKeyId(secretsKey.getKeyId()).build());

        // created before the cluster so that EKS does not create an unmanaged, never-expiring group
        String logGroupName = "/aws/eks/" + name + "/cluster";
        CustomerKey logsKey = new CustomerKey(this, "logs_key", name + "-logs",
                "CloudWatch Logs encryption of the control-plane logs of " + name, props.account(),
                List.of(new CustomerKey.CloudWatchLogs(logGroupName)));
        CloudwatchLogGroup logs = new CloudwatchLogGroup(this, "cluster_logs", CloudwatchLogGroupConfig.builder()
                .name(logGroupName)
                .retentionInDays(props.logRetentionDays())
                .kmsKeyId(logsKey.arn())
                .build());

        EksClusterConfig.Builder clusterConfig = EksClusterConfig.builder()
                .name(name)
                .version(props.kubernetesVersion())
                .roleArn(clusterRole.getArn())
                .vpcConfig(EksClusterVpcConfig.builder()
                        .subnetIds(props.privateSubnetIds())
                        .endpointPublicAccess(props.endpointPublicAccess())
                        .endpointPrivateAccess(props.endpointPrivateAccess())
                        .publicAccessCidrs(props.endpointPublicAccess() ? props.publicAccessCidrs() : null)
                        .build())
                .encryptionConfig(EksClusterEncryptionConfig.builder()
                        .resources(List.of("secrets"))
                        .provider(EksClusterEncryptionConfigProvider.builder().keyArn(secretsKey.getArn()).build())
                        .build())
                .enabledClusterLogTypes(props.logTypes())
                // Who may administer the cluster, said explicitly instead of left to the EKS API
                // default: the deploying identity is bootstrap admin (an access entry EKS
                // creates), and access entries can be added later next to the aws-auth ConfigMap
                .accessConfig(EksClusterAccessConfig.builder()
                        .authenticationMode("API_AND_CONFIG_MAP")
                        .bootstrapClusterCreatorAdminPermissions(true)
                        .build())
                // Always written: a cluster created through the EKS API without it gets EXTENDED
                // (EKS API UpgradePolicyRequest: "The default value is EXTENDED") and moves to the
                // extended-support price on its own when the version's standard support ends
                .upgradePolicy(EksClusterUpgradePolicy.builder().supportType(props.supportType()).build())
                .dependsOn(List.of(clusterPolicy, logs));
        if (props.emulated()) {
            // the emulator echoes access_config back differently from what was sent, and drops
            // upgrade_policy (moto 5.2's EKS has no upgrade policy: it reads back none, a diff on
            // every plan); it has no DescribeClusterVersions either, so no live version check (the
            // config loader's offline calendar is all an emulated env gets, and it accepts any version)
            clusterConfig.lifecycle(TerraformResourceLifecycle.builder()
                    .ignoreChanges(List.of("access_config", "upgrade_policy")).build());
        } else {
            clusterConfig.lifecycle(TerraformResourceLifecycle.builder()
                    .precondition(List.of(kubernetesVersionOffered(props))).build());
        }
        cluster = new EksCluster(this, "cluster", clusterConfig.build());
        clusterName = cluster.getName();
        // the security group EKS creates and puts on the control plane and on managed nodes
        // without their own groups (our launch template sets none): what "the cluster's nodes" are
        clusterSecurityGroupId = cluster.getVpcConfig().getClusterSecurityGroupId();
        endpoint = cluster.getEndpoint();
        certificateAuthority = cluster.getCertificateAuthority().get(0).getData();
        oidcIssuerUrl = cluster.getIdentity().get(0).getOidc().get(0).getIssuer();
        oidcIssuer = Fn.replace(oidcIssuerUrl, "https://", "");

        IamOpenidConnectProvider oidc = new IamOpenidConnectProvider(this, "oidc_provider", IamOpenidConnectProviderConfig.builder()
                .url(oidcIssuerUrl)
                .clientIdList(List.of("sts.amazonaws.com"))
                .thumbprintList(List.of(OIDC_ROOT_CA_THUMBPRINT))
                .build());
        oidcProviderArn = oidc.getArn();

        IamRole nodeRole = new IamRole(this, "node_role", IamRoleConfig.builder()
                .name(name + "-node")
                .assumeRolePolicy(assumeRoleFor("ec2.amazonaws.com"))
                .build());
        nodeRoleArn = nodeRole.getArn();
        String nodeRoleName = nodeRole.getName();
        List<IamRolePolicyAttachment> nodePolicies = List.of(
                attach("node_worker_policy", nodeRoleName, "AmazonEKSWorkerNodePolicy"),
                attach("node_cni_policy", nodeRoleName, "AmazonEKS_CNI_Policy"),
                attach("node_ecr_policy", nodeRoleName, "AmazonEC2ContainerRegistryReadOnly"),
                // shell access through SSM Session Manager instead of SSH keys
                attach("node_ssm_policy", nodeRoleName, "AmazonSSMManagedInstanceCore"));
        // the node-level add-ons (AddonCatalog.BEFORE_COMPUTE) are created with the cluster and the
        // node group waits for them, so nodes boot with them as configured (vpc-cni with its network
        // policy agent, say) instead of with EKS's self-managed defaults first
        List<ITerraformDependable> beforeNodes = new ArrayList<>(nodePolicies);
        for (EksProps.Addon addon : props.addons()) {
            if (AddonCatalog.beforeCompute(addon.name())) {
                addon(props, addon).ifPresent(beforeNodes::add);
            }
        }
        if (props.karpenter().isPresent()) {
            // gpu_capacity: karpenter: a small CPU group for the system, no GPU group (Karpenter starts
            // GPU nodes on demand, with a role of their own: KarpenterAws)
            workers = new ManagedNodeGroup(this, SYSTEM, new ManagedNodeGroup.Props(clusterName, SYSTEM, name, nodeRoleArn,
                    props.privateSubnetIds(), props.karpenter().get().systemGroup(), props.emulated(), beforeNodes,
                    Optional.empty()));
            karpenter = Optional.of(new KarpenterAws(this, "karpenter", new KarpenterAws.Props(name, clusterName,
                    cluster.getArn(), clusterSecurityGroupId, oidcProviderArn, oidcIssuer, props.account(), props.emulated())));
        } else {
            // the one group this module has had from the start: built by ManagedNodeGroup now, at the
            // addresses it had when EksModule built it itself (no replacement of a deployed group)
            workers = new ManagedNodeGroup(this, WORKERS, new ManagedNodeGroup.Props(clusterName, WORKERS, name, nodeRoleArn,
                    props.privateSubnetIds(), props.nodeGroup(), props.emulated(), beforeNodes,
                    Optional.of(new ManagedNodeGroup.KeptLogicalIds(
                            LogicalIds.of(this, "node_launch_template"), LogicalIds.of(this, "node_group")))));
            karpenter = Optional.empty();
        }
        nodeGroupName = workers.nodeGroupName();

        for (EksProps.Addon addon : props.addons()) {
            if (!AddonCatalog.beforeCompute(addon.name())) {
                addon(props, addon);
            }
        }
    }

    /**
     * The live check, at plan time on real AWS: {@code data.aws_eks_cluster_versions} lists the
     * versions AWS offers today, and the cluster's precondition fails the plan (before anything
     * is created) when the configured one is not among them or is UNSUPPORTED. The offline
     * calendar only warns; AWS's own answer is what refuses.
     */
    private Precondition kubernetesVersionOffered(EksProps props) {
        DataAwsEksClusterVersions versions = new DataAwsEksClusterVersions(this, CLUSTER_VERSIONS_ID,
                DataAwsEksClusterVersionsConfig.builder().build());
        versions.overrideLogicalId(CLUSTER_VERSIONS_ID);
        String list = "data.aws_eks_cluster_versions." + CLUSTER_VERSIONS_ID + ".cluster_versions";
        String version = props.kubernetesVersion();
        return Precondition.builder()
                .condition("${contains([for v in " + list + " : v.cluster_version if v.version_status != \"UNSUPPORTED\"], \""
                        + version + "\")}")
                .errorMessage("AWS does not offer Kubernetes " + version + " for EKS clusters today (DescribeClusterVersions);"
                        + " versions in standard support now: ${join(\", \", [for v in " + list
                        + " : v.cluster_version if v.version_status == \"STANDARD_SUPPORT\"])}. " + props.versionAdvice())
                .build();
    }

    /** The add-on (its IRSA role first, if it gets one); empty in the emulated env (no add-on API). */
    private Optional<EksAddon> addon(EksProps props, EksProps.Addon addon) {
        String roleArn = addon.existingRoleArn().orElse(null);
        if (addon.createRoleName().isPresent()) {
            AddonCatalog.IrsaSpec spec = AddonCatalog.irsa(addon.name()).orElseThrow();
            IrsaRole role = new IrsaRole(this, "irsa_" + addon.name(), addon.createRoleName().get(),
                    oidcProviderArn, oidcIssuer, spec.namespace(), spec.serviceAccount(), spec.subject());
            attach("irsa_" + addon.name() + "_policy", role.role().getName(), spec.managedPolicy());
            roleArn = role.arn();
        }
        if (roleArn != null) {
            addonRoleArns.put(addon.name(), roleArn);
        }
        if (props.emulated()) {
            return Optional.empty(); // the emulator has no EKS add-on API; the role above is still created and checked
        }
        EksAddonConfig.Builder config = EksAddonConfig.builder()
                .clusterName(clusterName)
                .addonName(addon.name())
                .addonVersion(addonVersion(props, addon))
                .serviceAccountRoleArn(roleArn)
                .resolveConflictsOnCreate("OVERWRITE")
                .resolveConflictsOnUpdate("OVERWRITE");
        addon.configurationValues().ifPresent(config::configurationValues);
        if (!AddonCatalog.beforeCompute(addon.name())) {
            // CSI controllers and coredns need schedulable nodes to become ACTIVE; the node-level
            // DaemonSets (AddonCatalog.BEFORE_COMPUTE) do not, and are installed with the cluster
            config.dependsOn(List.of(workers.nodeGroup()));
        }
        return Optional.of(new EksAddon(this, "addon_" + addon.name(), config.build()));
    }

    /**
     * A pinned version as written; {@code default}/{@code latest}: what AWS offers for the
     * cluster's Kubernetes version, read at plan time (aws_eks_addon_version with most_recent
     * false/true). The configured version (a literal) is the key, not the cluster's attribute, so
     * the look-up does not wait for the cluster.
     */
    private String addonVersion(EksProps props, EksProps.Addon addon) {
        if (!addon.resolvedAtPlan()) {
            return addon.version();
        }
        return new DataAwsEksAddonVersion(this, "addon_version_" + addon.name(), DataAwsEksAddonVersionConfig.builder()
                .addonName(addon.name())
                .kubernetesVersion(props.kubernetesVersion())
                .mostRecent(addon.version().equals(EksProps.Addon.LATEST))
                .build()).getVersion();
    }

    private IamRolePolicyAttachment attach(String id, String roleName, String awsManagedPolicy) {
        return new IamRolePolicyAttachment(this, id, IamRolePolicyAttachmentConfig.builder()
                .role(roleName)
                .policyArn("arn:" + partition + ":iam::aws:policy/" + awsManagedPolicy)
                .build());
    }

    private static String assumeRoleFor(String service) {
        // TreeMaps: Map.of iterates in a per-JVM random order, and jsonencode's expression text
        // keeps that order, so every synth would produce a different cdk.tf.json
        return Fn.jsonencode(new TreeMap<>(Map.of("Version", "2012-10-17", "Statement", List.of(new TreeMap<>(Map.of(
                "Effect", "Allow", "Principal", Map.of("Service", service), "Action", "sts:AssumeRole"))))));
    }

    public String clusterName() {
        return clusterName;
    }

    /** The cluster resource (for a per-resource waiver of a scanner's check by the stack). */
    public EksCluster cluster() {
        return cluster;
    }

    public String endpoint() {
        return endpoint;
    }

    public String certificateAuthority() {
        return certificateAuthority;
    }

    /** The OIDC issuer URL, https:// included. */
    public String oidcIssuerUrl() {
        return oidcIssuerUrl;
    }

    /** The issuer without https:// (the prefix of IRSA condition keys). */
    public String oidcIssuer() {
        return oidcIssuer;
    }

    public String oidcProviderArn() {
        return oidcProviderArn;
    }

    public String nodeRoleArn() {
        return nodeRoleArn;
    }

    /** The security group EKS created for the cluster (control plane and managed nodes). */
    public String clusterSecurityGroupId() {
        return clusterSecurityGroupId;
    }

    public String nodeGroupName() {
        return nodeGroupName;
    }

    /** Karpenter's AWS side, with {@code gpu_capacity: karpenter}. */
    public Optional<KarpenterAws> karpenter() {
        return karpenter;
    }

    /** The role ARN each add-on got (created IRSA role or the configured one). */
    public Map<String, String> addonRoleArns() {
        return Collections.unmodifiableMap(addonRoleArns); // insertion order, not Map.copyOf's random one
    }
}
