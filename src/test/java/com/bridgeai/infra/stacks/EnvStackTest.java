package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What every stack of an environment shares (EnvStack): the S3 backend with DynamoDB
 * locking, the AWS provider with region, profile and default tags, the provider pin, and
 * the emulated variant of both. Iterates over the stacks found, so stacks added later are held
 * to the same backend rules.
 */
class EnvStackTest {
    static final SynthFixture F = SynthFixture.seed();

    @Test
    void everyStackButTheStateStackKeepsItsStateInTheSeedBucketUnderItsOwnKey() {
        List<SynthStack> remote = F.stacksOf("test").stream().filter(s -> !s.name().equals("test-state")).toList();
        assertTrue(names(remote).containsAll(List.of("test-vpc", "test-eks")), () -> "stacks: " + names(remote));
        Set<String> keys = new HashSet<>();
        for (SynthStack s : remote) {
            assertEquals(List.of("s3"), fieldNames(s.backend()), s + ": one backend, S3");
            JsonNode s3 = s.backend().path("s3");
            String unit = s.name().substring("test-".length());
            assertEquals(Seed.BUCKET, s3.path("bucket").asText(), s + " bucket");
            assertEquals(Seed.LOCK_TABLE, s3.path("dynamodb_table").asText(), s + " lock table");
            assertEquals(Seed.REGION, s3.path("region").asText(), s + " region");
            assertEquals(Seed.PROFILE, s3.path("profile").asText(), s + " profile");
            assertTrue(s3.path("encrypt").isBoolean() && s3.path("encrypt").booleanValue(), s + ": encrypt=true");
            // encrypt alone puts every state object as AES256, whatever the bucket's default
            // (hashicorp/terraform internal/backend/remote-state/s3/client.go): the state key is named
            assertEquals("alias/mlops-test-tfstate", s3.path("kms_key_id").asText(), s + " kms_key_id");
            assertEquals("test/" + unit + "/terraform.tfstate", s3.path("key").asText(), s + " key");
            keys.add(s3.path("key").asText());
            for (String emulatorOnly : List.of("endpoints", "use_path_style", "access_key", "secret_key")) {
                assertFalse(s3.has(emulatorOnly), s + ": " + emulatorOnly + " belongs to the emulated env only");
            }
        }
        assertEquals(remote.size(), keys.size(), "state keys must be distinct: " + keys);
    }

    @Test
    void theStateStackKeepsItsOwnStateLocallyUnderDotState() throws Exception {
        SynthStack state = F.stack("test-state");
        assertEquals(List.of("local"), fieldNames(state.backend()), "the bucket cannot hold the state of its own creation");
        // the path is relative to the folder terraform runs in: <cdktf output>/<stack working directory>
        Path root = Path.of("").toAbsolutePath();
        String output = CanonicalJson.parse(Files.readString(root.resolve("cdktf.json"))).path("output").asText();
        String workingDirectory = F.manifest().path("stacks").path("test-state").path("workingDirectory").asText();
        assertFalse(output.isEmpty() || workingDirectory.isEmpty(), "cdktf.json output / manifest workingDirectory");
        Path stateFile = root.resolve(output).resolve(workingDirectory)
                .resolve(state.backend().path("local").path("path").asText()).normalize();
        assertEquals(root.resolve(".state").resolve("test").resolve("terraform.tfstate"), stateFile);
    }

    @Test
    void everyAwsStackHasTheSeedsRegionProfileAndDefaultTags() {
        List<SynthStack> aws = F.stacksOf("test").stream().filter(s -> s.tree().path("provider").has("aws")).toList();
        assertTrue(names(aws).containsAll(List.of("test-state", "test-vpc", "test-eks")), () -> "AWS stacks: " + names(aws));
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("Project", Seed.PROJECT);
        tags.put("Environment", Seed.ENVIRONMENT);
        tags.put("Stage", Seed.STAGE);
        tags.put("ManagedBy", "cdktf");
        for (SynthStack s : aws) {
            s.assertProvider("aws", Map.of(
                    "region", Seed.REGION,
                    "profile", Seed.PROFILE,
                    "default_tags", List.of(Map.of("tags", tags))));
            JsonNode provider = s.tree().path("provider").path("aws");
            assertEquals(1, provider.size(), s + ": one AWS provider (no aliases)");
            // the matcher accepts extra keys; the tags must be exactly these
            assertEquals(tags, CanonicalJson.MAPPER.convertValue(provider.at("/0/default_tags/0/tags"), Map.class), s + " tags");
            for (String emulatorOnly : List.of("endpoints", "access_key", "secret_key")) {
                assertFalse(provider.get(0).has(emulatorOnly), s + ": " + emulatorOnly + " belongs to the emulated env only");
            }
            JsonNode pin = s.requiredProviders().path("aws");
            assertEquals(EnvStack.AWS_PROVIDER_VERSION, pin.path("version").asText(), s + " aws provider pin");
            assertTrue(List.of("aws", "hashicorp/aws", "registry.terraform.io/hashicorp/aws").contains(pin.path("source").asText()),
                    s + ": hashicorp/aws, found " + pin.path("source"));
        }
    }

    @Test
    void stacksDeployInOrderStateVpcEks() {
        JsonNode stacks = F.manifest().path("stacks");
        assertEquals(List.of("test-state"), textList(stacks.path("test-vpc").path("dependencies")));
        assertEquals(List.of("test-vpc"), textList(stacks.path("test-eks").path("dependencies")));
        assertEquals(List.of(), textList(stacks.path("test-state").path("dependencies")));
    }

    // ------------------------------------------------------------ the emulated env

    @Test
    void emulatedProviderTalksToTheEmulatorWithTestCredentialsAndNoProfile() {
        List<SynthStack> aws = F.stacksOf("local").stream().filter(s -> s.tree().path("provider").has("aws")).toList();
        assertTrue(names(aws).containsAll(List.of("local-state", "local-ci", "local-vpc", "local-eks")), () -> "AWS stacks: " + names(aws));
        Map<String, String> endpoints = new LinkedHashMap<>();
        EnvStack.EMULATED_SERVICES.forEach(svc -> endpoints.put(svc, Seed.EMULATOR));
        for (SynthStack s : aws) {
            s.assertProvider("aws", Map.of(
                    "region", Seed.REGION,
                    "access_key", "test",
                    "secret_key", "test",
                    "skip_credentials_validation", true,
                    "s3_use_path_style", true,
                    "endpoints", List.of(endpoints),
                    "default_tags", List.of(Map.of("tags", Map.of("Environment", "local", "Project", Seed.PROJECT,
                            "Stage", Seed.STAGE, "ManagedBy", "cdktf")))));
            assertFalse(s.tree().at("/provider/aws/0").has("profile"), s + ": no profile against the emulator");
        }
        // every service the stacks use must be redirected, or the provider would call real AWS
        assertTrue(EnvStack.EMULATED_SERVICES.containsAll(List.of("ec2", "eks", "iam", "sts", "kms", "s3", "dynamodb", "logs", "efs")),
                EnvStack.EMULATED_SERVICES::toString);
    }

    @Test
    void emulatedBackendAndRemoteStateUseTerraform111EndpointOverrides() {
        for (String name : List.of("local-ci", "local-vpc", "local-eks")) {
            SynthStack s = F.stack(name);
            JsonNode s3 = s.backend().path("s3");
            assertEquals(Seed.LOCAL_BUCKET, s3.path("bucket").asText());
            assertEquals("local/" + name.substring("local-".length()) + "/terraform.tfstate", s3.path("key").asText());
            assertEquals("alias/mlops-local-tfstate", s3.path("kms_key_id").asText(), name + " kms_key_id");
            assertEmulatorOverrides(name + " backend", s3);
        }
        // the EKS stack reads the VPC stack's outputs through the same emulator
        SynthStack eks = F.stack("local-eks");
        List<SynthStack.Element> remote = eks.dataSources("terraform_remote_state");
        assertEquals(1, remote.size(), "one remote state (the VPC stack)");
        JsonNode config = remote.get(0).get("/config");
        assertEquals("local/vpc/terraform.tfstate", config.path("key").asText());
        assertEmulatorOverrides("local-eks remote state", config);
    }

    private static void assertEmulatorOverrides(String what, JsonNode s3) {
        assertEquals(Set.of("s3", "dynamodb", "sts", "iam"), new TreeSet<>(fieldNames(s3.path("endpoints"))), what + " endpoints");
        s3.path("endpoints").forEach(url -> assertEquals(Seed.EMULATOR, url.asText(), what + " endpoint"));
        assertTrue(s3.path("use_path_style").booleanValue(), what + ": use_path_style");
        assertEquals("test", s3.path("access_key").asText(), what);
        assertFalse(s3.has("profile"), what + ": no profile against the emulator");
        // the pre-1.6 names would make terraform 1.11 warn (endpoint) or fail (force_path_style)
        assertFalse(s3.has("endpoint") || s3.has("force_path_style"), what + ": deprecated backend keys");
    }

    // ------------------------------------------------------------ helpers

    static List<String> names(List<SynthStack> stacks) {
        return stacks.stream().map(SynthStack::name).toList();
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static List<String> textList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
