package com.bridgeai.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two build-side pieces between Java and the jsii packages: the single-process kernel
 * launcher (bin/lib/jsii-kernel.js), the hook that turns off cdktf's token stack traces
 * (bin/lib/cdktf-token-traces-off.js) and the trimmed aws, github and kubernetes bindings (bindings/trim-package.js).
 */
class JsiiBridgeToolsTest {
    static final Path LAUNCHER = Path.of("bin", "lib", "jsii-kernel.js");
    static final Path PROGRAM = Path.of("src", "target", "jsii-runtime", "software", "amazon", "jsii", "lib", "program.js");
    static final Path TOKEN_TRACES_OFF = Path.of("bin", "lib", "cdktf-token-traces-off.js");
    static final Path KUBERNETES = Path.of("node_modules", "@cdktf", "provider-kubernetes");

    @TempDir
    Path tmp;

    record Run(int exitCode, String stdout, String stderr) {}

    @Test
    void theJarsKernelOpensItsChannelWhereTheLauncherRewritesIt() throws IOException {
        // bin/synth falls back to jsii's own launcher when this string is missing (a jsii-runtime
        // upgrade): the fallback works, but this test says the speed-up is gone
        String program = Files.readString(PROGRAM);
        assertEquals(2, program.split("readFD:3,writeFD:3", -1).length, "exactly one channel in " + PROGRAM);
    }

    /** The kernel's assertion whose message util.inspect builds on every conversion (see jsii-kernel.js). */
    static final java.util.regex.Pattern EAGER_TYPE_ASSERT = java.util.regex.Pattern.compile(
            "\\(0,(\\w+)\\.default\\)\\(null!=(\\w+),`Kernel error: expected type information, got \\$\\{\\(0,\\w+\\.inspect\\)\\(\\2\\)\\}`\\)");

    @Test
    void theJarsKernelHasTheEagerAssertionTheLauncherMakesLazy() throws IOException {
        // without it the launcher leaves the kernel as it is: correct, only ~5 ms per env slower
        assertEquals(1, EAGER_TYPE_ASSERT.matcher(Files.readString(PROGRAM)).results().count(),
                "computeSerializationType's assertion in " + PROGRAM);
    }

    @Test
    void theLauncherBuildsTheTypeAssertionMessageOnlyWhenTheCheckFails() throws Exception {
        // the shape of the jar's minified kernel: with a type, no inspect; without one, the same error
        Path program = tmp.resolve("program.js");
        Files.writeString(program, """
                const channel = {readFD:3,writeFD:3};
                let inspected = 0;
                const K = { inspect: (v) => { inspected++; return String(v); } };
                const B = { default: (ok, message) => { if (!ok) throw new Error(message); } };
                function computeSerializationType(e,p){(0,B.default)(null!=e,`Kernel error: expected type information, got ${(0,K.inspect)(e)}`);return e}
                computeSerializationType({ type: "string" });
                const afterTyped = inspected;
                let error = "";
                try { computeSerializationType(null); } catch (x) { error = x.message; }
                require("fs").writeSync(1, JSON.stringify({ afterTyped, error }) + "\\n");
                """);

        Run run = node(List.of("--preserve-symlinks", LAUNCHER.toString()), Map.of("BRIDGEAI_JSII_PROGRAM", program.toString()));

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("{\"afterTyped\":0,\"error\":\"Kernel error: expected type information, got null\"}\n", run.stdout());
    }

    @Test
    void theLauncherKeepsConsoleOutputOffTheProtocolChannel() throws Exception {
        Path program = tmp.resolve("program.js");
        Files.writeString(program, """
                const channel = {readFD:3,writeFD:3};
                console.log("from console.log");
                console.error("from console.error");
                process.stdout.write("raw stdout");
                require("fs").writeSync(1, JSON.stringify(channel) + "\\n");
                """);

        Run run = node(List.of("--preserve-symlinks", LAUNCHER.toString()), Map.of("BRIDGEAI_JSII_PROGRAM", program.toString()));

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("{\"readFD\":0,\"writeFD\":1}\n", run.stdout(), "the protocol channel carries only the kernel's writes");
        List<String> relayed = run.stderr().lines().map(JsiiBridgeToolsTest::decodeConsoleLine).toList();
        assertEquals(List.of("stdout:from console.log\n", "stderr:from console.error\n", "stdout:raw stdout"), relayed);
    }

    @Test
    void theLauncherRefusesAKernelItDoesNotKnow() throws Exception {
        Path program = tmp.resolve("program.js");
        Files.writeString(program, "const channel = {readFD:4,writeFD:4};\n");

        Run run = node(List.of(LAUNCHER.toString()), Map.of("BRIDGEAI_JSII_PROGRAM", program.toString()));

        assertEquals(70, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains(program + " does not open its channel as expected"), run::stderr);
        assertTrue(run.stderr().contains("BRIDGEAI_JSII_DIRECT=0"), "says how to go back to jsii's launcher");
        assertEquals("", run.stdout());
    }

    @Test
    void theTokenTraceHookEmptiesCdktfsCreationStacksAndNothingElse() throws Exception {
        // a token made by cdktf (here a Lazy) records its creation stack; with the hook loaded
        // the same token has none. Node's own Error stacks stay as they are.
        String script = """
                const cdktf = require("cdktf");
                const lazy = cdktf.Lazy.anyValue({ produce: () => 1 });
                console.log(lazy.creationStack.length);
                console.log(new Error("e").stack.split("\\n").length > 1);
                """;
        Run shipped = node(List.of("-e", script), Map.of());
        Run hooked = node(List.of("--require", "./" + TOKEN_TRACES_OFF, "-e", script), Map.of());

        assertEquals(0, shipped.exitCode(), shipped::toString);
        assertEquals(0, hooked.exitCode(), hooked::toString);
        assertTrue(Integer.parseInt(shipped.stdout().lines().findFirst().orElseThrow()) > 0, shipped::stdout);
        assertEquals(List.of("0", "true"), hooked.stdout().lines().toList());
    }

    @Test
    void theBindingStampSkipsOnlyWhenNothingChanged() throws Exception {
        // a warm build skips the generation by stamp (bindings/generate.sh); a changed input (here
        // the version the pom expects) must not be skipped: generate.sh goes on and stops at the
        // version check, before it touches the generated sources
        Path out = Path.of("bindings", "tls", "target", "jsii");
        Path stamp = out.resolve(".stamp");
        assertTrue(Files.exists(stamp), "the build generated the tls binding: " + stamp);
        String version = java.util.regex.Pattern.compile("<artifactId>cdktf-provider-tls</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("bindings", "tls", "pom.xml"))).results().findFirst().orElseThrow().group(1);
        String stampBefore = Files.readString(stamp);

        Run same = bash(List.of("bindings/generate.sh", "@cdktf/provider-tls", out.toString(), version));
        Run changed = bash(List.of("bindings/generate.sh", "@cdktf/provider-tls", out.toString(), version + "-changed"));

        assertEquals(0, same.exitCode(), same::toString);
        assertTrue(same.stdout().contains("bindings/tls: up to date"), same::stdout);
        assertEquals(1, changed.exitCode(), changed::toString);
        assertFalse(changed.stdout().contains("up to date"), changed::stdout);
        assertTrue(changed.stderr().contains("make them equal"), changed::stderr);
        assertEquals(stampBefore, Files.readString(stamp), "the generated sources are left as they were");
    }

    /** A trimmed binding's jar holds exactly the submodules its pom lists (bindings/<p>/pom.xml). */
    @ParameterizedTest
    @CsvSource({"kubernetes, @cdktf/provider-kubernetes", "aws, @cdktf/provider-aws", "github, @cdktf/provider-github"})
    void aTrimmedBindingHoldsOnlyTheSubmodulesItsPomLists(String binding, String npmPackage) throws IOException {
        Set<String> listed = pomSubmodules(binding);
        assertTrue(listed.contains("provider"), () -> binding + ": " + listed);
        Set<String> submodules = new TreeSet<>();
        String typeMap = "/com/hashicorp/cdktf/providers/" + binding + "/$Module.txt";
        try (InputStream in = getClass().getResourceAsStream(typeMap)) {
            assertTrue(in != null, "the binding's type map is on the classpath: " + typeMap);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    // <npm package>.<submodule>.<Type>=<java class>
                    submodules.add(line.substring(npmPackage.length() + 1).split("\\.")[0]);
                }
            }
        }
        assertEquals(new TreeSet<>(listed), submodules);
    }

    /** The {@code <submodules>} of a binding's pom, split on whitespace. */
    static Set<String> pomSubmodules(String binding) throws IOException {
        String pom = Files.readString(Path.of("bindings", binding, "pom.xml"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<submodules>([^<]*)</submodules>").matcher(pom);
        assertTrue(m.find(), "bindings/" + binding + "/pom.xml lists its submodules");
        return new TreeSet<>(List.of(m.group(1).trim().split("\\s+")));
    }

    @Test
    void trimmingToAnUnknownSubmoduleFailsAndNamesTheChoices() throws Exception {
        Run run = node(List.of("bindings/trim-package.js", KUBERNETES.toString(), tmp.resolve("out").toString(),
                "namespaceV1", "noSuchThing"), Map.of());

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains("has no submodule \"noSuchThing\""), run::stderr);
        assertTrue(run.stderr().contains("configMapV1"), "lists what there is");
        assertTrue(Files.notExists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void aTrimmedPackageExportsTheKeptSubmodulesWithTheirTypes() throws Exception {
        // inside the project, so that node resolves the package's cdktf/constructs peers
        Path out = Files.createTempDirectory(Path.of("src", "target"), "trimmed-test-");
        try {
            Run trim = node(List.of("bindings/trim-package.js", KUBERNETES.toString(), out.toString(), "configMapV1"), Map.of());
            assertEquals(0, trim.exitCode(), trim::toString);
            assertTrue(trim.stdout().contains("kept 1 of 109 submodules"), trim::stdout);

            Run load = node(List.of("-e", """
                    const k = require(process.argv[1]);
                    const a = JSON.parse(require("fs").readFileSync(process.argv[1] + "/.jsii", "utf8"));
                    console.log(Object.keys(k).join(","));
                    console.log(k.configMapV1.ConfigMapV1.tfResourceType);
                    console.log(Object.keys(a.types).every((t) => t.startsWith(a.name + ".configMapV1.")));
                    console.log(Object.keys(a.submodules).join(","));
                    """, out.toAbsolutePath().toString()), Map.of());
            assertEquals(0, load.exitCode(), load::toString);
            assertEquals(List.of("configMapV1", "kubernetes_config_map_v1", "true", "@cdktf/provider-kubernetes.configMapV1"),
                    load.stdout().lines().toList());
        } finally {
            try (var walk = Files.walk(out)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    static final java.util.regex.Pattern CONSOLE_LINE = java.util.regex.Pattern.compile("\\{\"(stdout|stderr)\":\"([A-Za-z0-9+/=]*)\"}");

    /** A {"stdout"|"stderr": base64} line, as jsii's Java runtime decodes it, as "key:text". */
    static String decodeConsoleLine(String line) {
        java.util.regex.Matcher m = CONSOLE_LINE.matcher(line);
        assertTrue(m.matches(), () -> "not a jsii console line: " + line);
        return m.group(1) + ":" + new String(Base64.getDecoder().decode(m.group(2)), StandardCharsets.UTF_8);
    }

    Run bash(List<String> args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add("bash");
        command.addAll(args);
        return run(command, Map.of());
    }

    Run node(List<String> args, Map<String, String> extraEnv) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add("node");
        command.addAll(args);
        return run(command, extraEnv);
    }

    Run run(List<String> command, Map<String, String> extraEnv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(Path.of("").toAbsolutePath().toFile());
        pb.environment().remove("NODE_OPTIONS");
        pb.environment().putAll(extraEnv);
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Path stdout = Files.createTempFile(logs, "stdout", ".txt");
        Path stderr = Files.createTempFile(logs, "stderr", ".txt");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process process = pb.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("did not finish in 120 s: " + command);
        }
        return new Run(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }
}
