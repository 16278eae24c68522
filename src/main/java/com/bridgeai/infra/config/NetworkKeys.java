package com.bridgeai.infra.config;

import com.bridgeai.infra.config.EnvConfig.NatGateways;
import com.bridgeai.infra.config.EnvConfig.Network;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The env file's VPC keys: the CIDR block, its zones, NAT gateways and flow logs (the vpc stack). */
record NetworkKeys(YamlFields f) {
    static final List<String> KEYS = List.of("availability_zones", "cidr_block", "nat_gateways", "flow_logs");

    /** The smallest and largest VPC a CIDR block may describe (the VPC limits). */
    static final int MIN_PREFIX = 16;
    static final int MAX_PREFIX = 28;

    /**
     * The network; a component is null where its key has an error. {@code region} (null when
     * the project's region has an error) is what every zone must belong to.
     */
    Network read(String region) {
        List<String> zones = f.strings("availability_zones", true).filter(z -> zones(z, region)).orElse(null);
        String cidr = f.string("cidr_block", true).filter(c -> cidr(c, zones)).orElse(null);
        NatGateways nat = f.string("nat_gateways", false).map(v -> switch (v) {
            case "one_per_az" -> NatGateways.ONE_PER_AZ;
            case "single" -> NatGateways.SINGLE;
            default -> {
                f.invalid("nat_gateways", "expected \"one_per_az\" or \"single\", found \"" + v + "\"");
                yield null;
            }
        }).orElse(Network.DEFAULT_NAT_GATEWAYS);
        boolean flowLogs = f.bool("flow_logs", false).orElse(Network.DEFAULT_FLOW_LOGS);
        return new Network(cidr, zones, nat, flowLogs);
    }

    private boolean zones(List<String> zones, String region) {
        boolean ok = true;
        if (new LinkedHashSet<>(zones).size() < 2) {
            f.invalid("availability_zones", "expected at least two distinct availability zones (EKS CreateCluster"
                    + " needs two), found " + zones);
            ok = false;
        }
        if (new LinkedHashSet<>(zones).size() != zones.size()) {
            f.invalid("availability_zones", "expected each zone once, found duplicates in " + zones);
            ok = false;
        }
        for (int i = 0; i < zones.size(); i++) {
            String z = zones.get(i);
            if (region != null && !z.matches(Pattern.quote(region) + "[a-z]")) {
                f.error(f.node("availability_zones"), "availability_zones[" + i + "]",
                        "expected a zone of region " + region + " like \"" + region + "a\", found \"" + z + "\"");
                ok = false;
            }
        }
        return ok;
    }

    /** A VPC CIDR must be a /16../28 network with room for one public and one private subnet per AZ. */
    private boolean cidr(String v, List<String> zones) {
        Optional<Cidr> parsed = Cidr.parse(v);
        if (parsed.isEmpty()) {
            f.invalid("cidr_block", "expected an IPv4 CIDR block like \"10.0.0.0/16\", found \"" + v + "\"");
            return false;
        }
        Cidr c = parsed.get();
        if (!c.isNetworkAddress()) {
            f.invalid("cidr_block", "expected the network address of the block (\"" + c.canonical()
                    + "\"), found \"" + v + "\" which has host bits set");
            return false;
        }
        if (c.prefix() < MIN_PREFIX || c.prefix() > MAX_PREFIX) {
            f.invalid("cidr_block", "expected a prefix between /" + MIN_PREFIX + " and /" + MAX_PREFIX
                    + " (the VPC limits), found /" + c.prefix());
            return false;
        }
        if (zones != null) {
            int subnets = 2 * zones.size();
            int newBits = Cidr.bitsFor(subnets);
            if (c.prefix() + newBits > MAX_PREFIX) {
                f.invalid("cidr_block", "expected room for " + subnets + " subnets of at least /" + MAX_PREFIX
                        + " (a public and a private one in each of " + zones.size() + " zones), found /" + c.prefix()
                        + " which only splits into /" + (c.prefix() + newBits) + " subnets; use /"
                        + (MAX_PREFIX - newBits) + " or larger");
                return false;
            }
        }
        return true;
    }
}
