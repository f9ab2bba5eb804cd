package dev.llmcls.run;

import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A live progress bar on a terminal's stderr: done/total, examples/s, output tokens/s (for a
 * server), errors and ETA.
 */
public final class ProgressBarMonitor implements RunMonitor {
    private ProgressBar bar;

    @Override
    public void update(RunStats stats) {
        if (bar == null) {
            bar =
                    new ProgressBarBuilder()
                            .setTaskName("classify")
                            .setInitialMax(stats.total())
                            .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                            .setConsumer(new ConsoleProgressBarConsumer(System.err))
                            .setUnit(" ex", 1)
                            .showSpeed()
                            .build();
        }
        double seconds = Math.max(stats.elapsedSeconds(), 1e-9);
        bar.stepTo(stats.done());
        bar.setExtraMessage(
                stats.served()
                        ? String.format(
                                Locale.ROOT,
                                " %.0f tok/s, %d errors",
                                stats.completionTokens() / seconds,
                                stats.failed())
                        : String.format(Locale.ROOT, " %d errors", stats.failed()));
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
