package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.modules.aws.vpc.VpcModule;
import com.bridgeai.infra.modules.aws.vpc.VpcProps;
import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import software.constructs.Construct;

/** {@code <env>-vpc}: the network of the environment (seed module aws/vpc). */
public final class VpcStack extends EnvStack {
    private final VpcModule vpc;

    public VpcStack(Construct scope, EnvConfig env) {
        super(scope, env, StackUnit.VPC);
        useRemoteState();
        awsProvider();
        vpc = new VpcModule(this, "vpc", new VpcProps(
                env.project().project() + "-" + env.name(),
                env.network().cidrBlock(),
                env.network().availabilityZones(),
                env.network().natGateways() == EnvConfig.NatGateways.ONE_PER_AZ,
                env.network().flowLogs(),
                env.logRetentionDays(),
                env.clusterName(),
                account(this, env),
                env.cluster().karpenter().isPresent())); // Karpenter finds the private subnets by their tag
        output("vpc_id", vpc.vpcId());
        output("vpc_cidr_block", vpc.cidrBlock());
        output("public_subnet_ids", vpc.publicSubnetIds());
        output("private_subnet_ids", vpc.privateSubnetIds());
        output("public_subnet_cidrs", vpc.publicSubnetCidrs());
        output("private_subnet_cidrs", vpc.privateSubnetCidrs());
    }

    public VpcModule vpc() {
        return vpc;
    }

    private void output(String name, Object value) {
        new TerraformOutput(this, name, TerraformOutputConfig.builder().value(value).build());
    }
}
