package com.bridgeai.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real synth of every env (the app's Main), in its own process with a canary GITHUB_TOKEN in the environment
 * (as a user's shell would have), must write no key material and no token into any file:
 * the deploy keys exist only at apply time, and the GitHub provider reads the token itself.
 */
class SynthSecretScanTest {
    @TempDir
    Path outdir;

    @Test
    void synthOutputHoldsNoKeyMaterialAndNoToken() throws IOException, InterruptedException {
        String canary = "ghp_canary" + UUID.randomUUID().toString().replace("-", "");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(outdir.resolveSibling(outdir.getFileName() + ".log").toFile());
        pb.environment().remove("CDKTF_OUTDIR");
        pb.environment().put("BRIDGEAI_OUTDIR", outdir.resolve("cdktf.out").toString());
        pb.environment().put("GITHUB_TOKEN", canary);
        pb.environment().put("GITHUB_OWNER", "canary-owner");
        Process process = pb.start();
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "synth did not finish in 180 s");
        assertEquals(0, process.exitValue(),
                () -> "synth failed:\n" + read(outdir.resolveSibling(outdir.getFileName() + ".log")));

        // the scan covers the GitOps stacks
        Path out = outdir.resolve("cdktf.out");
        assertTrue(Files.isRegularFile(out.resolve("stacks/test-github/cdk.tf.json")));
        assertTrue(Files.isRegularFile(out.resolve("stacks/test-flux/cdk.tf.json")));

        List<String> findings = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(outdir)) {
            files = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
        }
        files.add(outdir.resolveSibling(outdir.getFileName() + ".log")); // the synth's own output (its log)
        for (Path file : files) {
            String text = read(file);
            for (String needle : List.of(canary, "ghp_", "github_pat_", "gho_", "ghs_", "PRIVATE KEY", "canary-owner")) {
                if (text.contains(needle)) {
                    findings.add(file.getFileName() + " (" + file + ") contains " + needle);
                }
            }
        }
        assertTrue(files.contains(out.resolve("manifest.json")), files.toString());
        assertEquals(List.of(), findings);
        // the keys are there only as references, resolved by Terraform at apply time
        String github = read(out.resolve("stacks/test-github/cdk.tf.json"));
        assertTrue(github.contains("${tls_private_key.") && github.contains(".private_key_pem}"), "key references expected");
    }

    /** Real key blocks and real token shapes (not the bare prefixes this file itself mentions). */
    static final Pattern SECRET = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----|ghp_[A-Za-z0-9]{36}"
            + "|github_pat_[A-Za-z0-9_]{40,}|gh[osu]_[A-Za-z0-9]{36}|AKIA[0-9A-Z]{16}|aws_secret_access_key\\s*=\\s*[A-Za-z0-9/+]{40}");

    @Test
    void theRepositoryHoldsNoKeyMaterialAndNoToken() throws IOException, InterruptedException {
        // every file git tracks or would add (tracked + untracked, not ignored)
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .redirectErrorStream(true).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(git.waitFor(60, TimeUnit.SECONDS) && git.exitValue() == 0, listing);
        List<String> paths = List.of(listing.split("\u0000"));
        assertTrue(paths.contains("env/test/env.yaml") && paths.size() > 50, "git listing looks wrong: " + paths.size());
        List<String> findings = new ArrayList<>();
        for (String p : paths) {
            Path file = Path.of(p);
            if (!p.isEmpty() && Files.isRegularFile(file) && Files.size(file) < 5_000_000) {
                Matcher m = SECRET.matcher(read(file));
                if (m.find()) {
                    findings.add(p + ": " + m.group().substring(0, Math.min(12, m.group().length())) + "...");
                }
            }
        }
        assertEquals(List.of(), findings);
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable: " + e.getMessage() + ">";
        }
    }
}
