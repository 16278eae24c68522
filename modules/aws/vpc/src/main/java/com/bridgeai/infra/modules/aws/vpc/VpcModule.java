package com.bridgeai.infra.modules.aws.vpc;

import com.bridgeai.infra.modules.aws.kms.CustomerKey;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroup;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroupConfig;
import com.hashicorp.cdktf.providers.aws.default_security_group.DefaultSecurityGroup;
import com.hashicorp.cdktf.providers.aws.default_security_group.DefaultSecurityGroupConfig;
import com.hashicorp.cdktf.providers.aws.eip.Eip;
import com.hashicorp.cdktf.providers.aws.eip.EipConfig;
import com.bridgeai.infra.modules.aws.kms.AwsAccount;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocument;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatement;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementCondition;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementPrincipals;
import com.hashicorp.cdktf.providers.aws.flow_log.FlowLog;
import com.hashicorp.cdktf.providers.aws.flow_log.FlowLogConfig;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRoleConfig;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicy;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicyConfig;
import com.hashicorp.cdktf.providers.aws.internet_gateway.InternetGateway;
import com.hashicorp.cdktf.providers.aws.internet_gateway.InternetGatewayConfig;
import com.hashicorp.cdktf.providers.aws.nat_gateway.NatGateway;
import com.hashicorp.cdktf.providers.aws.nat_gateway.NatGatewayConfig;
import com.hashicorp.cdktf.providers.aws.route.Route;
import com.hashicorp.cdktf.providers.aws.route.RouteConfig;
import com.hashicorp.cdktf.providers.aws.route_table.RouteTable;
import com.hashicorp.cdktf.providers.aws.route_table.RouteTableConfig;
import com.hashicorp.cdktf.providers.aws.route_table_association.RouteTableAssociation;
import com.hashicorp.cdktf.providers.aws.route_table_association.RouteTableAssociationConfig;
import com.hashicorp.cdktf.providers.aws.subnet.Subnet;
import com.hashicorp.cdktf.providers.aws.subnet.SubnetConfig;
import com.hashicorp.cdktf.providers.aws.vpc.Vpc;
import com.hashicorp.cdktf.providers.aws.vpc.VpcConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * A VPC laid out for EKS: per AZ one public subnet (load balancers, NAT) and one private
 * subnet (nodes, control-plane ENIs), an internet gateway, NAT gateway(s) with EIPs, one
 * route table per private subnet, the subnet tags the AWS load balancer controller and
 * EKS look for, the VPC's default security group emptied of every rule, and flow logs (on
 * unless turned off) into a KMS-encrypted log group. Subnet CIDRs come from Terraform's cidrsubnet:
 * public subnets take indexes 0..n-1, private ones n..2n-1 of the same split.
 */
public final class VpcModule extends Construct {
    // Attribute references (token strings), each read once: every read is a round trip to
    // the jsii kernel, and a synth makes a few hundred of them per environment
    private final String vpcId;
    private final String cidrBlock;
    private final List<String> publicSubnetIds = new ArrayList<>();
    private final List<String> privateSubnetIds = new ArrayList<>();
    private final List<String> publicSubnetCidrs = new ArrayList<>();
    private final List<String> privateSubnetCidrs = new ArrayList<>();

    public VpcModule(Construct scope, String id, VpcProps props) {
        super(scope, id);
        List<String> zones = props.availabilityZones();
        String clusterTag = "kubernetes.io/cluster/" + props.clusterName();

        Vpc vpc = new Vpc(this, "vpc", VpcConfig.builder()
                .cidrBlock(props.cidrBlock())
                .enableDnsSupport(true)
                .enableDnsHostnames(true) // EKS private endpoint and node registration need DNS hostnames
                .tags(Map.of("Name", props.name() + "-vpc"))
                .build());
        vpcId = vpc.getId();
        cidrBlock = vpc.getCidrBlock();
        // Adopts the default security group AWS creates with every VPC and removes all its rules
        // (it allows all traffic between its members and all egress): nothing here uses it —
        // EKS makes its own cluster security group, EFS has one of its own — so anything put in
        // it by mistake is cut off instead of quietly open.
        new DefaultSecurityGroup(this, "default_security_group", DefaultSecurityGroupConfig.builder()
                .vpcId(vpcId)
                .tags(Map.of("Name", props.name() + "-default-restricted"))
                .build());
        InternetGateway igw = new InternetGateway(this, "igw", InternetGatewayConfig.builder()
                .vpcId(vpcId).tags(Map.of("Name", props.name() + "-igw")).build());

        RouteTable publicRoutes = new RouteTable(this, "public_rt", RouteTableConfig.builder()
                .vpcId(vpcId).tags(Map.of("Name", props.name() + "-public")).build());
        String publicRoutesId = publicRoutes.getId();
        new Route(this, "public_default_route", RouteConfig.builder()
                .routeTableId(publicRoutesId).destinationCidrBlock("0.0.0.0/0").gatewayId(igw.getId()).build());

        for (int i = 0; i < zones.size(); i++) {
            String az = zones.get(i);
            Subnet pub = new Subnet(this, "public_" + az, SubnetConfig.builder()
                    .vpcId(vpcId)
                    .availabilityZone(az)
                    .cidrBlock(Fn.cidrsubnet(props.cidrBlock(), props.subnetNewBits(), i))
                    .mapPublicIpOnLaunch(false) // nothing is launched here but NAT and load balancers
                    .tags(Map.of("Name", props.name() + "-public-" + az,
                            "kubernetes.io/role/elb", "1", clusterTag, "shared"))
                    .build());
            publicSubnetIds.add(pub.getId());
            publicSubnetCidrs.add(pub.getCidrBlock());
            new RouteTableAssociation(this, "public_rta_" + az, RouteTableAssociationConfig.builder()
                    .subnetId(publicSubnetIds.get(i)).routeTableId(publicRoutesId).build());

            Subnet priv = new Subnet(this, "private_" + az, SubnetConfig.builder()
                    .vpcId(vpcId)
                    .availabilityZone(az)
                    .cidrBlock(Fn.cidrsubnet(props.cidrBlock(), props.subnetNewBits(), zones.size() + i))
                    .tags(privateSubnetTags(props, az, clusterTag))
                    .build());
            privateSubnetIds.add(priv.getId());
            privateSubnetCidrs.add(priv.getCidrBlock());
        }

        List<String> natZones = props.natGatewayZones();
        int natCount = natZones.size();
        List<String> natGatewayIds = new ArrayList<>();
        for (int i = 0; i < natCount; i++) {
            String az = natZones.get(i);
            Eip eip = new Eip(this, "nat_eip_" + az, EipConfig.builder()
                    .domain("vpc").tags(Map.of("Name", VpcProps.natName(props.name(), az))).build());
            natGatewayIds.add(new NatGateway(this, "nat_" + az, NatGatewayConfig.builder()
                    .allocationId(eip.getId())
                    .subnetId(publicSubnetIds.get(i))
                    .tags(Map.of("Name", VpcProps.natName(props.name(), az)))
                    .dependsOn(List.of(igw)) // a NAT gateway needs the VPC's internet gateway to route
                    .build()).getId());
        }
        for (int i = 0; i < zones.size(); i++) {
            String az = zones.get(i);
            RouteTable rt = new RouteTable(this, "private_rt_" + az, RouteTableConfig.builder()
                    .vpcId(vpcId).tags(Map.of("Name", props.name() + "-private-" + az)).build());
            String routeTableId = rt.getId();
            new Route(this, "private_default_route_" + az, RouteConfig.builder()
                    .routeTableId(routeTableId)
                    .destinationCidrBlock("0.0.0.0/0")
                    // each AZ egresses through its own NAT gateway, or all through the single one
                    .natGatewayId(natGatewayIds.get(Math.min(i, natCount - 1)))
                    .build());
            new RouteTableAssociation(this, "private_rta_" + az, RouteTableAssociationConfig.builder()
                    .subnetId(privateSubnetIds.get(i)).routeTableId(routeTableId).build());
        }

        if (props.flowLogs()) {
            flowLogs(props);
        }
    }

    private void flowLogs(VpcProps props) {
        String name = props.name();
        String groupName = "/aws/vpc/" + name + "/flow-logs";
        CustomerKey key = new CustomerKey(this, "flow_logs_key", name + "-vpc-flow-logs",
                "CloudWatch Logs encryption of the VPC flow logs of " + name, props.account(),
                List.of(new CustomerKey.CloudWatchLogs(groupName)));
        CloudwatchLogGroup group = new CloudwatchLogGroup(this, "flow_logs", CloudwatchLogGroupConfig.builder()
                .name(groupName)
                .retentionInDays(props.logRetentionDays())
                .kmsKeyId(key.arn())
                .build());
        String groupArn = group.getArn(); // read once: each read is a jsii round trip
        AwsAccount account = props.account();
        // The trust and permissions of the VPC user guide's "IAM role for publishing flow logs to
        // CloudWatch Logs": the service may assume the role only for flow logs of this account and
        // region (aws:SourceAccount / aws:SourceArn, the confused-deputy guard of its trust policy
        // example), and the role has the five actions the guide lists as the minimum.
        DataAwsIamPolicyDocument trust = new DataAwsIamPolicyDocument(this, "flow_logs_trust", DataAwsIamPolicyDocumentConfig.builder()
                .statement(List.of(DataAwsIamPolicyDocumentStatement.builder()
                        .sid("VpcFlowLogsAssume")
                        .effect("Allow")
                        .actions(List.of("sts:AssumeRole"))
                        .principals(List.of(DataAwsIamPolicyDocumentStatementPrincipals.builder()
                                .type("Service").identifiers(List.of("vpc-flow-logs.amazonaws.com")).build()))
                        .condition(List.of(
                                DataAwsIamPolicyDocumentStatementCondition.builder()
                                        .test("StringEquals").variable("aws:SourceAccount")
                                        .values(List.of(account.accountId())).build(),
                                DataAwsIamPolicyDocumentStatementCondition.builder()
                                        .test("ArnLike").variable("aws:SourceArn")
                                        .values(List.of("arn:" + account.partition() + ":ec2:" + account.region() + ":"
                                                + account.accountId() + ":vpc-flow-log/*")).build()))
                        .build()))
                .build());
        IamRole role = new IamRole(this, "flow_logs_role", IamRoleConfig.builder()
                .name(name + "-vpc-flow-logs")
                .assumeRolePolicy(trust.getJson())
                .build());
        DataAwsIamPolicyDocument permissions = new DataAwsIamPolicyDocument(this, "flow_logs_permissions",
                DataAwsIamPolicyDocumentConfig.builder()
                        .statement(List.of(
                                DataAwsIamPolicyDocumentStatement.builder()
                                        .sid("WriteFlowLogs")
                                        .effect("Allow")
                                        .actions(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                                                "logs:DescribeLogStreams"))
                                        // the group (created here, before the flow log) and its streams
                                        .resources(List.of(groupArn, groupArn + ":*"))
                                        .build(),
                                DataAwsIamPolicyDocumentStatement.builder()
                                        // a list call over the account's log groups of the region: it
                                        // cannot be narrowed to one group
                                        .sid("DescribeLogGroups")
                                        .effect("Allow")
                                        .actions(List.of("logs:DescribeLogGroups"))
                                        .resources(List.of("arn:" + account.partition() + ":logs:" + account.region() + ":"
                                                + account.accountId() + ":log-group:*"))
                                        .build()))
                        .build());
        new IamRolePolicy(this, "flow_logs_policy", IamRolePolicyConfig.builder()
                .role(role.getId())
                .policy(permissions.getJson())
                .build());
        new FlowLog(this, "flow_log", FlowLogConfig.builder()
                .vpcId(vpcId)
                .trafficType("ALL")
                .logDestinationType("cloud-watch-logs")
                .logDestination(groupArn)
                .iamRoleArn(role.getArn())
                .build());
    }

    public String vpcId() {
        return vpcId;
    }

    public String cidrBlock() {
        return cidrBlock;
    }

    public List<String> publicSubnetIds() {
        return List.copyOf(publicSubnetIds);
    }

    /**
     * Karpenter's subnet discovery tag (its EC2NodeClass {@code subnetSelectorTerms}). Written here,
     * with the subnet's other tags, and not by an {@code aws_ec2_tag} in the eks stack: the AWS
     * provider's {@code aws_subnet} owns all of its subnet's tags, so a tag added by another resource
     * would be removed by the next apply of this stack, and added back by the next eks apply (the
     * provider's docs for aws_ec2_tag: "will cause a perpetual difference").
     */
    static final String KARPENTER_DISCOVERY_TAG = "karpenter.sh/discovery";

    private static Map<String, String> privateSubnetTags(VpcProps props, String az, String clusterTag) {
        Map<String, String> tags = new java.util.TreeMap<>(Map.of("Name", props.name() + "-private-" + az,
                "kubernetes.io/role/internal-elb", "1", clusterTag, "shared"));
        if (props.karpenterDiscovery()) {
            tags.put(KARPENTER_DISCOVERY_TAG, props.clusterName());
        }
        return tags;
    }

    public List<String> privateSubnetIds() {
        return List.copyOf(privateSubnetIds);
    }

    public List<String> publicSubnetCidrs() {
        return List.copyOf(publicSubnetCidrs);
    }

    public List<String> privateSubnetCidrs() {
        return List.copyOf(privateSubnetCidrs);
    }
}
