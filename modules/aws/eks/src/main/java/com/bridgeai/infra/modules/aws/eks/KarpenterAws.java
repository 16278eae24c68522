package com.bridgeai.infra.modules.aws.eks;

import com.bridgeai.infra.modules.aws.kms.AwsAccount;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_rule.CloudwatchEventRule;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_rule.CloudwatchEventRuleConfig;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_target.CloudwatchEventTarget;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_target.CloudwatchEventTargetConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocument;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatement;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementCondition;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementPrincipals;
import com.hashicorp.cdktf.providers.aws.ec2_tag.Ec2Tag;
import com.hashicorp.cdktf.providers.aws.ec2_tag.Ec2TagConfig;
import com.hashicorp.cdktf.providers.aws.eks_access_entry.EksAccessEntry;
import com.hashicorp.cdktf.providers.aws.eks_access_entry.EksAccessEntryConfig;
import com.hashicorp.cdktf.providers.aws.iam_policy.IamPolicy;
import com.hashicorp.cdktf.providers.aws.iam_policy.IamPolicyConfig;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRoleConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachment;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachmentConfig;
import com.hashicorp.cdktf.providers.aws.sqs_queue.SqsQueue;
import com.hashicorp.cdktf.providers.aws.sqs_queue.SqsQueueConfig;
import com.hashicorp.cdktf.providers.aws.sqs_queue_policy.SqsQueuePolicy;
import com.hashicorp.cdktf.providers.aws.sqs_queue_policy.SqsQueuePolicyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * Karpenter's AWS side for one cluster, as Karpenter's own reference builds it for the pinned
 * release ({@value #KARPENTER_VERSION}: {@code website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml}
 * at tag v1.14.1 of aws/karpenter-provider-aws; terraform-aws-eks {@code modules/karpenter} builds the
 * same pieces):
 * <ul>
 *   <li>the controller's IAM role, assumed through IRSA by {@code kube-system/karpenter}, with the
 *       reference's six policies, statement for statement: launches scoped to the region and to
 *       resources tagged for this cluster and a node pool, {@code iam:PassRole} for the node role
 *       only, instance profiles tagged for this cluster, region and a node class, the interruption
 *       queue, {@code eks:DescribeCluster} on this cluster;</li>
 *   <li>the node role {@code <cluster>-karpenter-node} (worker, CNI, ECR pull, SSM) and its EKS
 *       access entry of type {@code EC2_LINUX}, so nodes started with it can join;</li>
 *   <li>the interruption queue (SQS, SSE on, messages kept 5 minutes: an interruption is stale
 *       after that), its policy (EventBridge and SQS may send; nothing without TLS), and the
 *       EventBridge rules that feed it: AWS Health events, spot interruption warnings, rebalance
 *       recommendations, instance state changes, capacity reservation interruptions;</li>
 *   <li>the {@code karpenter.sh/discovery} tag on the cluster security group, the group Karpenter's
 *       node class selects for its nodes (the private subnets get the tag from the vpc stack,
 *       which owns their tags).</li>
 * </ul>
 * The controller itself, its NodePool and EC2NodeClass are in the GitOps tree.
 */
public final class KarpenterAws extends Construct {
    /** The Karpenter release whose reference this construct follows (its chart is pinned in the GitOps tree). */
    public static final String KARPENTER_VERSION = "1.14.1";
    /** Where the controller runs, and the service account its role trusts. */
    public static final String NAMESPACE = "kube-system";
    public static final String SERVICE_ACCOUNT = "karpenter";
    /** The tag Karpenter's node class selects subnets and security groups by; its value is the cluster name. */
    public static final String DISCOVERY_TAG = "karpenter.sh/discovery";
    /** Messages older than this are stale interruptions (the reference's MessageRetentionPeriod). */
    static final int QUEUE_RETENTION_SECONDS = 300;
    /** EventBridge's limit on a rule name. */
    static final int MAX_RULE_NAME = 64;

    /**
     * The EventBridge rules of the reference, in its order: the name suffix of each rule (after
     * {@code <cluster>-}), its event source and detail type.
     */
    public record InterruptionRule(String suffix, String source, String detailType) {}

    public static final List<InterruptionRule> RULES = List.of(
            new InterruptionRule("health-event", "aws.health", "AWS Health Event"),
            new InterruptionRule("spot-interruption", "aws.ec2", "EC2 Spot Instance Interruption Warning"),
            new InterruptionRule("rebalance", "aws.ec2", "EC2 Instance Rebalance Recommendation"),
            new InterruptionRule("state-change", "aws.ec2", "EC2 Instance State-change Notification"),
            new InterruptionRule("capacity-interruption", "aws.ec2", "EC2 Capacity Reservation Instance Interruption Warning"));

    /** The AWS managed policies of the node role (the reference's KarpenterNodeRole). */
    public static final List<String> NODE_POLICIES = List.of("AmazonEKS_CNI_Policy", "AmazonEKSWorkerNodePolicy",
            "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore");

    /**
     * @param clusterPrefix          the cluster's configured name (a literal: names, tag conditions)
     * @param clusterName            the cluster's name as a token of the cluster resource (waits for it)
     * @param clusterArn             the cluster's ARN (a token)
     * @param clusterSecurityGroupId the security group EKS created for the cluster (a token)
     * @param oidcProviderArn        the cluster's IAM OIDC provider
     * @param oidcIssuer             its issuer without {@code https://}
     * @param account                partition, account, region of the ARNs
     * @param emulated               against the emulator: no access entry (moto has no EKS access
     *                               entries) and no security-group tag (moto returns no cluster security group)
     */
    public record Props(String clusterPrefix, String clusterName, String clusterArn, String clusterSecurityGroupId,
                        String oidcProviderArn, String oidcIssuer, AwsAccount account, boolean emulated) {
        public Props {
            for (InterruptionRule rule : RULES) {
                if ((clusterPrefix + "-" + rule.suffix()).length() > MAX_RULE_NAME) {
                    throw new IllegalArgumentException("cluster name " + clusterPrefix + ": the EventBridge rule "
                            + clusterPrefix + "-" + rule.suffix() + " would be longer than " + MAX_RULE_NAME + " characters");
                }
            }
        }
    }

    private final String partition;
    private final String region;
    private final String accountId;
    private final String clusterPrefix;
    private final String controllerRoleArn;
    private final String nodeRoleName;
    private final String nodeRoleArn;
    private final String queueName;
    private final List<IamPolicy> controllerPolicies = new ArrayList<>();

    public KarpenterAws(Construct scope, String id, Props props) {
        super(scope, id);
        clusterPrefix = props.clusterPrefix();
        partition = props.account().partition();
        region = props.account().region();
        accountId = props.account().accountId();

        // ---- the node role: what the instances Karpenter starts run as (the EC2NodeClass role)
        IamRole nodeRole = new IamRole(this, "node_role", IamRoleConfig.builder()
                .name(clusterPrefix + "-karpenter-node")
                .description("Nodes Karpenter starts for " + clusterPrefix)
                .assumeRolePolicy(document("node_trust", List.of(DataAwsIamPolicyDocumentStatement.builder()
                        .sid("EC2AssumesTheNodeRole")
                        .actions(List.of("sts:AssumeRole"))
                        .principals(List.of(DataAwsIamPolicyDocumentStatementPrincipals.builder()
                                .type("Service").identifiers(List.of("ec2.amazonaws.com")).build()))
                        .build())).getJson())
                .build());
        nodeRoleName = nodeRole.getName();
        nodeRoleArn = nodeRole.getArn();
        for (String policy : NODE_POLICIES) {
            new IamRolePolicyAttachment(this, "node_" + policy, IamRolePolicyAttachmentConfig.builder()
                    .role(nodeRoleName).policyArn("arn:" + partition + ":iam::aws:policy/" + policy).build());
        }
        if (!props.emulated()) {
            // nodes with this role may join the cluster (EC2_LINUX: EKS maps them to system:nodes);
            // moto has no access entries: the emulated env leaves this one resource out
            new EksAccessEntry(this, "node_access_entry", EksAccessEntryConfig.builder()
                    .clusterName(props.clusterName())
                    .principalArn(nodeRoleArn)
                    .type("EC2_LINUX")
                    .build());
            // the cluster security group: EKS puts it on the control plane and on managed nodes;
            // Karpenter's node class selects it by this tag (moto returns no cluster security group)
            new Ec2Tag(this, "security_group_discovery_tag", Ec2TagConfig.builder()
                    .resourceId(props.clusterSecurityGroupId()).key(DISCOVERY_TAG).value(clusterPrefix).build());
        }

        // ---- the interruption queue and the events that feed it
        SqsQueue queue = new SqsQueue(this, "interruption_queue", SqsQueueConfig.builder()
                .name(clusterPrefix)
                .messageRetentionSeconds(QUEUE_RETENTION_SECONDS)
                // SQS-managed keys, as the reference: EventBridge can send to a queue under an SQS-owned
                // key without a key policy naming it (a customer key would need one, for events.amazonaws.com)
                .sqsManagedSseEnabled(true)
                .build());
        queueName = queue.getName();
        String queueArn = queue.getArn();
        new SqsQueuePolicy(this, "interruption_queue_policy", SqsQueuePolicyConfig.builder()
                .queueUrl(queue.getUrl())
                .policy(new DataAwsIamPolicyDocument(this, "interruption_queue_policy_document",
                        DataAwsIamPolicyDocumentConfig.builder()
                                .policyId("EC2InterruptionPolicy")
                                .statement(List.of(
                                        DataAwsIamPolicyDocumentStatement.builder()
                                                .sid("EventBridgeAndSqsSend")
                                                .actions(List.of("sqs:SendMessage"))
                                                .resources(List.of(queueArn))
                                                .principals(List.of(DataAwsIamPolicyDocumentStatementPrincipals.builder()
                                                        .type("Service")
                                                        .identifiers(List.of("events.amazonaws.com", "sqs.amazonaws.com"))
                                                        .build()))
                                                .build(),
                                        DataAwsIamPolicyDocumentStatement.builder()
                                                .sid("DenyHTTP")
                                                .effect("Deny")
                                                .actions(List.of("sqs:*"))
                                                .resources(List.of(queueArn))
                                                .principals(List.of(DataAwsIamPolicyDocumentStatementPrincipals.builder()
                                                        .type("*").identifiers(List.of("*")).build()))
                                                .condition(List.of(condition("Bool", "aws:SecureTransport", "false")))
                                                .build()))
                                .build()).getJson())
                .build());
        for (InterruptionRule r : RULES) {
            String ruleId = "rule_" + r.suffix().replace('-', '_');
            // TreeMaps: jsonencode keeps the map's order, and cdk.tf.json must be the same on every synth
            Map<String, Object> pattern = new TreeMap<>(Map.of("source", List.of(r.source()), "detail-type",
                    List.of(r.detailType())));
            CloudwatchEventRule rule = new CloudwatchEventRule(this, ruleId, CloudwatchEventRuleConfig.builder()
                    .name(clusterPrefix + "-" + r.suffix())
                    .description("Karpenter interruption handling of " + clusterPrefix + ": " + r.detailType())
                    .eventPattern(Fn.jsonencode(pattern))
                    .build());
            new CloudwatchEventTarget(this, ruleId + "_target", CloudwatchEventTargetConfig.builder()
                    .rule(rule.getName())
                    .targetId("KarpenterInterruptionQueueTarget")
                    .arn(queueArn)
                    .build());
        }

        // ---- the controller's role: IRSA for kube-system/karpenter, the reference's six policies
        IrsaRole controller = new IrsaRole(this, "controller_role", clusterPrefix + "-karpenter", props.oidcProviderArn(),
                props.oidcIssuer(), NAMESPACE, SERVICE_ACCOUNT);
        controllerRoleArn = controller.arn();
        String controllerRoleName = controller.role().getName();
        Map<String, List<DataAwsIamPolicyDocumentStatement>> policies = new LinkedHashMap<>();
        policies.put("NodeLifecycle", nodeLifecycleStatements());
        policies.put("IAMIntegration", iamIntegrationStatements());
        policies.put("EKSIntegration", List.of(allow("AllowAPIServerEndpointDiscovery", List.of("eks:DescribeCluster"),
                List.of(props.clusterArn()))));
        policies.put("Interruption", List.of(allow("AllowInterruptionQueueActions",
                List.of("sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"), List.of(queueArn))));
        policies.put("ZonalShift", List.of(allow("AllowZonalShiftStatusReadOnly", List.of("arc-zonal-shift:GetManagedResource"),
                List.of("*"), condition("StringEquals", "arc-zonal-shift:ResourceIdentifier", props.clusterArn()))));
        policies.put("ResourceDiscovery", resourceDiscoveryStatements());
        policies.forEach((name, statements) -> {
            String snake = name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
            IamPolicy policy = new IamPolicy(this, "controller_" + snake, IamPolicyConfig.builder()
                    .name(policyName(name))
                    .description("Karpenter " + KARPENTER_VERSION + " controller of " + clusterPrefix + ": " + name
                            + " (Karpenter's CloudFormation reference)")
                    .policy(document("controller_" + snake + "_document", statements).getJson())
                    .build());
            controllerPolicies.add(policy);
            new IamRolePolicyAttachment(this, "controller_" + snake + "_attachment", IamRolePolicyAttachmentConfig.builder()
                    .role(controllerRoleName).policyArn(policy.getArn()).build());
        });
    }

    /** The reference's managed policy names: {@code KarpenterController<Name>Policy-<cluster>}. */
    String policyName(String name) {
        return "KarpenterController" + name + "Policy-" + clusterPrefix;
    }

    /** KarpenterControllerNodeLifecyclePolicy: launch, tag and terminate only what belongs to this cluster's node pools. */
    private List<DataAwsIamPolicyDocumentStatement> nodeLifecycleStatements() {
        String ec2 = "arn:" + partition + ":ec2:" + region + ":";
        List<String> created = List.of(ec2 + "*:fleet/*", ec2 + "*:instance/*", ec2 + "*:volume/*",
                ec2 + "*:network-interface/*", ec2 + "*:launch-template/*", ec2 + "*:spot-instances-request/*");
        String ownedResource = "aws:ResourceTag/kubernetes.io/cluster/" + clusterPrefix;
        String ownedRequest = "aws:RequestTag/kubernetes.io/cluster/" + clusterPrefix;
        return List.of(
                allow("AllowScopedEC2InstanceAccessActions", List.of("ec2:RunInstances", "ec2:CreateFleet"),
                        List.of(ec2 + ":image/*", ec2 + ":snapshot/*", ec2 + "*:security-group/*", ec2 + "*:subnet/*",
                                ec2 + "*:capacity-reservation/*", ec2 + "*:placement-group/*")),
                allow("AllowScopedEC2LaunchTemplateAccessActions", List.of("ec2:RunInstances", "ec2:CreateFleet"),
                        List.of(ec2 + "*:launch-template/*"),
                        condition("StringEquals", ownedResource, "owned"),
                        condition("StringLike", "aws:ResourceTag/karpenter.sh/nodepool", "*")),
                allow("AllowScopedEC2InstanceActionsWithTags",
                        List.of("ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"), created,
                        condition("StringEquals", ownedRequest, "owned"),
                        condition("StringEquals", "aws:RequestTag/eks:eks-cluster-name", clusterPrefix),
                        condition("StringLike", "aws:RequestTag/karpenter.sh/nodepool", "*")),
                allow("AllowScopedResourceCreationTagging", List.of("ec2:CreateTags"), created,
                        condition("StringEquals", ownedRequest, "owned"),
                        condition("StringEquals", "aws:RequestTag/eks:eks-cluster-name", clusterPrefix),
                        condition("StringEquals", "ec2:CreateAction", "RunInstances", "CreateFleet", "CreateLaunchTemplate"),
                        condition("StringLike", "aws:RequestTag/karpenter.sh/nodepool", "*")),
                allow("AllowScopedResourceTagging", List.of("ec2:CreateTags"), List.of(ec2 + "*:instance/*"),
                        condition("StringEquals", ownedResource, "owned"),
                        condition("StringLike", "aws:ResourceTag/karpenter.sh/nodepool", "*"),
                        condition("StringEqualsIfExists", "aws:RequestTag/eks:eks-cluster-name", clusterPrefix),
                        condition("ForAllValues:StringEquals", "aws:TagKeys", "eks:eks-cluster-name", "karpenter.sh/nodeclaim",
                                "Name")),
                allow("AllowScopedDeletion", List.of("ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"),
                        List.of(ec2 + "*:instance/*", ec2 + "*:launch-template/*"),
                        condition("StringEquals", ownedResource, "owned"),
                        condition("StringLike", "aws:ResourceTag/karpenter.sh/nodepool", "*")));
    }

    /** KarpenterControllerIAMIntegrationPolicy: pass the node role to EC2; instance profiles of this cluster only. */
    private List<DataAwsIamPolicyDocumentStatement> iamIntegrationStatements() {
        String profiles = "arn:" + partition + ":iam::" + accountId + ":instance-profile/*";
        String ownedResource = "aws:ResourceTag/kubernetes.io/cluster/" + clusterPrefix;
        String ownedRequest = "aws:RequestTag/kubernetes.io/cluster/" + clusterPrefix;
        return List.of(
                allow("AllowPassingInstanceRole", List.of("iam:PassRole"), List.of(nodeRoleArn),
                        condition("StringEquals", "iam:PassedToService", "ec2.amazonaws.com", "ec2.amazonaws.com.cn")),
                allow("AllowScopedInstanceProfileCreationActions", List.of("iam:CreateInstanceProfile"), List.of(profiles),
                        condition("StringEquals", ownedRequest, "owned"),
                        condition("StringEquals", "aws:RequestTag/eks:eks-cluster-name", clusterPrefix),
                        condition("StringEquals", "aws:RequestTag/topology.kubernetes.io/region", region),
                        condition("StringLike", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass", "*")),
                allow("AllowScopedInstanceProfileTagActions", List.of("iam:TagInstanceProfile"), List.of(profiles),
                        condition("StringEquals", ownedResource, "owned"),
                        condition("StringEquals", "aws:ResourceTag/topology.kubernetes.io/region", region),
                        condition("StringEquals", ownedRequest, "owned"),
                        condition("StringEquals", "aws:RequestTag/eks:eks-cluster-name", clusterPrefix),
                        condition("StringEquals", "aws:RequestTag/topology.kubernetes.io/region", region),
                        condition("StringLike", "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass", "*"),
                        condition("StringLike", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass", "*")),
                allow("AllowScopedInstanceProfileActions",
                        List.of("iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"),
                        List.of(profiles),
                        condition("StringEquals", ownedResource, "owned"),
                        condition("StringEquals", "aws:ResourceTag/topology.kubernetes.io/region", region),
                        condition("StringLike", "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass", "*")));
    }

    /**
     * KarpenterControllerResourceDiscoveryPolicy: the read calls. Describe* and the Pricing API have
     * no resource-level permissions (IAM accepts only "*"); the EC2 ones are held to the region.
     */
    private List<DataAwsIamPolicyDocumentStatement> resourceDiscoveryStatements() {
        return List.of(
                allow("AllowRegionalReadActions", List.of("ec2:DescribeCapacityReservations", "ec2:DescribeImages",
                                "ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:DescribeInstanceTypeOfferings",
                                "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplates", "ec2:DescribePlacementGroups",
                                "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets"),
                        List.of("*"), condition("StringEquals", "aws:RequestedRegion", region)),
                allow("AllowSSMReadActions", List.of("ssm:GetParameter"),
                        List.of("arn:" + partition + ":ssm:" + region + "::parameter/aws/service/*")),
                allow("AllowPricingReadActions", List.of("pricing:GetProducts"), List.of("*")),
                allow("AllowUnscopedInstanceProfileListAction", List.of("iam:ListInstanceProfiles"), List.of("*")),
                allow("AllowInstanceProfileReadActions", List.of("iam:GetInstanceProfile"),
                        List.of("arn:" + partition + ":iam::" + accountId + ":instance-profile/*")));
    }

    private static DataAwsIamPolicyDocumentStatement allow(String sid, List<String> actions, List<String> resources,
            DataAwsIamPolicyDocumentStatementCondition... conditions) {
        DataAwsIamPolicyDocumentStatement.Builder s = DataAwsIamPolicyDocumentStatement.builder()
                .sid(sid).effect("Allow").actions(actions).resources(resources);
        if (conditions.length > 0) {
            s.condition(List.of(conditions));
        }
        return s.build();
    }

    private static DataAwsIamPolicyDocumentStatementCondition condition(String test, String variable, String... values) {
        return DataAwsIamPolicyDocumentStatementCondition.builder().test(test).variable(variable).values(List.of(values)).build();
    }

    /** A policy document data source: structured in the synthesized JSON, so tests can match it statement by statement. */
    private DataAwsIamPolicyDocument document(String id, List<DataAwsIamPolicyDocumentStatement> statements) {
        return new DataAwsIamPolicyDocument(this, id, DataAwsIamPolicyDocumentConfig.builder().statement(statements).build());
    }

    /** The controller's IRSA role (the chart's {@code serviceAccount.annotations}). */
    public String controllerRoleArn() {
        return controllerRoleArn;
    }

    /** The node role's name (the EC2NodeClass {@code role}). */
    public String nodeRoleName() {
        return nodeRoleName;
    }

    /** The interruption queue's name (the chart's {@code settings.interruptionQueue}). */
    public String queueName() {
        return queueName;
    }

    /** The controller's policies (for a per-resource waiver of a scanner's check by the stack). */
    public List<IamPolicy> controllerPolicies() {
        return List.copyOf(controllerPolicies);
    }
}
