package com.bridgeai.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real entry point in its own JVM, as cdktf starts it (bin/synth): exit codes, what the
 * user sees on stderr, and what is left in the output folder.
 */
class MainCliTest {
    static final Path SEED = Path.of("env", "test", "env.yaml");

    @TempDir
    Path tmp;

    record Run(int exitCode, String stdout, String stderr) {}

    @Test
    void aBadEnvAmongGoodOnesExitsWithTwoAndAPlainMessage() throws Exception {
        Path envRoot = tmp.resolve("env");
        writeEnv(envRoot, "test", seed());
        Path bad = writeEnv(envRoot, "broken", seed().replace("environment: \"test\"", "environment: \"broken\"")
                .replace("region: \"eu-west-2\"", "region: \"nowhere\""));
        Path outParent = Files.createDirectories(tmp.resolve("out"));
        Path outdir = outParent.resolve("cdktf.out");

        Run run = main(envRoot, outdir, Map.of());

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains(bad + ":" + (seed().lines().takeWhile(l -> !l.startsWith("region:")).count() + 1)
                + ": region: expected an AWS region code"), run::stderr);
        assertTrue(run.stderr().contains("nothing was synthesized"), run::stderr);
        assertFalse(run.stderr().contains(envRoot.resolve("test").toString()), "only the bad file is named");
        assertNoStackTrace(run);
        assertFalse(Files.exists(outdir), "no output folder");
        try (Stream<Path> left = Files.list(outParent)) {
            assertEquals(List.of(), left.toList(), "no staging folder left behind");
        }
    }

    /** Files that used to (or could) escape as a Java exception: each must be a plain exit 2. */
    static Stream<Arguments> hostileFiles() {
        return Stream.of(
                Arguments.of("alias inside its own anchor",
                        seed().replace("[\"eu-west-2a\", \"eu-west-2b\"]", "&z [\"eu-west-2a\", *z]"),
                        "availability_zones[1]: expected plain YAML values"),
                Arguments.of("python tag", seed().replace("\"digicat-mlops\"", "!!python/object/apply:os.system [\"id\"]"),
                        "profile: expected plain YAML values, found the tag"),
                Arguments.of("not UTF-8", "bucket: \"\u00ff\"\n", "expected UTF-8 text"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFiles")
    void hostileFilesExitWithTwoAndNoStackTrace(String name, String yaml, String expected) throws Exception {
        Path envRoot = tmp.resolve("env");
        Path file = writeEnv(envRoot, "test", yaml);
        Path outdir = tmp.resolve("out").resolve("cdktf.out");

        Run run = main(envRoot, outdir, Map.of());

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains(file.toString()), run::stderr);
        assertTrue(run.stderr().contains(expected), run::stderr);
        assertNoStackTrace(run);
        assertFalse(Files.exists(outdir.getParent()), "nothing written");
    }

    @Test
    void selectingAMissingEnvExitsWithTwo() throws Exception {
        Path envRoot = tmp.resolve("env");
        writeEnv(envRoot, "test", seed());

        Run run = main(envRoot, tmp.resolve("out").resolve("cdktf.out"), Map.of("BRIDGEAI_ENVS", "prod"));

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains(envRoot.resolve("prod").resolve("env.yaml") + ": expected this file"),
                run::stderr);
        assertTrue(run.stderr().contains("environment 'prod' was asked for"), run::stderr);
        assertNoStackTrace(run);
    }

    @Test
    void aGoodEnvRootSynthesizes() throws Exception {
        Path envRoot = tmp.resolve("env");
        writeEnv(envRoot, "test", seed());
        Path outParent = tmp.resolve("out");
        Path outdir = outParent.resolve("cdktf.out");

        // the seed's 1.30 on the day: a warning on stderr, and still exit 0 with every stack written
        Run run = main(envRoot, outdir, Map.of("BRIDGEAI_TODAY", "2026-11-30"));

        assertEquals(0, run.exitCode(), run::toString);
        assertNoStackTrace(run);
        Path file = envRoot.resolve("test").resolve("env.yaml");
        // the seed gets two warnings under one heading: its open public endpoint and its Kubernetes version
        assertTrue(run.stderr().contains("bridgeai-infra: warnings for environment test (2 warnings; the synth goes on):\n  "),
                run::stderr);
        assertTrue(run.stderr().contains("\n  " + file + ": public_access_cidrs: the EKS API endpoint"), run::stderr);
        assertTrue(run.stderr().contains("\n  " + file + ":"
                + (seed().lines().takeWhile(l -> !l.startsWith("kubernetes_version:")).count() + 1)
                + ": kubernetes_version: AWS no longer creates clusters at 1.30 (extended support ended 2026-07-23)"),
                run::stderr);
        assertEquals(1, run.stderr().lines().filter(l -> l.startsWith("bridgeai-infra: warnings")).count(), "once per env");
        assertTrue(run.stdout().contains("synthesized test"), run::stdout);
        assertTrue(Files.isRegularFile(outdir.resolve("manifest.json")), run::toString);
        Path stack = outdir.resolve("stacks").resolve("test-state").resolve("cdk.tf.json");
        assertTrue(Files.isRegularFile(stack), run::toString);
        assertTrue(Files.readString(stack).contains("\"tfstate-mlops-test\""), "the seed's bucket is in the stack");
        try (Stream<Path> left = Files.list(outParent)) {
            assertEquals(List.of(outdir), left.toList(), "no staging folder left behind");
        }
    }

    @Test
    void aMalformedTodayIsAPlainErrorAndNothingIsWritten() throws Exception {
        Path envRoot = tmp.resolve("env");
        writeEnv(envRoot, "test", seed());
        Path outdir = tmp.resolve("out").resolve("cdktf.out");

        Run run = main(envRoot, outdir, Map.of("BRIDGEAI_TODAY", "30.11.2026"));

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains("BRIDGEAI_TODAY: expected a date like 2026-11-30, found \"30.11.2026\""), run::stderr);
        assertNoStackTrace(run);
        assertFalse(Files.exists(outdir));
    }

    @Test
    void theOneProcessKernelWritesWhatJsiisOwnLauncherWrites() throws Exception {
        // env local: every AWS stack, no GitOps stacks (the cheapest synth that crosses the bridge
        // a few hundred times); JSII_DEBUG makes the Java runtime name the kernel command it starts
        Path envRoot = tmp.resolve("env");
        writeEnv(envRoot, "local", Files.readString(Path.of("env", "local", "env.yaml")));
        Path direct = tmp.resolve("direct").resolve("cdktf.out");
        Path jsii = tmp.resolve("jsii").resolve("cdktf.out");

        Run viaDirect = main(envRoot, direct, Map.of("JSII_DEBUG", "1"));
        Run viaJsii = main(envRoot, jsii, Map.of("JSII_DEBUG", "1", "BRIDGEAI_JSII_DIRECT", "0"));

        assertEquals(0, viaDirect.exitCode(), viaDirect::stdout);
        assertEquals(0, viaJsii.exitCode(), viaJsii::stdout);
        String directCommand = viaDirect.stderr().lines().filter(l -> l.startsWith("jsii-runtime: ")).findFirst().orElseThrow();
        String jsiiCommand = viaJsii.stderr().lines().filter(l -> l.startsWith("jsii-runtime: ")).findFirst().orElseThrow();
        assertTrue(directCommand.contains("bin/lib/jsii-kernel.js"), directCommand);
        assertTrue(jsiiCommand.contains("bin/jsii-runtime.js"), jsiiCommand);
        assertEquals(tree(jsii), tree(direct), "same files, same bytes");
    }

    @Test
    void turningOffCdktfsTokenTracesChangesNoByte() throws Exception {
        // bin/lib/cdktf-token-traces-off.js (on by default) against cdktf as shipped; env test has
        // every stack kind, cross-stack references included (tokens made during cdktf's own synth)
        Path envRoot = tmp.resolve("env");
        writeEnv(envRoot, "test", Files.readString(Path.of("env", "test", "env.yaml")));
        Path off = tmp.resolve("off").resolve("cdktf.out");
        Path on = tmp.resolve("on").resolve("cdktf.out");

        Run tracesOff = main(envRoot, off, Map.of());
        Run tracesOn = main(envRoot, on, Map.of("BRIDGEAI_TOKEN_TRACES", "1"));

        assertEquals(0, tracesOff.exitCode(), tracesOff::stdout);
        assertEquals(0, tracesOn.exitCode(), tracesOn::stdout);
        assertEquals(tree(on), tree(off), "same files, same bytes");
    }

    /** Relative path -> content of every file under {@code dir}. */
    static Map<String, String> tree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            Map<String, String> files = new java.util.TreeMap<>();
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readString(p));
            }
            assertTrue(files.size() > 3, "stacks were synthesized into " + dir);
            return files;
        }
    }

    // ---------------------------------------------------------------- helpers

    static void assertNoStackTrace(Run run) {
        String all = run.stdout() + run.stderr();
        assertFalse(all.contains("\tat "), () -> "stack trace in:\n" + all);
        assertFalse(all.contains("Exception in thread"), () -> "uncaught exception in:\n" + all);
    }

    /**
     * Runs the cdktf app command ({@code bash bin/synth}, as cdktf.json says) from the repository
     * root, with CDKTF_OUTDIR set the way the cdktf CLI sets it.
     */
    Run main(Path envRoot, Path outdir, Map<String, String> extraEnv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "bin/synth");
        pb.directory(Path.of("").toAbsolutePath().toFile());
        Map<String, String> env = pb.environment();
        env.remove("BRIDGEAI_ENVS");
        env.put("BRIDGEAI_ENV_ROOT", envRoot.toString());
        env.put("CDKTF_OUTDIR", outdir.toString());
        env.put("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        env.put("CHECKPOINT_DISABLE", "1");
        env.putAll(extraEnv);
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Path stdout = Files.createTempFile(logs, "stdout", ".txt");
        Path stderr = Files.createTempFile(logs, "stderr", ".txt");
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process process = pb.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("Main did not finish in 180 s; stderr:\n" + Files.readString(stderr));
        }
        return new Run(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    static String seed() {
        try {
            return Files.readString(SEED);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes {@code <root>/<env>/env.yaml}; a text with U+00FF is written as Latin-1 (not UTF-8). */
    static Path writeEnv(Path root, String env, String yaml) throws IOException {
        Path file = Files.createDirectories(root.resolve(env)).resolve("env.yaml");
        Files.write(file, yaml.getBytes(yaml.indexOf('\u00ff') >= 0
                ? java.nio.charset.StandardCharsets.ISO_8859_1 : java.nio.charset.StandardCharsets.UTF_8));
        return file;
    }
}
