package dev.llmcls.eval;

import dev.llmcls.data.LabelSet;
import dev.llmcls.label.StrictRule;
import dev.llmcls.runfile.EvalRecord;

/**
 * A way of reading a run's answers, reported on its own under its {@link #key}: one implementation
 * per kind ({@link SeedScorer}, {@link StrictScorer}), registered in {@link Scorers#ALL}. Tallies,
 * reports, comparisons and the HTML page iterate the registry, so a new scorer is one class plus
 * its registration.
 */
public interface Scorer {
    /** A prediction code: the answer names no label. */
    int NO_LABEL = StrictRule.NO_LABEL;

    /** A prediction code: the answer names several labels. */
    int MULTI_LABEL = StrictRule.MULTI_LABEL;

    /** The name in reports and JSON, e.g. {@code strict}. */
    String key();

    /** One sentence for report notes: what this scorer counts as the answer. */
    String description();

    /** Reads the records of a run made with {@code labels}. */
    Reading reading(LabelSet labels);

    /** Reads one record (never a failed one) whose gold label is {@code gold}. */
    interface Reading {
        Verdict read(EvalRecord record, int gold);
    }

    /**
     * The predicted label index (or {@link #NO_LABEL}, {@link #MULTI_LABEL}) and whether the answer
     * is right.
     */
    record Verdict(int prediction, boolean right) {}
}
