package dev.llmcls.runfile;

import java.util.List;
import java.util.Map;

/**
 * What evaluation reads from one JSONL record: the fields of a classify run, plus {@code label}
 * (set by structured-output runs) and {@code votes} (label → count, set by voting runs) when
 * present. {@code text} is only read when asked for; {@code line} is the record's line number in
 * its file. The token counts are null when the record has none (a failure, an embedded mode).
 * {@code constraint} is the run's answer constraint (null when none) and {@code constraintBroken}
 * whether this answer does not keep it. {@code probabilities}: the record has a non-null {@code
 * label_probs}, {@code confidence} or {@code vote_share} (what calibration reads; evaluate skips
 * that pass for runs without any). {@code goldLabels}: a multi-label record's list of gold labels
 * ({@code gold} is then null); null for a single-label record.
 */
public record EvalRecord(
        String id,
        String text,
        String gold,
        String output,
        String error,
        String label,
        Map<String, Integer> votes,
        Integer promptTokens,
        Integer completionTokens,
        String constraint,
        boolean constraintBroken,
        boolean probabilities,
        long line,
        List<String> goldLabels) {

    /** A single-label record. */
    public EvalRecord(
            String id,
            String text,
            String gold,
            String output,
            String error,
            String label,
            Map<String, Integer> votes,
            Integer promptTokens,
            Integer completionTokens,
            String constraint,
            boolean constraintBroken,
            boolean probabilities,
            long line) {
        this(
                id,
                text,
                gold,
                output,
                error,
                label,
                votes,
                promptTokens,
                completionTokens,
                constraint,
                constraintBroken,
                probabilities,
                line,
                null);
    }

    /**
     * An answer with no content: no error, an empty output and no decided label (e.g. all
     * reasoning, no answer).
     */
    public boolean emptyAnswer() {
        return error == null
                && (output == null || output.isBlank())
                && label == null
                && (votes == null || votes.isEmpty());
    }

    /**
     * Whether the record holds nothing to score: an error, or neither an answer, a label nor votes.
     */
    public boolean failed() {
        return error != null
                || (output == null && label == null && (votes == null || votes.isEmpty()));
    }
}
