package com.bridgeai.infra.preflight;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 CIDR block as a number range, for "is this block inside that one". */
public record IpRange(BigInteger network, int prefix, int bits) {
    /** Literal addresses only: InetAddress would otherwise resolve a host name through DNS. */
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+/\\d{1,3}");

    public static Optional<IpRange> parse(String cidr) {
        if (!LITERAL.matcher(cidr).matches() || (!cidr.contains(":") && !cidr.contains("."))) {
            return Optional.empty();
        }
        int slash = cidr.indexOf('/');
        byte[] address;
        try {
            address = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        int bits = address.length * 8;
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        if (prefix > bits) {
            return Optional.empty();
        }
        return Optional.of(new IpRange(mask(new BigInteger(1, address), prefix, bits), prefix, bits));
    }

    /** True when every address of {@code other} is in this block (same family). */
    public boolean contains(IpRange other) {
        return bits == other.bits && prefix <= other.prefix && mask(other.network, prefix, bits).equals(network);
    }

    private static BigInteger mask(BigInteger address, int prefix, int bits) {
        BigInteger hostBits = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        return address.andNot(hostBits);
    }
}
