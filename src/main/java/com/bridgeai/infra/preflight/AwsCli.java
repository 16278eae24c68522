package com.bridgeai.infra.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read-only calls through the AWS CLI ({@code aws}, as the README's other steps use it), with the
 * env's region and either its profile (real AWS; {@code AWS_ENDPOINT_URL} if set sends them
 * elsewhere, e.g. to an emulator) or the emulated env's endpoint with static test credentials
 * (what the synthesized provider uses there). Every call is a Describe/Get/List/Head: nothing
 * here creates, changes or deletes anything.
 */
public final class AwsCli {
    /** How long one call may take (a cold CLI start plus paginated answers; the API's own retries included). */
    static final long TIMEOUT_SECONDS = 90;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The CLI's error line: {@code An error occurred (Code) when calling the Op operation[ (reached max retries: 4)]: message}. */
    private static final Pattern ERROR = Pattern.compile(
            "An error occurred \\(([^)]+)\\) when calling the (\\w+) operation(?: \\(reached max retries: \\d+\\))?: ?(.*)");

    private final List<String> base;
    private final Map<String, String> environment;

    /** The answer of one call: the JSON output, or the error's code and first line of message. */
    public record Answer(Optional<JsonNode> json, String errorCode, String errorMessage) {
        public boolean ok() {
            return json.isPresent();
        }

        public JsonNode body() {
            return json.orElseThrow(() -> new IllegalStateException("no answer: " + this));
        }

        /** {@code (Code) message}, for a line that says why something could not be judged. */
        public String error() {
            return "(" + errorCode + ") " + errorMessage;
        }
    }

    /**
     * @param region       the env's region
     * @param profile      the env's AWS CLI profile; empty for the emulated env
     * @param endpoint     the endpoint to send every call to; empty: the CLI's own (AWS, or AWS_ENDPOINT_URL)
     * @param environment  the process environment for the CLI
     */
    public AwsCli(String region, Optional<String> profile, Optional<String> endpoint, Map<String, String> environment) {
        List<String> argv = new ArrayList<>(List.of("aws", "--region", region, "--output", "json"));
        profile.ifPresent(p -> argv.addAll(List.of("--profile", p)));
        endpoint.ifPresent(e -> argv.addAll(List.of("--endpoint-url", e)));
        this.base = List.copyOf(argv);
        this.environment = Map.copyOf(environment);
    }

    public Answer call(String... args) {
        List<String> argv = new ArrayList<>(base);
        argv.addAll(List.of(args));
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("preflight", ".out");
            err = Files.createTempFile("preflight", ".err");
            ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().clear();
            pb.environment().putAll(environment);
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                return new Answer(Optional.empty(), "timeout", "no answer within " + TIMEOUT_SECONDS + " s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (p.exitValue() == 0) {
                return new Answer(Optional.of(stdout.isBlank() ? JSON.createObjectNode() : JSON.readTree(stdout)), "", "");
            }
            return failure(stderr);
        } catch (IOException e) {
            return new Answer(Optional.empty(), "cli", "cannot run the AWS CLI (" + String.join(" ", argv.subList(0, 1))
                    + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(Optional.empty(), "interrupted", "interrupted");
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** The error code and message of a failed call, from the CLI's stderr. */
    static Answer failure(String stderr) {
        Matcher m = ERROR.matcher(stderr);
        if (m.find()) {
            String message = m.group(3).strip();
            // an emulator's unimplemented call answers with a web server's HTML error page
            return new Answer(Optional.empty(), m.group(1), message.startsWith("<") ? "an HTML error page, not an AWS answer" : message);
        }
        if (stderr.toLowerCase(java.util.Locale.ROOT).contains("<!doctype html") || stderr.contains("<html")) {
            // an emulator's unimplemented call, answered with a web server's error page the CLI cannot parse
            return new Answer(Optional.empty(), "not-aws", "an HTML error page, not an AWS answer");
        }
        // not an API error: no credentials, an unknown profile, an unreachable endpoint, ...
        String last = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse("(no message)");
        return new Answer(Optional.empty(), "cli", last);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
