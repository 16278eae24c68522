package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code terraform init -backend=false} + {@code terraform validate} of every synthesized stack
 * of {@code test}, {@code local} and the variant env, in the folders cdktf wrote them to, with
 * providers from this machine's mirror. Catches what the matchers cannot: attributes the pinned
 * provider does not have, wrong block shapes, bad references and expressions. A stack whose
 * providers are not in the mirror (the GitOps providers) is skipped, as read from its
 * required_providers.
 */
class TerraformValidateTest {
    static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** terraform validate loads the AWS provider schema, a CPU- and memory-hungry second or three. */
    static final int PARALLEL = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

    record Outcome(List<String> missingProviders, Terraform.Result init, Terraform.Result validate) {}

    @TestFactory
    Stream<DynamicTest> everyStackInitsAndValidates() {
        Map<String, SynthStack> stacks = new LinkedHashMap<>();
        SynthFixture.seed().stacks().forEach(s -> stacks.put(s.name(), s));
        // the variant's stacks that differ from the seed's (its state stack does not)
        SynthFixture.variant().stacks().stream()
                // (test-ci exists in the variant only)
                .filter(s -> SynthFixture.seed().stacks().stream()
                        .noneMatch(seed -> seed.name().equals(s.name()) && seed.tree().equals(s.tree())))
                .forEach(s -> stacks.put("variant " + s.name(), s));
        assertTrue(stacks.keySet().containsAll(List.of("test-state", "test-vpc", "test-eks", "local-state", "local-ci",
                "local-vpc", "local-eks", "variant test-ci", "variant test-vpc", "variant test-eks")), stacks::toString);
        Path mirror = Terraform.mirror();

        // all stacks at once (a few seconds each); each dynamic test then reports its own
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        Map<String, CompletableFuture<Outcome>> outcomes = new LinkedHashMap<>();
        stacks.forEach((label, s) -> outcomes.put(label, CompletableFuture.supplyAsync(() -> validate(s, mirror), pool)));
        pool.shutdown();

        return outcomes.entrySet().stream().map(e -> dynamicTest(e.getKey(), () -> {
            Outcome o = e.getValue().join();
            Assumptions.assumeTrue(o.missingProviders().isEmpty(),
                    () -> e.getKey() + ": providers not in the mirror " + mirror + ": " + o.missingProviders());
            assertEquals(0, o.init().exitCode(), () -> e.getKey() + ": " + o.init());
            JsonNode result = CanonicalJson.parse(o.validate().stdout());
            assertTrue(result.path("valid").asBoolean(false), () -> e.getKey() + ": " + o.validate());
            assertEquals(0, o.validate().exitCode(), () -> e.getKey() + ": " + o.validate());
            // deprecations show up here first: what the pinned 5.x provider warns about, 6.x removes
            assertEquals(0, result.path("warning_count").asInt(-1), () -> e.getKey() + ": " + o.validate());
        }));
    }

    private static Outcome validate(SynthStack s, Path mirror) {
        List<String> missing = missingProviders(s.requiredProviders(), mirror);
        if (!missing.isEmpty()) {
            return new Outcome(missing, null, null);
        }
        Path dir = s.file().getParent();
        Terraform.Result init = Terraform.run(dir, null, TIMEOUT, "init", "-backend=false", "-input=false", "-no-color");
        if (init.exitCode() != 0) {
            return new Outcome(missing, init, null);
        }
        return new Outcome(missing, init, Terraform.run(dir, null, TIMEOUT, "validate", "-json", "-no-color"));
    }

    /**
     * Providers of {@code required_providers} that the mirror does not hold: sources resolve as
     * terraform does ({@code aws} is registry.terraform.io/hashicorp/aws); an exact version must be
     * there unpacked or packed, any other constraint needs some version of the provider.
     */
    static List<String> missingProviders(JsonNode requiredProviders, Path mirror) {
        List<String> missing = new ArrayList<>();
        requiredProviders.fields().forEachRemaining(e -> {
            String source = e.getValue().path("source").asText(e.getKey());
            String[] parts = source.split("/");
            String address = switch (parts.length) {
                case 1 -> "registry.terraform.io/hashicorp/" + parts[0];
                case 2 -> "registry.terraform.io/" + source;
                default -> source;
            };
            String version = e.getValue().path("version").asText("");
            Path dir = mirror.resolve(address);
            String type = address.substring(address.lastIndexOf('/') + 1);
            boolean present;
            if (version.matches("=?\\s*\\d+\\.\\d+\\.\\d+")) {
                String v = version.replaceFirst("^=\\s*", "");
                present = Files.isDirectory(dir.resolve(v)) || hasFile(dir, "terraform-provider-" + type + "_" + v + "_");
            } else {
                present = Files.isDirectory(dir) && hasFile(dir, "");
            }
            if (!present) {
                missing.add(address + (version.isEmpty() ? "" : " " + version));
            }
        });
        return missing;
    }

    private static boolean hasFile(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The skip rule itself: the AWS pin is found, a provider the mirror lacks is reported. */
    @Test
    void missingProvidersAreReadFromRequiredProviders() {
        Path mirror = Terraform.mirror();
        JsonNode aws = CanonicalJson.parse("{\"aws\":{\"source\":\"aws\",\"version\":\"" + EnvStack.AWS_PROVIDER_VERSION + "\"}}");
        assertEquals(List.of(), missingProviders(aws, mirror), "the image's mirror holds the pinned AWS provider");
        JsonNode github = CanonicalJson.parse("{\"aws\":{\"source\":\"hashicorp/aws\",\"version\":\"" + EnvStack.AWS_PROVIDER_VERSION
                + "\"},\"github\":{\"source\":\"integrations/github\",\"version\":\"6.2.3\"}}");
        assertEquals(List.of("registry.terraform.io/integrations/github 6.2.3"), missingProviders(github, mirror));
        JsonNode otherAws = CanonicalJson.parse("{\"aws\":{\"source\":\"aws\",\"version\":\"0.0.1\"}}");
        assertFalse(missingProviders(otherAws, mirror).isEmpty(), "a version the mirror lacks");
    }
}
