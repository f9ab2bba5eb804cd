package dev.llmcls.run;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress for logs (stderr not a terminal, e.g. under nohup): one plain line every {@code
 * interval}.
 */
public final class ProgressLines implements RunMonitor {
    private final PrintWriter err;
    private final long intervalNanos;
    private long lastPrinted = System.nanoTime();

    public ProgressLines(PrintWriter err, Duration interval) {
        this.err = err;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public void update(RunStats stats) {
        long now = System.nanoTime();
        if (now - lastPrinted >= intervalNanos) {
            lastPrinted = now;
            err.println(line(stats));
            err.flush();
        }
    }

    static String line(RunStats stats) {
        double seconds = Math.max(stats.elapsedSeconds(), 1e-9);
        double rate = stats.done() / seconds;
        long remaining = stats.total() - stats.done();
        String eta = rate > 0 ? formatDuration((long) (remaining / rate)) : "?";
        if (!stats.served()) {
            return String.format(
                    Locale.ROOT,
                    "progress: %d/%d done, %.1f examples/s, %d errors, ETA %s",
                    stats.done(),
                    stats.total(),
                    rate,
                    stats.failed(),
                    eta);
        }
        return String.format(
                Locale.ROOT,
                "progress: %d/%d done, %.1f req/s, %.0f output tok/s, %d errors, ETA %s",
                stats.done(),
                stats.total(),
                rate,
                stats.completionTokens() / seconds,
                stats.failed(),
                eta);
    }

    static String formatDuration(long seconds) {
        return String.format(
                Locale.ROOT, "%d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
    }
}
