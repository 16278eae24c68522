package com.bridgeai.infra.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command lines the emulator tests run against one moto and one synthesized output: bin/tf-stacks,
 * terraform and the AWS CLI, with the environment they share (static test credentials, the outdir,
 * the machine's provider mirror). One place, so every round trip talks to the emulator the same way.
 */
final class EmulatorCli {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String endpoint;
    private final Map<String, String> env;

    EmulatorCli(MotoServer moto, Path outdir) throws Exception {
        endpoint = moto.endpoint();
        env = new HashMap<>();
        env.put("CDKTF_OUTDIR", outdir.toString());
        env.put("CHECKPOINT_DISABLE", "1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_DEFAULT_REGION", "eu-west-2");
        env.put("AWS_PAGER", "");
        env.put("TF_CLI_CONFIG_FILE", Cmd.of(Map.of(), "bash", "bin/tf-mirror-config").ok(30).trim());
    }

    /** The shared environment (a copy may add variables for one command). */
    Map<String, String> env() {
        return env;
    }

    /** {@code bash bin/tf-stacks <args>}. */
    Cmd stacks(String... args) {
        return command(List.of("bash", "bin/tf-stacks"), args);
    }

    /** {@code terraform -chdir=<dir> <args> -no-color}. */
    Cmd tf(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("terraform", "-chdir=" + dir));
        argv.addAll(List.of(args));
        argv.add("-no-color");
        return new Cmd(argv, env);
    }

    /** {@code aws --endpoint-url <moto> --output json <args>}. */
    Cmd awsRaw(String... args) {
        return command(List.of("aws", "--endpoint-url", endpoint, "--output", "json"), args);
    }

    /** {@link #awsRaw}'s answer as JSON (an empty object for an empty answer). */
    JsonNode aws(String... args) throws Exception {
        String out = awsRaw(args).ok(120);
        return out.isBlank() ? JSON.createObjectNode() : JSON.readTree(out);
    }

    private Cmd command(List<String> prefix, String... args) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(args));
        return new Cmd(argv, env);
    }
}
