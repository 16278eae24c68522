package com.bridgeai.infra.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command from the repository root and captures its output (for tests). */
record Cmd(List<String> argv, Map<String, String> env) {

    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    static Cmd of(Map<String, String> env, String... argv) {
        return new Cmd(List.of(argv), env);
    }

    ProcessBuilder builder() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.directory(Path.of("").toAbsolutePath().toFile());
        pb.environment().putAll(env);
        return pb;
    }

    Result run(long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("cmd", ".out");
        Path err = Files.createTempFile("cmd", ".err");
        try {
            Process p = builder().redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", argv) + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs and fails the test (with the output) unless the exit code is 0. */
    String ok(long timeoutSeconds) throws IOException, InterruptedException {
        Result r = run(timeoutSeconds);
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", argv) + " exited " + r.exitCode() + ":\n" + r.all());
        }
        return r.stdout();
    }
}
