package com.bridgeai.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Puts the reason of every skipped test where a reader of the build sees it: Surefire's console
 * and .txt reports only count skipped tests. Prints one {@code SKIPPED <test>: <reason>} line per
 * skipped test ({@code @Disabled("why")}) or aborted one (a failed {@code assumeTrue(…, "why")}),
 * and writes them all to {@code target/skipped-tests.txt}. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener};
 * {@link SkipReasonsTest} checks that every assumption and {@code @Disabled} gives a reason.
 */
public final class SkipReasons implements TestExecutionListener {
    /** Surefire may run several test plans in one JVM: the first one starts the file afresh. */
    private static boolean fileStarted;
    private final List<String> lines = new ArrayList<>();
    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        lines.clear();
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        record(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            record(test, result.getThrowable().map(Throwable::getMessage).orElse("(aborted without a message)"));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (lines.isEmpty()) {
            return;
        }
        Path file = Path.of("src", "target", "skipped-tests.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardOpenOption.CREATE, fileStarted
                    ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            fileStarted = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void record(TestIdentifier test, String reason) {
        String name = plan == null ? test.getDisplayName() : plan.getParent(test)
                .map(p -> p.getDisplayName() + " > " + test.getDisplayName()).orElse(test.getDisplayName());
        String line = "SKIPPED " + name + ": " + (reason == null || reason.isBlank() ? "(no reason given)" : reason);
        lines.add(line);
        System.out.println(line);
    }
}
