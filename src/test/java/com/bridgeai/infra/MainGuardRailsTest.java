package com.bridgeai.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.guardrails.GuardRails;
import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3BucketConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard rails in the app's command ({@link Main#run}): a violation planted in the real
 * stacks — a new resource, and an override on one of the project's own — fails the synth with
 * exit code 3, names stack, address, construct path, rule and fix, and writes nothing; the
 * committed envs pass, and every suppression in force is the one the README lists.
 */
class MainGuardRailsTest {
    @TempDir
    Path tmp;

    @Test
    void aViolationFailsTheSynthNamesItAndWritesNothing() throws IOException {
        Path outdir = tmp.resolve("cdktf.out");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(Map.of("BRIDGEAI_ENVS", "local", "BRIDGEAI_OUTDIR", outdir.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                app -> {
                    TerraformStack eks = (TerraformStack) app.getNode().findChild("local-eks");
                    new S3Bucket(eks, "careless_bucket", S3BucketConfig.builder().bucket("careless").build());
                    // an escape hatch on the project's own launch template: IMDSv1 back on
                    TerraformResource template = (TerraformResource) eks.getNode().findChild("eks").getNode()
                            .findChild("workers").getNode().findChild("launch_template");
                    template.addOverride("metadata_options.http_tokens", "optional");
                });
        String message = err.toString(StandardCharsets.UTF_8);

        assertEquals(Main.EXIT_GUARD_RAILS, code, message);
        assertTrue(message.contains("the synthesized stacks break 4 guard rails (docs/security.md \"Guard rails\"); nothing was written:"), message);
        for (String rule : List.of("s3-private", "s3-encrypted", "s3-versioned")) {
            assertTrue(message.contains("  local-eks: aws_s3_bucket.careless_bucket (local-eks/careless_bucket): " + rule + ": expected "),
                    () -> rule + ":\n" + message);
        }
        assertTrue(message.contains("local-eks: aws_launch_template.eks_node_launch_template_0AF09412 (local-eks/eks/workers/launch_template):"
                + " imdsv2-only: expected metadata_options.http_tokens = \"required\""), message);
        assertTrue(message.contains("; fix: set metadata_options { http_tokens = \"required\" }"), message);
        assertFalse(message.contains("\tat "), () -> "no stack trace:\n" + message);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).toList(), "nothing written, no staging left");
        }
    }

    @Test
    void theCommittedEnvsPassAndTheReadmeListsEverySuppressionInForce() throws IOException {
        Path outdir = tmp.resolve("cdktf.out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(Map.of("BRIDGEAI_OUTDIR", outdir.toString()), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, message);
        // warnings are printed once per env under a heading and do not change the exit code
        assertTrue(message.contains("bridgeai-infra: warnings for environment test"), message);
        assertTrue(message.contains("env/test/env.yaml: public_access_cidrs: "), message);

        Set<String> inForce = GuardRails.suppressions(outdir).stream()
                .map(x -> x.stack() + " " + x.address() + " " + x.ruleId()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(readmeSuppressions(), inForce, "docs/security.md \"Guard rails\" lists exactly the suppressions in force");
    }

    /** Rows of the README's suppression table: {@code | stack | address | rule | reason |}. */
    static Set<String> readmeSuppressions() throws IOException {
        String readme = Files.readString(Path.of("docs", "security.md")); // the manual's security page
        int start = readme.indexOf("<!-- guardrail-suppressions:begin -->");
        int end = readme.indexOf("<!-- guardrail-suppressions:end -->");
        assertTrue(start >= 0 && end > start, "README has the suppression table markers");
        Set<String> rows = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([^`]+)` \\| `([^`]+)` \\| `([^`]+)` \\| [^|]+\\|$").matcher(readme.substring(start, end));
        while (m.find()) {
            rows.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
        }
        return rows;
    }
}
