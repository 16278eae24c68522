package com.bridgeai.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every broken env file of the loader's corpus, put next to a good environment and run
 * through the app's command ({@link Main#run}, what bin/synth starts): exit code 2, one
 * message naming the file and the key, no stack trace, and no output folder — one bad env
 * blocks the whole synth. In-process: the command stops before the jsii kernel starts.
 */
class MainCorpusTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.bridgeai.infra.config.EnvConfigLoaderTest#badFiles")
    void aBrokenEnvAmongGoodOnesBlocksTheWholeSynth(String name, String yaml, String keyPath, Object line,
                                                      List<String> fragments) throws IOException {
        Path root = tmp.resolve("env");
        String seed = Files.readString(Path.of("env", "test", "env.yaml"));
        write(root.resolve("good"), seed.replace("environment: \"test\"", "environment: \"good\"")
                .replace("tfstate-mlops-test", "tfstate-mlops-good"));
        Path bad = write(root.resolve("test"), yaml);
        Path outdir = tmp.resolve("cdktf.out");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(Map.of("BRIDGEAI_ENV_ROOT", root.toString(), "BRIDGEAI_OUTDIR", outdir.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);

        assertEquals(Main.EXIT_INVALID_CONFIG, code, message);
        assertTrue(message.contains(bad.toString()), () -> "names the file:\n" + message);
        assertTrue(message.contains(keyPath.isEmpty() ? bad + ":" : ": " + keyPath + ":"), () -> "names the key:\n" + message);
        assertFalse(message.contains(root.resolve("good").toString()), () -> "the good env is not blamed:\n" + message);
        assertFalse(message.contains("\tat ") || message.contains("Exception"), () -> "no stack trace:\n" + message);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of("env"), left.map(p -> p.getFileName().toString()).toList(), "nothing written");
        }
    }

    private static Path write(Path dir, String yaml) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("env.yaml");
        // the corpus's "not UTF-8" case carries U+00FF and is meant to be written as Latin-1
        Files.write(file, yaml.getBytes(yaml.indexOf('\u00ff') >= 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        return file;
    }
}
