package com.bridgeai.infra.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bin/preflight as a user runs it, against moto on a free loopback port: the env files of env/ in a
 * scratch env root, a real env reached through its profile (a scratch AWS CLI config with static
 * credentials under that name) and AWS_ENDPOINT_URL, the emulated env through its own endpoint.
 * moto answers EC2's instance types and offerings, addresses, instances, STS and S3 for real; it
 * has no EC2 quotas in Service Quotas (only "vpc") and no PostgreSQL orderable options or engine
 * versions, so those lines must say "cannot judge", never OK and never a blocker.
 */
class PreflightEmulatorTest {
    static Path work;
    static MotoServer moto;
    static Map<String, String> env;

    @BeforeAll
    static void startEmulator() throws Exception {
        work = Files.createTempDirectory("bridgeai-preflight-");
        moto = MotoServer.start(work.resolve("moto.log"));
        for (String name : List.of("local", "prod", "test")) {
            Files.createDirectories(work.resolve("env").resolve(name));
        }
        restoreEnvFiles();
        Files.writeString(work.resolve("aws-config"), "[profile digicat-mlops]\nregion = eu-west-2\n");
        Files.writeString(work.resolve("aws-credentials"),
                "[digicat-mlops]\naws_access_key_id = test\naws_secret_access_key = test\n");
        env = new HashMap<>();
        env.put("BRIDGEAI_ENV_ROOT", work.resolve("env").toString());
        env.put("AWS_CONFIG_FILE", work.resolve("aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("aws-credentials").toString());
        env.put("AWS_ENDPOINT_URL", moto.endpoint());
        // moto answers the calls it lacks with HTTP 500, which the CLI would retry 4 times with back-off
        env.put("AWS_MAX_ATTEMPTS", "1");
    }

    @AfterAll
    static void stopEmulator() throws Exception {
        if (moto != null) {
            moto.close();
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** env/ as committed, env/local pointed at this test's emulator. */
    static void restoreEnvFiles() throws IOException {
        for (String name : List.of("local", "prod", "test")) {
            String yaml = Files.readString(Path.of("env", name, "env.yaml"));
            if (name.equals("local")) {
                yaml = yaml.replaceFirst("emulator_endpoint: \"[^\"]*\"", "emulator_endpoint: \"" + moto.endpoint() + "\"");
            }
            Files.writeString(work.resolve("env").resolve(name).resolve("env.yaml"), yaml);
        }
    }

    static void editProd(UnaryOperator<String> edit) throws IOException {
        restoreEnvFiles();
        Path prod = work.resolve("env/prod/env.yaml");
        String before = Files.readString(prod);
        String after = edit.apply(before);
        assertTrue(!after.equals(before), "the edit changed nothing");
        Files.writeString(prod, after);
    }

    static Cmd.Result preflight(String envName, Map<String, String> extra) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.putAll(extra);
        long start = System.nanoTime();
        Cmd.Result r = Cmd.of(e, "bash", "bin/preflight", envName).run(240);
        System.out.printf("bin/preflight %s: exit %d in %d ms%n%s", envName, r.exitCode(), (System.nanoTime() - start) / 1_000_000,
                r.all());
        return r;
    }

    static String line(Cmd.Result r, String level, String check) {
        String prefix = String.format("%-7s %-19s ", level, check);
        return r.stdout().lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting \"" + prefix + "\" in:\n" + r.all()));
    }

    static int lineOf(String key) throws IOException {
        List<String> lines = Files.readAllLines(work.resolve("env/prod/env.yaml"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(key + ":")) {
                return i + 1;
            }
        }
        throw new AssertionError(key + " not in env/prod/env.yaml");
    }

    @Test
    void theCommittedProdIsBlockedByItsDocumentationRange() throws Exception {
        restoreEnvFiles();
        Cmd.Result r = preflight("prod", Map.of());
        assertEquals(1, r.exitCode(), r.all());
        String prodFile = work.resolve("env/prod/env.yaml").toString();
        assertTrue(line(r, "BLOCKER", "public-access-cidrs").contains(prodFile + ":" + lineOf("public_access_cidrs")
                + ": public_access_cidrs: 203.0.113.0/24 is a documentation range (RFC 5737 TEST-NET-3)"), r.all());
        // what moto answers for real
        assertTrue(line(r, "OK", "account").contains(": profile: 123456789012"), r.all());
        assertTrue(line(r, "OK", "instance-offerings").endsWith("instance_types: g4dn.xlarge offered in eu-west-2a, eu-west-2b"));
        assertTrue(line(r, "OK", "bucket-names").contains("tfstate-mlops-prod free; tfstate-mlops-prod-logs free"), r.all());
        // what it cannot
        assertTrue(line(r, "WARN", "gpu-vcpu-quota").contains("cannot judge: \"Running On-Demand G and VT instances\" (L-DB2E81BA)"));
        assertTrue(line(r, "WARN", "db-instance-class").contains("cannot judge"));
        assertTrue(line(r, "WARN", "elastic-ip-quota").contains("cannot judge: \"EC2-VPC Elastic IPs\" (L-0263D0A3)"));
        assertTrue(r.stdout().contains("prod: 1 blocker(s), 3 warning(s)"), r.all());
    }

    @Test
    void aPublicRangePassesAndTheAccountsOwnBucketIsNamedAsSuch() throws Exception {
        editProd(y -> y.replace("public_access_cidrs: [\"203.0.113.0/24\"]", "public_access_cidrs: [\"52.94.76.0/22\"]"));
        Cmd.Result clean = preflight("prod", Map.of());
        assertEquals(0, clean.exitCode(), clean.all());
        assertTrue(line(clean, "OK", "public-access-cidrs").contains("52.94.76.0/22: public ranges"));

        // the state bucket exists in this account (moto): yours, not taken
        Map<String, String> cli = new HashMap<>(env);
        Cmd.of(cli, "aws", "--profile", "digicat-mlops", "--region", "eu-west-2", "s3api", "create-bucket", "--bucket",
                "tfstate-mlops-prod", "--create-bucket-configuration", "LocationConstraint=eu-west-2").ok(60);
        try {
            yourOwnBucket();
        } finally { // the other tests expect the name free
            Cmd.of(cli, "aws", "--profile", "digicat-mlops", "--region", "eu-west-2", "s3api", "delete-bucket", "--bucket",
                    "tfstate-mlops-prod").ok(60);
        }
    }

    private static void yourOwnBucket() throws Exception {
        Cmd.Result mine = preflight("prod", Map.of());
        assertEquals(0, mine.exitCode(), mine.all());
        assertTrue(line(mine, "WARN", "bucket-names").contains("tfstate-mlops-prod exists and is yours, but this checkout has"
                + " no state of the env's state stack"), mine.all());
        // a re-run: the state stack's local state is beside the env root
        Path state = work.resolve(".state/prod/terraform.tfstate");
        Files.createDirectories(state.getParent());
        Files.writeString(state, "{}");
        try {
            Cmd.Result rerun = preflight("prod", Map.of());
            assertTrue(line(rerun, "OK", "bucket-names").contains("tfstate-mlops-prod yours already (a re-run"), rerun.all());
        } finally {
            Files.delete(state);
        }
    }

    @Test
    void anInstanceTypeTheRegionDoesNotOfferBlocks() throws Exception {
        // a managed GPU group (gpu_capacity: node_group) takes any type name; Karpenter's pool only known GPU types
        editProd(y -> y.replace("gpu_capacity: \"karpenter\"\n", "").replace("min_size: 0", "min_size: 1\ndesired_size: 1")
                .replace("instance_types: [\"g4dn.xlarge\"]", "instance_types: [\"g4dn.xlarge\", \"g9.xlarge\"]"));
        Cmd.Result r = preflight("prod", Map.of());
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(line(r, "BLOCKER", "instance-offerings").contains(":" + lineOf("instance_types")
                + ": instance_types: g9.xlarge is offered in none of [eu-west-2a, eu-west-2b]"), r.all());
    }

    @Test
    void aSystemInstanceTypeTheRegionDoesNotOfferBlocks() throws Exception {
        editProd(y -> y + "system_instance_types: [\"m7i.large\", \"m9z.large\"]\n");
        Cmd.Result r = preflight("prod", Map.of());
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(line(r, "BLOCKER", "instance-offerings").contains(":" + lineOf("system_instance_types")
                + ": system_instance_types: m9z.large is offered in none of [eu-west-2a, eu-west-2b]"), r.all());
        // the GPU pool's types have their own line, and g4dn.xlarge is offered
        assertTrue(line(r, "OK", "instance-offerings").contains(":" + lineOf("instance_types") + ": instance_types:"), r.all());
    }

    @Test
    void theEmulatedEnvNeedsNoProfile() throws Exception {
        restoreEnvFiles();
        Files.writeString(work.resolve("empty-config"), "");
        Cmd.Result r = preflight("local", Map.of("AWS_CONFIG_FILE", work.resolve("empty-config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", work.resolve("empty-config").toString(), "AWS_ENDPOINT_URL", ""));
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.stdout().startsWith("preflight local: ") && r.stdout().lines().findFirst().orElseThrow()
                .contains("endpoint " + moto.endpoint()), r.all());
        assertTrue(line(r, "OK", "instance-offerings").contains("g4dn.xlarge offered in eu-west-2a, eu-west-2b"));
    }

    @Test
    void anUnreachableAccountIsABlockerAndNothingIsGuessed() throws Exception {
        restoreEnvFiles();
        Files.writeString(work.resolve("empty-config"), "");
        Cmd.Result r = preflight("prod", Map.of("AWS_CONFIG_FILE", work.resolve("empty-config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", work.resolve("empty-config").toString()));
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(line(r, "BLOCKER", "account").contains("profile: cannot reach the account: (cli) The config profile"
                + " (digicat-mlops) could not be found"), r.all());
        assertTrue(line(r, "WARN", "gpu-vcpu-quota").contains("not run"), r.all());
    }

    @Test
    void anInvalidEnvFileIsReportedLikeTheSynthDoes() throws Exception {
        editProd(y -> y.replace("max_size: 2", "max_size: 0"));
        Cmd.Result r = preflight("prod", Map.of());
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.stderr().contains(work.resolve("env/prod/env.yaml") + ":" + lineOf("max_size") + ": max_size: expected 1"
                + " or more"), r.all());
        assertEquals(2, preflight("nosuchenv", Map.of()).exitCode());
    }
}
