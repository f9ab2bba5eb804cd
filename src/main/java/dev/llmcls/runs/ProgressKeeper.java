package dev.llmcls.runs;

import dev.llmcls.data.LabelSet;
import dev.llmcls.runfile.EvalRecord;
import dev.llmcls.runfile.JsonlWriter;
import dev.llmcls.runfile.RunRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Keeps a run's progress summary ({@link Progress}) up to date while the run writes its output:
 * each record is written and counted under one lock, so the summary's byte count always ends on a
 * line the counts include, and the summary is replaced at most once every {@value #EVERY_MILLIS} ms
 * (a rename of a small file: no cost a fast server would notice) and when the run ends. A run
 * killed between two summaries leaves at most that much unsummarised output, which a listing reads.
 */
public final class ProgressKeeper implements AutoCloseable {
    static final long EVERY_MILLIS = 1000;

    private final Path file;
    private final Tally tally;
    private final String sessionStartedAt = Instant.now().toString();
    private final LongSupplier clock;
    private long bytes;
    private long sessionRecords;
    private long lastWrite;
    private boolean dirty;

    private ProgressKeeper(Path output, Tally tally, long bytes, LongSupplier clock) {
        this.file = Progress.pathFor(output);
        this.tally = tally;
        this.bytes = bytes;
        this.clock = clock;
        this.lastWrite = clock.getAsLong();
        summary().write(file);
    }

    /**
     * Starts keeping the summary of {@code output}, which holds {@code bytes} bytes that {@code
     * resumed} has counted (every record the resume read: {@link
     * dev.llmcls.runfile.OutputFiles#prepare}), and writes it at once.
     */
    public static ProgressKeeper start(Path output, Tally resumed, long bytes) {
        return new ProgressKeeper(output, resumed, bytes, System::currentTimeMillis);
    }

    /** A fresh tally for a run made with {@code labels}, to be shown the records a resume reads. */
    public static Tally tally(LabelSet labels) {
        return Tally.empty(labels);
    }

    /** Appends {@code record} to the output through {@code writer} and counts it. */
    public synchronized void write(JsonlWriter writer, RunRecord record) {
        int written = writer.write(record);
        bytes += written;
        sessionRecords++;
        tally.accept(evalRecord(record));
        dirty = true;
        long now = clock.getAsLong();
        if (now - lastWrite >= EVERY_MILLIS) {
            summary().write(file);
            lastWrite = now;
            dirty = false;
        }
    }

    private Progress summary() {
        return new Progress(
                bytes, tally.counts(), sessionStartedAt, sessionRecords, Instant.now().toString());
    }

    /** What evaluation would read of {@code record}, for the tally. */
    static EvalRecord evalRecord(RunRecord record) {
        return new EvalRecord(
                record.id(),
                null,
                record.gold(),
                record.output(),
                record.error(),
                record.label(),
                record.votes(),
                record.promptTokens(),
                record.completionTokens(),
                record.constraint(),
                record.constraintBroken(),
                false,
                0,
                record.goldLabels());
    }

    /** Writes the last summary. */
    @Override
    public synchronized void close() {
        if (dirty || sessionRecords == 0) {
            summary().write(file);
            dirty = false;
        }
    }
}
