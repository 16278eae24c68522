package com.bridgeai.infra.preflight;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code public_access_cidrs}: the ranges allowed to reach the EKS API's public endpoint. EKS sees
 * a client's public (internet) address there, so a block nobody's traffic comes from locks every
 * deployer out: the flux stack's providers and kubectl then time out. Offline: nothing is asked.
 */
public final class PublicAccessCidrs {
    public static final String CHECK = "public-access-cidrs";

    /** A range no client on the internet has, and the document that reserves it. */
    record Reserved(String cidr, String why) {
        IpRange range() {
            return IpRange.parse(cidr).orElseThrow();
        }
    }

    /** Documentation ranges: "for use in documentation", never routed (RFC 5737, RFC 3849). */
    static final List<Reserved> DOCUMENTATION = List.of(
            new Reserved("192.0.2.0/24", "a documentation range (RFC 5737 TEST-NET-1)"),
            new Reserved("198.51.100.0/24", "a documentation range (RFC 5737 TEST-NET-2)"),
            new Reserved("203.0.113.0/24", "a documentation range (RFC 5737 TEST-NET-3)"),
            new Reserved("2001:db8::/32", "a documentation range (RFC 3849)"));

    /** Ranges that are not on the internet: a public endpoint never sees them as a source. */
    static final List<Reserved> NOT_PUBLIC = List.of(
            new Reserved("10.0.0.0/8", "a private range (RFC 1918)"),
            new Reserved("172.16.0.0/12", "a private range (RFC 1918)"),
            new Reserved("192.168.0.0/16", "a private range (RFC 1918)"),
            new Reserved("100.64.0.0/10", "carrier-grade NAT shared space (RFC 6598)"),
            new Reserved("127.0.0.0/8", "loopback (RFC 1122)"),
            new Reserved("169.254.0.0/16", "link-local (RFC 3927)"),
            new Reserved("0.0.0.0/8", "\"this network\" (RFC 1122)"),
            new Reserved("fc00::/7", "an IPv6 unique local range (RFC 4193)"),
            new Reserved("fe80::/10", "IPv6 link-local (RFC 4291)"),
            new Reserved("::1/128", "IPv6 loopback (RFC 4291)"));

    private PublicAccessCidrs() {}

    /** Which reserved range {@code cidr} lies in, if any (a block merely containing one, like 0.0.0.0/0, is not). */
    static Optional<Reserved> reservedRange(String cidr) {
        Optional<IpRange> range = IpRange.parse(cidr);
        if (range.isEmpty()) {
            return Optional.empty();
        }
        return java.util.stream.Stream.concat(DOCUMENTATION.stream(), NOT_PUBLIC.stream())
                .filter(r -> r.range().contains(range.get())).findFirst();
    }

    /**
     * @param where          {@code file:line: public_access_cidrs}
     * @param cidrs          the env's public_access_cidrs
     * @param publicEndpoint the env's endpoint_public_access: without a public endpoint the list is unused
     * @param emulated       the emulated env: its "endpoint" is the emulator's, open to everyone is no exposure
     */
    public static Finding judge(String where, List<String> cidrs, boolean publicEndpoint, boolean emulated) {
        List<String> problems = new ArrayList<>();
        for (String cidr : cidrs) {
            reservedRange(cidr).ifPresent(r -> problems.add(cidr + " is " + r.why()));
        }
        if (!problems.isEmpty()) {
            String found = String.join("; ", problems);
            if (!publicEndpoint) {
                return Finding.warn(CHECK, where, found + ". endpoint_public_access is false, so EKS does not use the"
                        + " list; change it to the ranges you deploy from before turning the public endpoint on");
            }
            return Finding.blocker(CHECK, where, found + ": no client on the internet has such an address, so nobody"
                    + " reaches the cluster's public API endpoint (the flux stack and kubectl time out). Change: set"
                    + " public_access_cidrs to the public egress ranges you deploy from (office, VPN, CI runners; your"
                    + " current one: curl -s https://checkip.amazonaws.com), or endpoint_public_access: false and deploy"
                    + " from inside the VPC");
        }
        if (publicEndpoint && !emulated && cidrs.contains("0.0.0.0/0")) {
            return Finding.warn(CHECK, where, "0.0.0.0/0: the public API endpoint is open to the whole internet (it"
                    + " still needs valid AWS credentials). Change: the ranges you deploy from");
        }
        return Finding.ok(CHECK, where, String.join(", ", cidrs) + (publicEndpoint ? ": public ranges" : " (public endpoint off)"));
    }
}
