package com.bridgeai.infra.modules.aws.vpc;

import com.bridgeai.infra.modules.aws.kms.AwsAccount;
import java.util.List;

/**
 * Inputs of {@link VpcModule} (the seed's aws/vpc module: Cloud Posse vpc + dynamic-subnets).
 *
 * @param name               prefix of every Name tag, e.g. {@code mlops-test}
 * @param cidrBlock          the VPC block; split with cidrsubnet into one public and one private subnet per AZ
 * @param availabilityZones  two or more AZs of the provider's region
 * @param natGatewayPerAz    true: one NAT gateway per AZ; false: a single NAT gateway for the VPC
 * @param flowLogs           send VPC flow logs to CloudWatch Logs (a log group encrypted with a key of its own)
 * @param logRetentionDays   how long the flow logs are kept
 * @param clusterName        EKS cluster whose load balancers may use the subnets ({@code kubernetes.io/cluster/<name>})
 * @param account            partition, account and region, for the flow-log key's policy
 * @param karpenterDiscovery the private subnets carry {@code karpenter.sh/discovery = <clusterName>}, the tag
 *                           Karpenter's node class selects its subnets by ({@code gpu_capacity: karpenter})
 */
public record VpcProps(
        String name,
        String cidrBlock,
        List<String> availabilityZones,
        boolean natGatewayPerAz,
        boolean flowLogs,
        int logRetentionDays,
        String clusterName,
        AwsAccount account,
        boolean karpenterDiscovery) {
    /** Without Karpenter's discovery tag (a {@code gpu_capacity: node_group} env). */
    public VpcProps(String name, String cidrBlock, List<String> availabilityZones, boolean natGatewayPerAz, boolean flowLogs,
                    int logRetentionDays, String clusterName, AwsAccount account) {
        this(name, cidrBlock, availabilityZones, natGatewayPerAz, flowLogs, logRetentionDays, clusterName, account, false);
    }

    public VpcProps {
        availabilityZones = List.copyOf(availabilityZones);
        if (availabilityZones.size() < 2) {
            throw new IllegalArgumentException("a VPC for EKS needs at least two availability zones");
        }
    }

    /**
     * The zones that get a NAT gateway, each with an Elastic IP of its own: every zone, or only
     * the first one for a single NAT gateway. {@code bin/preflight} counts the Elastic IPs from it.
     */
    public static List<String> natGatewayZones(List<String> availabilityZones, boolean natGatewayPerAz) {
        return natGatewayPerAz ? List.copyOf(availabilityZones) : List.of(availabilityZones.get(0));
    }

    /** The Name tag of the NAT gateway in {@code az} and of its Elastic IP. */
    public static String natName(String name, String az) {
        return name + "-nat-" + az;
    }

    public List<String> natGatewayZones() {
        return natGatewayZones(availabilityZones, natGatewayPerAz);
    }

    /** Extra prefix bits so that 2 × AZ subnets fit: Terraform's cidrsubnet {@code newbits}. */
    public int subnetNewBits() {
        int subnets = 2 * availabilityZones.size();
        return 32 - Integer.numberOfLeadingZeros(subnets - 1);
    }
}
