package com.bridgeai.infra.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Which of two clashing env files is the established one, so that a cross-env error asks for the
 * fix in the other (the copy), not in the env that is already deployed. In this order: an env whose
 * state stack was deployed from this checkout ({@code .state/<env>/terraform.tfstate} beside the env
 * root) is established; then the file committed to git earlier (the commit that added it); when
 * neither tells them apart (both new, or both added in one commit), the file that sorts later gets
 * the fix. Git is asked only when there is a clash, so a clean synth never starts a process.
 */
final class EnvOrigin {
    private final Path projectRoot;
    private final Map<Path, Rank> ranks = new HashMap<>();

    /** How established a file is: lower sorts first (deployed, then committed earlier). */
    record Rank(boolean deployed, long addedAt, String why) {}

    EnvOrigin(Path envRoot) {
        Path parent = envRoot.toAbsolutePath().normalize().getParent();
        this.projectRoot = parent == null ? envRoot.toAbsolutePath() : parent;
    }

    /** Of two clashing envs: the one that should change, and why the other stays as it is. */
    record Verdict(EnvConfig fix, EnvConfig keep, String why) {}

    Verdict judge(EnvConfig a, EnvConfig b) {
        Rank ra = rank(a);
        Rank rb = rank(b);
        int order = ra.deployed() != rb.deployed() ? (ra.deployed() ? -1 : 1) : Long.compare(ra.addedAt(), rb.addedAt());
        if (order != 0) {
            EnvConfig keep = order < 0 ? a : b;
            return new Verdict(order < 0 ? b : a, keep, keep.file() + " " + (order < 0 ? ra : rb).why());
        }
        boolean aLater = a.file().toString().compareTo(b.file().toString()) > 0;
        return new Verdict(aLater ? a : b, aLater ? b : a,
                "neither file is deployed or was committed first, and this one sorts later");
    }

    private Rank rank(EnvConfig env) {
        return ranks.computeIfAbsent(env.file(), f -> {
            Path state = projectRoot.resolve(".state").resolve(env.name()).resolve("terraform.tfstate");
            if (Files.isRegularFile(state)) {
                return new Rank(true, 0, "is deployed (" + projectRoot.relativize(state) + " exists)");
            }
            long added = addedToGit(f);
            return new Rank(false, added, added == Long.MAX_VALUE ? "" : "was committed first");
        });
    }

    /** Seconds since the epoch of the commit that added the file; MAX_VALUE when untracked (or no git). */
    private static long addedToGit(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Process git = new ProcessBuilder("git", "-C", dir.toString(), "log", "--diff-filter=A", "--format=%ct",
                    "--", file.getFileName().toString())
                    .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!git.waitFor(10, TimeUnit.SECONDS) || git.exitValue() != 0 || out.isEmpty()) {
                git.destroyForcibly();
                return Long.MAX_VALUE;
            }
            String[] lines = out.split("\\R");
            return Long.parseLong(lines[lines.length - 1].trim()); // the oldest: git log lists newest first
        } catch (IOException | NumberFormatException e) {
            return Long.MAX_VALUE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Long.MAX_VALUE;
        }
    }

    /**
     * Comment lines of {@code file} that name another env in quotes ({@code "test"}), as a copied
     * header ("Environment \"test\": ...") would: the user is told to update them too.
     */
    static List<Integer> commentsNaming(Path file, String otherEnv) {
        Pattern quoted = Pattern.compile("#.*\"" + Pattern.quote(otherEnv) + "\"");
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            java.util.ArrayList<Integer> found = new java.util.ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (quoted.matcher(lines.get(i)).find()) {
                    found.add(i + 1);
                }
            }
            return found;
        } catch (IOException e) {
            return List.of();
        }
    }
}
