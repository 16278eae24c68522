package com.bridgeai.infra.cost;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * One region's AWS list prices, from one dated file ({@code prices-<region>.yaml} next to this class,
 * {@link #projectPath(String)} in the repository): what {@code bin/cost} multiplies an env's idle
 * resources by. Every price carries its unit, the pricing page it comes from and how it was checked.
 * A malformed file is a bug of the project: {@link IllegalArgumentException} naming the file and key.
 *
 * @param path             the file in the repository (named in every error)
 * @param region           the AWS region the prices are for
 * @param asOf             when the prices were last checked
 * @param hoursPerMonth    the month the monthly figures use (AWS's own calculator: 730)
 * @param eksStandard      control plane, standard support, per cluster-hour
 * @param eksExtended      control plane, extended support, per cluster-hour
 * @param ec2              EC2 on-demand Linux per instance-hour, by instance type
 * @param natHour          per NAT gateway-hour
 * @param natGb            per GB a NAT gateway processes (not part of the idle cost)
 * @param publicIpv4Hour   per public IPv4 address-hour (each NAT gateway's Elastic IP)
 * @param rds              RDS for PostgreSQL per instance-hour, by DB instance class
 * @param rdsStorageSingle RDS gp3 storage per GB-month, single-AZ
 * @param rdsStorageMulti  RDS gp3 storage per GB-month, Multi-AZ
 * @param ebsGp3           EBS gp3 per GB-month
 */
public record PriceList(String path, String region, LocalDate asOf, int hoursPerMonth, Price eksStandard, Price eksExtended,
        SortedMap<String, Price> ec2, Price natHour, Price natGb, Price publicIpv4Hour, SortedMap<String, RdsClass> rds,
        Price rdsStorageSingle, Price rdsStorageMulti, Price ebsGp3) {
    /** The folder of the price files in the repository (they are resources of this package). */
    public static final String PROJECT_DIR = "src/main/resources/com/bridgeai/infra/cost/";

    /** One price: USD per {@code per}, from {@code source}, checked as {@code checked} says. */
    public record Price(BigDecimal usd, String per, String source, String checked) {}

    /** An RDS DB instance class: single-AZ, and Multi-AZ (instance and standby). */
    public record RdsClass(Price singleAz, Price multiAz) {}

    public PriceList {
        ec2 = new TreeMap<>(ec2);
        rds = new TreeMap<>(rds);
    }

    /** {@code src/main/resources/com/bridgeai/infra/cost/prices-<region>.yaml}. */
    public static String projectPath(String region) {
        return PROJECT_DIR + "prices-" + region + ".yaml";
    }

    /** The bundled price file of {@code region}, if the project has one. */
    public static Optional<PriceList> forRegion(String region) {
        String resource = "prices-" + region + ".yaml";
        try (InputStream in = PriceList.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), projectPath(region)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + projectPath(region) + ": " + e.getMessage(), e);
        }
    }

    /** The regions the project has price files for (for the error when an env's region has none). */
    public static String knownRegions() {
        return "eu-west-2";
    }

    /** Parses a price file's text; {@code path} is the name errors give. */
    public static PriceList parse(String text, String path) {
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        Map<?, ?> root = map(loaded, path, "(the file)");
        LocalDate asOf;
        try {
            asOf = LocalDate.parse(string(root.get("as_of"), path, "as_of"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(path + ": as_of: expected a date \"YYYY-MM-DD\", found " + root.get("as_of"));
        }
        if (!"USD".equals(root.get("currency"))) {
            throw new IllegalArgumentException(path + ": currency: expected USD, found " + root.get("currency"));
        }
        Object hours = root.get("hours_per_month");
        if (!(hours instanceof Integer h) || h < 672 || h > 744) {
            throw new IllegalArgumentException(path + ": hours_per_month: expected the hours of a month (730), found " + hours);
        }
        Map<?, ?> eks = map(root.get("eks_control_plane"), path, "eks_control_plane");
        SortedMap<String, Price> ec2 = new TreeMap<>();
        map(root.get("ec2_on_demand"), path, "ec2_on_demand").forEach((type, p) ->
                ec2.put(String.valueOf(type), price(p, path, "ec2_on_demand." + type)));
        Map<?, ?> nat = map(root.get("nat_gateway"), path, "nat_gateway");
        SortedMap<String, RdsClass> rds = new TreeMap<>();
        map(root.get("rds_postgresql"), path, "rds_postgresql").forEach((cls, p) -> {
            Map<?, ?> m = map(p, path, "rds_postgresql." + cls);
            rds.put(String.valueOf(cls), new RdsClass(price(m.get("single_az"), path, "rds_postgresql." + cls + ".single_az"),
                    price(m.get("multi_az"), path, "rds_postgresql." + cls + ".multi_az")));
        });
        Map<?, ?> rdsStorage = map(root.get("rds_gp3_storage"), path, "rds_gp3_storage");
        return new PriceList(path, string(root.get("region"), path, "region"), asOf, (Integer) hours,
                price(eks.get("standard"), path, "eks_control_plane.standard"),
                price(eks.get("extended"), path, "eks_control_plane.extended"),
                ec2,
                price(nat.get("hour"), path, "nat_gateway.hour"),
                price(nat.get("gb_processed"), path, "nat_gateway.gb_processed"),
                price(map(root.get("public_ipv4"), path, "public_ipv4").get("hour"), path, "public_ipv4.hour"),
                rds,
                price(rdsStorage.get("single_az"), path, "rds_gp3_storage.single_az"),
                price(rdsStorage.get("multi_az"), path, "rds_gp3_storage.multi_az"),
                price(root.get("ebs_gp3"), path, "ebs_gp3"));
    }

    private static Map<?, ?> map(Object value, String path, String key) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(path + ": " + key + ": expected a mapping, found " + value);
        }
        return m;
    }

    private static String string(Object value, String path, String key) {
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(path + ": " + key + ": expected text, found " + value);
        }
        return s;
    }

    private static Price price(Object value, String path, String key) {
        Map<?, ?> m = map(value, path, key);
        Object usd = m.get("usd");
        if (!(usd instanceof Number) || new BigDecimal(usd.toString()).signum() <= 0) {
            throw new IllegalArgumentException(path + ": " + key + ".usd: expected a price above 0, found " + usd);
        }
        String source = string(m.get("source"), path, key + ".source");
        if (!source.startsWith("https://aws.amazon.com/")) {
            throw new IllegalArgumentException(path + ": " + key + ".source: expected an AWS pricing page"
                    + " (https://aws.amazon.com/...), found " + source);
        }
        return new Price(new BigDecimal(usd.toString()), string(m.get("per"), path, key + ".per"), source,
                string(m.get("checked"), path, key + ".checked"));
    }

    /** The on-demand price of an instance type, if the file lists it. */
    public Optional<Price> instance(String type) {
        return Optional.ofNullable(ec2.get(type));
    }
}
