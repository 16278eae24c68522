package com.bridgeai.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manual stays true: README.md is short (a newcomer reads it in five minutes), every relative
 * link of README.md and docs/*.md points at a file of the repository and every anchor at a heading
 * of its target (GitHub's heading slugs), and every command the README shows exists. The env.yaml
 * reference's keys and defaults are checked against the code by config.ReadmeDefaultsTest.
 */
class DocsTest {
    static final int README_MAX_LINES = 200;
    static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The text outside fenced code blocks (links and headings in code are not the manual's). */
    static String prose(String text) {
        StringBuilder out = new StringBuilder();
        boolean code = false;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("```")) {
                code = !code;
                continue;
            }
            if (!code) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
    }

    static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        Matcher m = HEADING.matcher(prose(Files.readString(page)));
        while (m.find()) {
            anchors.add(slug(m.group(1)));
        }
        return anchors;
    }

    @Test
    void theReadmeIsShort() throws IOException {
        long lines = Files.readAllLines(Path.of("README.md")).size();
        assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines; the manual's topics live in docs/");
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> links = new ArrayList<>();
        assertEquals(List.of(), broken(pages(), Path.of("").toAbsolutePath().normalize(), links));
        assertTrue(links.size() > 30, "the pages link to each other: " + links.size());
    }

    /** Links of {@code pages} (outside code) that leave {@code root}, name no file, or an anchor no heading has. */
    static List<String> broken(List<Path> pages, Path root, List<String> seen) throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            Matcher m = LINK.matcher(prose(Files.readString(page)));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // https:, mailto:
                }
                seen.add(target);
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? page.toAbsolutePath().normalize()
                        : page.toAbsolutePath().getParent().resolve(file).normalize();
                if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                    broken.add(page + ": " + target + " (no file " + resolved + ")");
                } else if (anchor != null && !anchors(resolved).contains(anchor)) {
                    broken.add(page + ": " + target + " (no heading #" + anchor + " in " + resolved + ")");
                }
            }
        }
        return broken;
    }

    /** The checker does see a broken link and a missing anchor (and not a link inside a code block). */
    @Test
    void theCheckerFindsWhatIsMissing(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.md"), "# A\n\n## Two words\n\n[ok](#two-words) [ok](b.md#b) [gone](c.md)"
                + " [no anchor](b.md#nothing)\n\n```\n[in code](nowhere.md)\n```\n");
        Files.writeString(dir.resolve("b.md"), "# B\n");
        List<String> broken = broken(List.of(dir.resolve("a.md")), dir.toAbsolutePath().normalize(), new ArrayList<>());
        assertEquals(2, broken.size(), broken::toString);
        assertTrue(broken.get(0).contains("c.md") && broken.get(1).contains("#nothing"), broken::toString);
        assertTrue(anchors(Path.of("README.md")).contains("the-two-commands"));
        assertEquals("the-apps-database-logins-secrets-manager--external-secrets",
                slug("The apps' database logins (Secrets Manager + External Secrets)"));
        assertEquals("pre-flight-of-a-real-account-binpreflight-env", slug("Pre-flight of a real account (`bin/preflight <env>`)"));
    }

    /** Every bin/ script and file the README's commands use exists (and the cdktf CLI is pinned). */
    @Test
    void theCommandsTheReadmeShowsExist() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Set<String> scripts = new TreeSet<>();
        Matcher m = Pattern.compile("\\b(bin/[a-z][a-z0-9-]*|\\.ci/run)\\b").matcher(readme);
        while (m.find()) {
            scripts.add(m.group(1));
        }
        assertTrue(scripts.containsAll(Set.of("bin/local-up", "bin/local-down", "bin/preflight", "bin/tf-stacks")), scripts::toString);
        for (String script : scripts) {
            assertTrue(Files.isRegularFile(Path.of(script)), "README names " + script + ", which does not exist");
        }
        assertTrue(readme.contains("mvn -B verify"), "the test command");
        assertTrue(Files.readString(Path.of(".ci", "run")).contains("mvn -B verify"), "CI runs the README's test command");
        assertTrue(Files.readString(Path.of("package.json")).contains("\"cdktf-cli\""), "npx cdktf is the pinned CLI");
    }
}
