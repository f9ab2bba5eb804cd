package dev.llmcls.run;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What a run says on stderr: its log lines, the progress monitor (a bar on a terminal, plain lines
 * otherwise) and the end-of-run summary; {@code --quiet} silences all three.
 */
final class RunLog {
    private final PrintWriter err;
    private final ClassifyConfig.Progress progress;

    RunLog(PrintWriter err, ClassifyConfig.Progress progress) {
        this.err = err;
        this.progress = progress;
    }

    void log(String message) {
        if (!progress.quiet()) {
            err.println(message);
            err.flush();
        }
    }

    RunMonitor monitor() {
        if (progress.quiet()) {
            return RunMonitor.NONE;
        }
        return progress.terminal()
                ? new ProgressBarMonitor()
                : new ProgressLines(err, progress.interval());
    }

    void summary(RunStats stats, String stopReason, Path output) {
        if (progress.quiet()) {
            return;
        }
        for (String line : RunSummary.lines(stats, stopReason, output)) {
            err.println(line);
        }
        err.flush();
    }
}
