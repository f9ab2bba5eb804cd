package dev.llmcls.run;

import dev.llmcls.llm.FailureKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The end-of-run report: what was done, skipped, failed and retried, what it cost, and how fast it
 * went.
 */
public final class RunSummary {
    private RunSummary() {}

    public static List<String> lines(RunStats stats, String stopReason, Path output) {
        var lines = new ArrayList<String>();
        double seconds = stats.elapsedSeconds();
        lines.add(
                String.format(
                        Locale.ROOT,
                        "done: %d examples (%d ok, %d failed), %d skipped (already present), "
                                + "%d retries%s",
                        stats.done(),
                        stats.succeeded(),
                        stats.failed(),
                        stats.skipped(),
                        stats.retries(),
                        causes(stats.retriesByKind())));
        if (stats.failed() > 0) {
            lines.add("failures by cause:" + causes(stats.failuresByKind()));
        }
        if (stats.served()) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "tokens: %d prompt, %d completion",
                            stats.promptTokens(),
                            stats.completionTokens()));
            if (stats.requests() > stats.done()) {
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "requests: %d (%.2f per example), %.1f prompt and %.1f "
                                        + "completion tokens per example",
                                stats.requests(),
                                stats.requests() / (double) Math.max(1, stats.done()),
                                stats.promptTokens() / (double) Math.max(1, stats.done()),
                                stats.completionTokens() / (double) Math.max(1, stats.done())));
            }
            if (stats.fromStore() > 0) {
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "answer store: %d examples answered from earlier runs' answers (no"
                                        + " request sent; records marked cached_from), %d requests"
                                        + " sent",
                                stats.fromStore(),
                                stats.requests()));
            }
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "wall time %s, %.1f examples/s, %.0f completion tokens/s",
                            ProgressLines.formatDuration((long) seconds),
                            stats.done() / Math.max(seconds, 1e-9),
                            stats.completionTokens() / Math.max(seconds, 1e-9)));
        } else {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "wall time %s, %.1f examples/s",
                            ProgressLines.formatDuration((long) seconds),
                            stats.done() / Math.max(seconds, 1e-9)));
        }
        if (stats.emptyAnswers() > 0) {
            lines.add(
                    "warning: "
                            + stats.emptyAnswers()
                            + " answers had no content"
                            + (stats.emptyAnswersAtLength() > 0
                                    ? " ("
                                            + stats.emptyAnswersAtLength()
                                            + " stopped at --max-tokens: a reasoning model may have"
                                            + " spent its budget reasoning; its text is in each"
                                            + " record's reasoning field)"
                                    : "")
                            + "; they score as no label.");
        }
        if (stats.constraintBroken() > 0) {
            lines.add(
                    "warning: "
                            + stats.constraintBroken()
                            + " of "
                            + stats.constrainedAnswers()
                            + " constrained answers do not keep the constraint (records marked"
                            + " constraint_broken): the server does not enforce it, or not in the"
                            + " form sent.");
        }
        if (manyUnlisted(stats)) {
            lines.add(
                    "warning: "
                            + stats.withUnlistedLabels()
                            + " of "
                            + stats.firstTokenReadings()
                            + " answers had labels the server did not list among its top"
                            + " alternatives (records' labels_unlisted); each counts at the"
                            + " smallest listed probability, not as 0. Raise --top-logprobs where"
                            + " the server allows it (vLLM: up to its --max-logprobs) for"
                            + " confidences that need no bound.");
        }
        if (stopReason != null) {
            lines.add(
                    "stopped early: "
                            + stopReason
                            + ". Re-run the same command to resume where it stopped.");
        } else if (stats.failed() > 0) {
            long retryable =
                    stats.failuresByKind().entrySet().stream()
                            .filter(e -> e.getKey().rerunMayHelp())
                            .mapToLong(Map.Entry::getValue)
                            .sum();
            long lasting = stats.failed() - retryable;
            if (retryable > 0) {
                lines.add(
                        retryable
                                + " examples failed for reasons that may pass ("
                                + String.join(", ", kinds(stats.failuresByKind(), true))
                                + "); re-run the same command to retry just those.");
            }
            if (lasting > 0) {
                lines.add(
                        lasting
                                + " examples failed in a way a re-run repeats ("
                                + String.join(", ", kinds(stats.failuresByKind(), false))
                                + "; see each record's error, e.g. a prompt longer than "
                                + "the context); re-running will not change them.");
            }
        }
        lines.add("output: " + output);
        return lines;
    }

    /**
     * Whether enough answers had labels outside the server's top alternatives to say so: a tenth of
     * the answers read there, or more.
     */
    static boolean manyUnlisted(RunStats stats) {
        return stats.withUnlistedLabels() > 0
                && stats.withUnlistedLabels() * 10 >= stats.firstTokenReadings();
    }

    private static List<String> kinds(Map<FailureKind, Long> byKind, boolean rerunMayHelp) {
        return byKind.keySet().stream()
                .filter(k -> k.rerunMayHelp() == rerunMayHelp)
                .map(FailureKind::label)
                .toList();
    }

    private static String causes(Map<FailureKind, Long> byKind) {
        if (byKind.isEmpty()) {
            return "";
        }
        return byKind.entrySet().stream()
                .map(e -> e.getKey().label() + " " + e.getValue())
                .collect(Collectors.joining(", ", " (", ")"));
    }
}
