package dev.llmcls.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.llm.FailureKind;
import dev.llmcls.run.task.TaskResult;
import dev.llmcls.runfile.RunRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {
    private static TaskResult ok(int completionTokens) {
        return new TaskResult(
                new RunRecord(
                        "1",
                        "t",
                        "World",
                        "label: World",
                        "stop",
                        10,
                        completionTokens,
                        5,
                        null,
                        1),
                null,
                List.of());
    }

    @Test
    void lineShowsDoneTotalRatesErrorsAndEta() {
        var stats = new RunStats(10, 0);
        stats.add(ok(7));
        stats.add(
                new TaskResult(
                        new RunRecord(
                                "2", "t", "World", null, null, null, null, 5, "rejected: x", 1),
                        FailureKind.REJECTED,
                        List.of(FailureKind.RATE_LIMITED)));
        String line = ProgressLines.line(stats);
        assertTrue(line.startsWith("progress: 2/10 done, "), line);
        assertTrue(line.contains(" req/s, "), line);
        assertTrue(line.contains(" output tok/s, 1 errors, ETA "), line);
        assertEquals(1, stats.retries());
    }

    @Test
    void printsAtMostOnceAnInterval() {
        var out = new StringWriter();
        var monitor = new ProgressLines(new PrintWriter(out), Duration.ofHours(1));
        var stats = new RunStats(3, 0);
        for (int i = 0; i < 5; i++) {
            monitor.update(stats);
        }
        assertEquals("", out.toString(), "nothing before the first interval has passed");

        var eager = new ProgressLines(new PrintWriter(out), Duration.ZERO);
        eager.update(stats);
        eager.update(stats);
        assertEquals(2, out.toString().lines().count());
    }

    @Test
    void embeddedModesSpeakOfExamplesNotRequestsOrTokens() {
        var stats = new RunStats(10, 0, false);
        stats.add(
                new TaskResult(
                        new RunRecord("1", "t", "World", "World", null, null, null, 5, null, 1)
                                .withDecision("World", null, null, null),
                        null,
                        List.of()));
        String line = ProgressLines.line(stats);
        assertTrue(
                line.startsWith("progress: 1/10 done, ") && line.contains(" examples/s, 0 errors"),
                line);
        assertFalse(line.contains("req/s") || line.contains("tok"), line);
        List<String> summary = RunSummary.lines(stats, null, java.nio.file.Path.of("out.jsonl"));
        assertTrue(summary.stream().noneMatch(l -> l.contains("tokens")), summary.toString());
        assertTrue(summary.stream().anyMatch(l -> l.contains("examples/s")), summary.toString());
    }
}
