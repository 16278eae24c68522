package com.bridgeai.infra.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An IPv4 CIDR block, parsed strictly (four octets 0-255, prefix 0-32). */
record Cidr(long address, int prefix) {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    static Optional<Cidr> parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255 || (m.group(i).length() > 1 && m.group(i).startsWith("0"))) {
                return Optional.empty();
            }
            address = (address << 8) | octet;
        }
        int prefix = Integer.parseInt(m.group(5));
        return prefix > 32 ? Optional.empty() : Optional.of(new Cidr(address, prefix));
    }

    /** Extra prefix bits needed to split a block into {@code count} equal subnets (Terraform's cidrsubnet newbits). */
    static int bitsFor(int count) {
        return 32 - Integer.numberOfLeadingZeros(Math.max(count, 1) - 1);
    }

    boolean isNetworkAddress() {
        return (address & hostMask()) == 0;
    }

    String canonical() {
        long net = address & ~hostMask() & 0xFFFFFFFFL;
        return (net >> 24 & 255) + "." + (net >> 16 & 255) + "." + (net >> 8 & 255) + "." + (net & 255) + "/" + prefix;
    }

    private long hostMask() {
        return prefix == 0 ? 0xFFFFFFFFL : (1L << (32 - prefix)) - 1;
    }
}
