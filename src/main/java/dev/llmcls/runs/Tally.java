package dev.llmcls.runs;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.llmcls.data.LabelSet;
import dev.llmcls.eval.Scorer;
import dev.llmcls.eval.Scorers;
import dev.llmcls.runfile.EvalRecord;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Counts a run's records as they come, in file order: answers, failures, and how many answers the
 * strict scorer ({@link Scorers#PRIMARY}) finds right. A resumed run writes an example again only
 * when its last record failed, so an example's records are failures then at most one answer: a
 * record for an id whose last record failed <em>supersedes</em> it, and the errors are the failures
 * not superseded. That needs the ids of the failures: a tally started from a summary ({@link
 * #from}) has none, so a failure written before the summary and retried after it still counts as an
 * error (until the run's writer next counts the whole file, on resume).
 */
public final class Tally implements Consumer<EvalRecord> {
    /**
     * What a run's records hold: {@code records} lines, {@code ok} answers, {@code failed} failures
     * of which {@code superseded} were retried later, {@code scored} answers with a single gold
     * label of the run's labels and {@code right} of those the strict scorer reads right.
     */
    @JsonPropertyOrder({"records", "ok", "failed", "superseded", "scored", "right"})
    public record Counts(
            long records, long ok, long failed, long superseded, long scored, long right) {
        public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);

        /** The examples whose last record is a failure. */
        public long errors() {
            return failed - superseded;
        }

        /** The share of scored answers that are right; null when none is scored. */
        public Double accuracy() {
            return scored == 0 ? null : (double) right / scored;
        }
    }

    /**
     * How answers are scored: the run's labels and the strict scorer's reading of them. Making a
     * reading compiles a pattern of the labels, so a listing makes one for each set of labels and
     * shares it between the runs that have them (a reading is safe for concurrent use).
     */
    record Scoring(LabelSet labels, Scorer.Reading reading) {
        static Scoring of(LabelSet labels) {
            return new Scoring(labels, Scorers.PRIMARY.reading(labels));
        }
    }

    private final LabelSet labels;
    private final Scorer.Reading reading;
    private final Set<String> failedIds = new HashSet<>();
    private long records;
    private long ok;
    private long failed;
    private long superseded;
    private long scored;
    private long right;

    private Tally(Scoring scoring, Counts start) {
        this.labels = scoring == null ? null : scoring.labels();
        this.reading = scoring == null ? null : scoring.reading();
        records = start.records();
        ok = start.ok();
        failed = start.failed();
        superseded = start.superseded();
        scored = start.scored();
        right = start.right();
    }

    /** A tally of an empty file; {@code labels} null: answers are not scored. */
    public static Tally empty(LabelSet labels) {
        return new Tally(labels == null ? null : Scoring.of(labels), Counts.NONE);
    }

    /** A tally that goes on from a summary's counts. */
    public static Tally from(LabelSet labels, Counts counts) {
        return new Tally(labels == null ? null : Scoring.of(labels), counts);
    }

    /** A tally that goes on from {@code counts}, scoring by {@code scoring} (null: not scored). */
    static Tally from(Scoring scoring, Counts counts) {
        return new Tally(scoring, counts);
    }

    @Override
    public synchronized void accept(EvalRecord record) {
        records++;
        if (failedIds.contains(record.id())) {
            superseded++;
        }
        if (record.failed()) {
            failed++;
            failedIds.add(record.id());
            return;
        }
        failedIds.remove(record.id());
        ok++;
        if (reading != null && record.gold() != null && record.goldLabels() == null) {
            var gold = labels.indexOf(record.gold());
            if (gold.isPresent()) {
                scored++;
                if (reading.read(record, gold.get()).right()) {
                    right++;
                }
            }
        }
    }

    public synchronized Counts counts() {
        return new Counts(records, ok, failed, superseded, scored, right);
    }
}
