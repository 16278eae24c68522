package com.bridgeai.infra.preflight;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.KeyLines;
import com.bridgeai.infra.modules.aws.vpc.VpcProps;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Elastic IPs for the NAT gateways: each NAT gateway gets one (VpcModule), and the account has a
 * per-region quota (5 by default) that every env, and everything else of the account in the
 * region, shares. Without one the vpc stack fails on AddressLimitExceeded.
 */
public final class ElasticIps {
    public static final String CHECK = "elastic-ip-quota";
    static final ServiceQuotas.Quota QUOTA = new ServiceQuotas.Quota("L-0263D0A3", "EC2-VPC Elastic IPs");

    private ElasticIps() {}

    /**
     * @param needed  NAT gateways the env creates (one Elastic IP each)
     * @param others  addresses allocated in the region that are not this env's NAT addresses
     * @param ours    this env's NAT addresses already allocated (a re-run: they are in {@code needed})
     */
    public static Finding judge(String where, int needed, ServiceQuotas.Value value, int others, int ours, String cli) {
        String counted = others + " allocated by others in the region" + (ours > 0 ? ", " + ours + " already this env's" : "");
        if (value.value().isEmpty()) {
            return Finding.warn(CHECK, where, "cannot judge: " + QUOTA + " could not be read (" + value.source() + "); the"
                    + " env's NAT gateways need " + needed + ", " + counted + " (AWS's default quota is 5 per region)");
        }
        double limit = value.value().get();
        String found = QUOTA + " is " + ServiceQuotas.number(limit) + " (" + value.source() + "), " + counted;
        if (limit - others < needed) {
            return Finding.blocker(CHECK, where, found + ": the " + needed + " NAT gateways' addresses do not fit, so the"
                    + " vpc stack fails (AddressLimitExceeded). Change: release addresses nobody uses (aws ec2 describe-addresses"
                    + " " + cli + ": those without an AssociationId), request an increase (aws service-quotas"
                    + " request-service-quota-increase --service-code ec2 --quota-code " + QUOTA.code() + " --desired-value "
                    + (long) Math.ceil(others + needed) + " " + cli + "), or nat_gateways: \"single\" (one NAT gateway;"
                    + " egress then depends on one zone)");
        }
        return Finding.ok(CHECK, where, found + "; the NAT gateways need " + needed);
    }

    public static Finding check(AwsCli aws, EnvConfig env, KeyLines lines, String cli) {
        // the name VpcStack gives the VPC module, and the Name tag the module puts on each NAT address
        String name = env.project().project() + "-" + env.name();
        List<String> natZones = VpcProps.natGatewayZones(env.network().availabilityZones(),
                env.network().natGateways() == EnvConfig.NatGateways.ONE_PER_AZ);
        List<String> ourNames = natZones.stream().map(az -> VpcProps.natName(name, az)).toList();
        String where = lines.at("nat_gateways");
        AwsCli.Answer addresses = aws.call("ec2", "describe-addresses");
        if (!addresses.ok()) {
            return Finding.warn(CHECK, where, "cannot judge: DescribeAddresses answered " + addresses.error());
        }
        int ours = 0;
        int others = 0;
        for (JsonNode a : addresses.body().path("Addresses")) {
            if (ourNames.contains(VcpuQuota.tag(a, "Name"))) {
                ours++;
            } else {
                others++;
            }
        }
        return judge(where, natZones.size(), ServiceQuotas.read(aws, QUOTA), others, ours, cli);
    }
}
