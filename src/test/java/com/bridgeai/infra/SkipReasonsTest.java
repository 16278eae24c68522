package com.bridgeai.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every skipped test says why: each assumption carries a message and each {@code @Disabled} a reason. */
class SkipReasonsTest {
    private static final Pattern ASSUME = Pattern.compile("\\bassume(True|False)\\s*\\(");
    private static final Pattern DISABLED = Pattern.compile("@Disabled\\b(?!\\s*\\(\\s*\")");

    @Test
    void everyAssumptionAndDisabledTestGivesAReason() throws IOException {
        List<String> missing = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(Path.of("src", "test", "java"))) {
            sources = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        int checked = 0;
        for (Path file : sources) {
            String text = Files.readString(file);
            if (file.endsWith("SkipReasonsTest.java") || file.endsWith("SkipReasons.java")) {
                continue; // the patterns and the listener's javadoc, not skip points
            }
            Matcher m = ASSUME.matcher(text);
            while (m.find()) {
                checked++;
                if (topLevelArguments(text, m.end()) < 2) {
                    missing.add(file + ":" + line(text, m.start()) + ": assume" + m.group(1) + " without a message");
                }
            }
            Matcher d = DISABLED.matcher(text);
            while (d.find()) {
                checked++;
                if (!text.substring(0, d.start()).endsWith("import org.junit.jupiter.api.")) {
                    missing.add(file + ":" + line(text, d.start()) + ": @Disabled without a reason");
                }
            }
        }
        assertTrue(checked > 0, "expected the skip points of the test sources (ChartFiles, TerraformValidateTest), found none");
        assertEquals(List.of(), missing);
    }

    @Test
    void argumentsAreCountedAtTheTopLevelOnly() {
        assertEquals(1, topLevelArguments("assumeTrue(f(a, b))", "assumeTrue(".length()));
        assertEquals(2, topLevelArguments("assumeTrue(f(a, b), \"why, really\")", "assumeTrue(".length()));
        assertEquals(2, topLevelArguments("assumeTrue(x, () -> g(\"(\"))", "assumeTrue(".length()));
    }

    /** Arguments of the call whose opening parenthesis ends at {@code from}: top-level commas + 1. */
    static int topLevelArguments(String text, int from) {
        int depth = 0;
        int args = 1;
        boolean inString = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                if (depth == 0) {
                    return args;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                args++;
            }
        }
        return args;
    }

    private static int line(String text, int offset) {
        return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }
}
