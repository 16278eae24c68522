package com.bridgeai.infra.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which stacks {@code bin/tf-stacks} acts on: exactly {@code <env>-<unit>} in deploy order (each
 * after the stacks it depends on, from the manifest's "dependencies": cdktf 0.21 writes the
 * manifest's stacks sorted by name), never another env whose name starts with the same word
 * ("test" vs "test-eu": a {@code down test} must not destroy test-eu's stacks).
 */
class TfStacksScriptTest {
    @TempDir
    Path outdir;

    record Run(int exitCode, String stdout, String stderr) {}

    @Test
    void listsOnlyTheStacksOfTheNamedEnvInDeployOrder() throws Exception {
        manifest("test-state", "test-eu-state", "test-vpc", "test-eu-vpc", "test-eks", "test-eu-eks",
                "test-github", "test-flux", "testing-vpc");

        assertEquals(List.of("test-state", "test-vpc", "test-eks", "test-github", "test-flux"),
                run("list", "test").stdout().lines().toList());
        assertEquals(List.of("test-eu-state", "test-eu-vpc", "test-eu-eks"),
                run("list", "test-eu").stdout().lines().toList());
        assertEquals(List.of("test-eu-vpc", "test-eu-eks"),
                run("list", "test-eu", "test-eu-eks", "test-eu-vpc").stdout().lines().toList(),
                "named stacks, still in deploy order");
    }

    @Test
    void aStackOfAnotherEnvOrAnUnknownEnvIsRefused() throws Exception {
        manifest("test-state", "test-vpc", "test-eu-vpc");

        Run other = run("down", "test", "test-eu-vpc");
        assertEquals(1, other.exitCode(), other::toString);
        assertTrue(other.stderr().contains("unknown stack 'test-eu-vpc'; stacks of test: test-state test-vpc"), other::stderr);

        Run unknown = run("list", "prod");
        assertEquals(1, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.stderr().contains("no stacks of environment 'prod'"), unknown::stderr);

        Run badAction = run("apply", "test");
        assertEquals(1, badAction.exitCode(), badAction::toString);
        assertTrue(badAction.stderr().contains("unknown action 'apply' (up|plan|apply-plans|down|drift|list|lock)"), badAction::stderr);
    }

    @Test
    void remoteStateSelectsEveryStackButTheLaptopBootstrappedStateStack() throws Exception {
        manifest("test-state", "test-ci", "test-vpc", "test-eu-vpc", "test-eks");
        assertEquals(List.of("test-ci", "test-vpc", "test-eks"), run("list", "test", "--remote-state").stdout().lines().toList());
        Run mixed = run("list", "test", "--remote-state", "test-vpc");
        assertEquals(1, mixed.exitCode(), mixed::toString);
        assertTrue(mixed.stderr().contains("--remote-state takes no stack names"), mixed::stderr);
    }

    @Test
    void ciSelectsEveryStackButTheStateAndCiStacksTheLaptopApplies() throws Exception {
        manifest("test-state", "test-ci", "test-vpc", "test-eu-vpc", "test-eu-ci", "test-eks");
        assertEquals(List.of("test-vpc", "test-eks"), run("list", "test", "--ci").stdout().lines().toList(),
                "what CI plans, applies and checks for drift");
        assertEquals(List.of("test-eu-vpc"), run("list", "test-eu", "--ci").stdout().lines().toList());
        Run mixed = run("list", "test", "--ci", "test-vpc");
        assertEquals(1, mixed.exitCode(), mixed::toString);
        assertTrue(mixed.stderr().contains("--ci takes no stack names"), mixed::stderr);
    }

    /** What each unit depends on, as the app wires the stacks (cross-stack references + explicit). */
    static final Map<String, List<String>> UNIT_DEPENDENCIES = Map.of(
            "state", List.of(), "ci", List.of("state"), "vpc", List.of("state", "ci"), "eks", List.of("vpc"),
            "github", List.of("eks"), "flux", List.of("github", "eks"));

    /** A manifest like cdktf 0.21's: the stacks sorted by name, each with its dependencies. */
    private void manifest(String... stacks) throws IOException {
        List<String> sorted = java.util.Arrays.stream(stacks).sorted().toList();
        StringBuilder json = new StringBuilder("{\"version\": \"0.21.0\", \"stacks\": {");
        for (int i = 0; i < sorted.size(); i++) {
            String stack = sorted.get(i);
            String env = stack.substring(0, stack.lastIndexOf('-'));
            String deps = UNIT_DEPENDENCIES.get(stack.substring(stack.lastIndexOf('-') + 1)).stream()
                    .map(unit -> '"' + env + "-" + unit + '"').collect(java.util.stream.Collectors.joining(", "));
            json.append(i == 0 ? "" : ", ").append('"').append(stack).append("\": {\"name\": \"")
                    .append(stack).append("\", \"dependencies\": [").append(deps).append("]}");
            Files.createDirectories(outdir.resolve("stacks").resolve(stack));
        }
        Files.writeString(outdir.resolve("manifest.json"), json.append("}}").toString());
    }

    private Run run(String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("bash", "bin/tf-stacks"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("CDKTF_OUTDIR", outdir.toString());
        Path out = outdir.resolve("stdout.txt");
        Path err = outdir.resolve("stderr.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/tf-stacks finished");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
