package com.bridgeai.infra.stacks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The terraform CLI as a subprocess, installing providers only from this machine's mirror:
 * the CLI config is the one bin/tf-mirror-config writes (there is no registry here).
 */
final class Terraform {
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static Path cliConfig;

    private Terraform() {}

    /** The CLI config file of bin/tf-mirror-config (made once per JVM). */
    static synchronized Path cliConfig() {
        if (cliConfig == null) {
            Result r = exec(List.of("bash", "bin/tf-mirror-config"), Path.of("."), null, Duration.ofSeconds(30), false);
            if (r.exitCode() != 0) {
                throw new IllegalStateException("bin/tf-mirror-config failed: " + r);
            }
            cliConfig = Path.of(r.stdout().strip());
        }
        return cliConfig;
    }

    /** The filesystem mirror folder named in the CLI config. */
    static Path mirror() {
        try {
            Matcher m = Pattern.compile("path\\s*=\\s*\"([^\"]+)\"").matcher(Files.readString(cliConfig()));
            if (!m.find()) {
                throw new IllegalStateException("no filesystem_mirror path in " + cliConfig());
            }
            return Path.of(m.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result run(Path dir, String stdin, Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add("terraform");
        command.addAll(List.of(args));
        return exec(command, dir, stdin, timeout, true);
    }

    private static Result exec(List<String> command, Path dir, String stdin, Duration timeout, boolean terraformEnv) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        if (terraformEnv) {
            pb.environment().put("TF_CLI_CONFIG_FILE", cliConfig().toString());
            pb.environment().put("CHECKPOINT_DISABLE", "1");
            pb.environment().put("TF_IN_AUTOMATION", "1");
            pb.environment().put("TF_INPUT", "0");
            pb.environment().remove("TF_PLUGIN_CACHE_DIR"); // providers are linked from the mirror anyway
        }
        try {
            Process p = pb.start();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " in " + dir + " took over " + timeout);
            }
            return new Result(command, p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command + " (is it on PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A thread per stream: the common pool has one thread on two cores and would serialize readers. */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "terraform-output");
        t.setDaemon(true);
        return t;
    });

    private static CompletableFuture<String> read(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, READERS);
    }
}
