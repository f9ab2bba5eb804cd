package dev.llmcls.runfile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Map;

/**
 * One line of a run's JSONL output: the example, the model's answer (or the error that prevented
 * one) and what it cost. {@code output} is null exactly when {@code error} is set.
 *
 * <p>The fields after {@code attempts} are written only when set, so a seed-mode record keeps
 * exactly the seed fields: {@code label} the label the run decided on (a constrained answer's, the
 * vote's majority, the embedded classifier's), {@code votes} how many sampled answers (or kNN
 * neighbours) named each label, {@code outputs} every sampled answer when several were asked for,
 * {@code constraint} the answer constraint used ({@code choice}, {@code json}), {@code
 * constraint_broken} true when an answer does not keep that constraint (the server did not enforce
 * it), {@code reasoning} what a reasoning model returned beside its answer ({@code
 * reasoning_content}), kept apart so that only the answer ({@code output}) is scored, {@code
 * cached_from} the id of the run that first got this answer when it came from the answer store (no
 * request was sent for it).
 *
 * <p>A multi-label record ({@code goldLabels} set) writes {@code gold} as the list of its gold
 * label names and {@code labels} as the set of labels its answer names (label order); a
 * single-label record writes neither list.
 */
@JsonPropertyOrder({
    "id",
    "text",
    "gold",
    "output",
    "finish_reason",
    "prompt_tokens",
    "completion_tokens",
    "latency_ms",
    "error",
    "attempts",
    "label",
    "votes",
    "outputs",
    "constraint",
    "constraint_broken",
    "reasoning",
    "cached_from",
    "labels",
    "truncated"
})
public record RunRecord(
        String id,
        String text,
        @JsonIgnore String gold,
        String output,
        @JsonProperty("finish_reason") String finishReason,
        @JsonProperty("prompt_tokens") Integer promptTokens,
        @JsonProperty("completion_tokens") Integer completionTokens,
        @JsonProperty("latency_ms") long latencyMs,
        String error,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int attempts,
        @JsonInclude(JsonInclude.Include.NON_NULL) String label,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Integer> votes,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> outputs,
        @JsonInclude(JsonInclude.Include.NON_NULL) String constraint,
        @JsonProperty("constraint_broken") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                boolean constraintBroken,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reasoning,
        @JsonUnwrapped Probabilities probabilities,
        @JsonProperty("cached_from") @JsonInclude(JsonInclude.Include.NON_NULL) String cachedFrom,
        @JsonIgnore List<String> goldLabels,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> labels,
        @JsonInclude(JsonInclude.Include.NON_NULL) Truncated truncated) {

    public RunRecord {
        goldLabels = goldLabels == null ? null : List.copyOf(goldLabels);
        labels = labels == null ? null : List.copyOf(labels);
    }

    /**
     * What {@code gold} holds in JSON: the gold label's name, or a multi-label record's list of
     * names.
     */
    @JsonProperty("gold")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    Object goldJson() {
        return goldLabels != null ? goldLabels : gold;
    }

    /**
     * How the example's text was cut to fit ({@code --truncate}), written only when it was: the
     * unit ({@code chars}, {@code tokens} counted by the server, {@code approx_tokens} estimated),
     * the text's original length and the length kept in that unit, and where the cut was made
     * ({@code end} or {@code middle}).
     */
    @JsonPropertyOrder({"unit", "original", "kept", "from"})
    public record Truncated(String unit, int original, int kept, String from) {}

    /** The record's components as fields, for a {@code with...} method to change some of. */
    private static final class Copy {
        String id;
        String text;
        String gold;
        String output;
        String finishReason;
        Integer promptTokens;
        Integer completionTokens;
        long latencyMs;
        String error;
        int attempts;
        String label;
        Map<String, Integer> votes;
        List<String> outputs;
        String constraint;
        boolean constraintBroken;
        String reasoning;
        Probabilities probabilities;
        String cachedFrom;
        List<String> goldLabels;
        List<String> labels;
        Truncated truncated;

        Copy(RunRecord r) {
            id = r.id;
            text = r.text;
            gold = r.gold;
            output = r.output;
            finishReason = r.finishReason;
            promptTokens = r.promptTokens;
            completionTokens = r.completionTokens;
            latencyMs = r.latencyMs;
            error = r.error;
            attempts = r.attempts;
            label = r.label;
            votes = r.votes;
            outputs = r.outputs;
            constraint = r.constraint;
            constraintBroken = r.constraintBroken;
            reasoning = r.reasoning;
            probabilities = r.probabilities;
            cachedFrom = r.cachedFrom;
            goldLabels = r.goldLabels;
            labels = r.labels;
            truncated = r.truncated;
        }

        RunRecord build() {
            return new RunRecord(
                    id,
                    text,
                    gold,
                    output,
                    finishReason,
                    promptTokens,
                    completionTokens,
                    latencyMs,
                    error,
                    attempts,
                    label,
                    votes,
                    outputs,
                    constraint,
                    constraintBroken,
                    reasoning,
                    probabilities,
                    cachedFrom,
                    goldLabels,
                    labels,
                    truncated);
        }
    }

    /** The one copy step of every {@code with...} method: this record with {@code change} made. */
    private RunRecord copy(java.util.function.Consumer<Copy> change) {
        var copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** This record noting how its text was cut. */
    public RunRecord withTruncated(Truncated truncated) {
        return copy(c -> c.truncated = truncated);
    }

    /** A single-label record. */
    public RunRecord(
            String id,
            String text,
            String gold,
            String output,
            String finishReason,
            Integer promptTokens,
            Integer completionTokens,
            long latencyMs,
            String error,
            int attempts,
            String label,
            Map<String, Integer> votes,
            List<String> outputs,
            String constraint,
            boolean constraintBroken,
            String reasoning,
            Probabilities probabilities,
            String cachedFrom) {
        this(
                id,
                text,
                gold,
                output,
                finishReason,
                promptTokens,
                completionTokens,
                latencyMs,
                error,
                attempts,
                label,
                votes,
                outputs,
                constraint,
                constraintBroken,
                reasoning,
                probabilities,
                cachedFrom,
                null,
                null,
                null);
    }

    /**
     * How sure the run was, written only when set (the fields are omitted when null): {@code
     * scoring} ({@code likelihood} for a likelihood-scored record), {@code label_probs} (a
     * distribution over the labels), {@code label_logprobs} and {@code label_tokens} (a likelihood
     * record's summed log-probability and token count of each label), {@code confidence} (the
     * probability of the decided label, from the answer's tokens), {@code labels_unlisted} (with
     * {@code confidence}: how many labels had no first token among the server's top alternatives
     * where the label starts, each counted at the smallest listed probability; absent in records
     * written before it was), {@code vote_share} (the majority's share of sampled answers), {@code
     * requests} (requests made for this example, retries included, when that is more than one per
     * attempt).
     */
    @JsonPropertyOrder({
        "scoring",
        "label_probs",
        "label_logprobs",
        "label_tokens",
        "confidence",
        "labels_unlisted",
        "vote_share",
        "requests"
    })
    public record Probabilities(
            @JsonInclude(JsonInclude.Include.NON_NULL) String scoring,
            @JsonProperty("label_probs") @JsonInclude(JsonInclude.Include.NON_NULL)
                    Map<String, Double> labelProbs,
            @JsonProperty("label_logprobs") @JsonInclude(JsonInclude.Include.NON_NULL)
                    Map<String, Double> labelLogprobs,
            @JsonProperty("label_tokens") @JsonInclude(JsonInclude.Include.NON_NULL)
                    Map<String, Integer> labelTokens,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double confidence,
            @JsonProperty("vote_share") @JsonInclude(JsonInclude.Include.NON_NULL) Double voteShare,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer requests,
            @JsonProperty("labels_unlisted") @JsonInclude(JsonInclude.Include.NON_NULL)
                    Integer labelsUnlisted) {
        public static final Probabilities NONE =
                new Probabilities(null, null, null, null, null, null, null);

        /** Without {@code labels_unlisted} (every reading but {@code --confidence}'s). */
        public Probabilities(
                String scoring,
                Map<String, Double> labelProbs,
                Map<String, Double> labelLogprobs,
                Map<String, Integer> labelTokens,
                Double confidence,
                Double voteShare,
                Integer requests) {
            this(
                    scoring,
                    labelProbs,
                    labelLogprobs,
                    labelTokens,
                    confidence,
                    voteShare,
                    requests,
                    null);
        }
    }

    public RunRecord(
            String id,
            String text,
            String gold,
            String output,
            String finishReason,
            Integer promptTokens,
            Integer completionTokens,
            long latencyMs,
            String error,
            int attempts,
            String label,
            Map<String, Integer> votes,
            List<String> outputs,
            String constraint,
            boolean constraintBroken,
            String reasoning,
            Probabilities probabilities) {
        this(
                id,
                text,
                gold,
                output,
                finishReason,
                promptTokens,
                completionTokens,
                latencyMs,
                error,
                attempts,
                label,
                votes,
                outputs,
                constraint,
                constraintBroken,
                reasoning,
                probabilities,
                null);
    }

    public RunRecord(
            String id,
            String text,
            String gold,
            String output,
            String finishReason,
            Integer promptTokens,
            Integer completionTokens,
            long latencyMs,
            String error,
            int attempts,
            String label,
            Map<String, Integer> votes,
            List<String> outputs,
            String constraint) {
        this(
                id,
                text,
                gold,
                output,
                finishReason,
                promptTokens,
                completionTokens,
                latencyMs,
                error,
                attempts,
                label,
                votes,
                outputs,
                constraint,
                false,
                null,
                null);
    }

    /** A record with none of the optional fields: what the seed modes write. */
    public RunRecord(
            String id,
            String text,
            String gold,
            String output,
            String finishReason,
            Integer promptTokens,
            Integer completionTokens,
            long latencyMs,
            String error,
            int attempts) {
        this(
                id,
                text,
                gold,
                output,
                finishReason,
                promptTokens,
                completionTokens,
                latencyMs,
                error,
                attempts,
                null,
                null,
                null,
                null,
                false,
                null,
                null);
    }

    /** This record showing another answer (one of several sampled). */
    public RunRecord withOutput(String output, String finishReason) {
        return copy(
                c -> {
                    c.output = output;
                    c.finishReason = finishReason;
                });
    }

    /** This record with the decided label. */
    public RunRecord withLabel(String label) {
        return withDecision(label, votes, outputs, constraint);
    }

    /** This record with a vote's winner, the votes per label and every sampled answer. */
    public RunRecord withVote(String label, Map<String, Integer> votes, List<String> outputs) {
        return withDecision(label, votes, outputs, constraint);
    }

    /** This record with the answer constraint that was used. */
    public RunRecord withConstraint(String constraint) {
        return withDecision(label, votes, outputs, constraint);
    }

    /** This record with the decided label and how it was reached. */
    public RunRecord withDecision(
            String label, Map<String, Integer> votes, List<String> outputs, String constraint) {
        return copy(
                c -> {
                    c.label = label;
                    c.votes = votes;
                    c.outputs = outputs;
                    c.constraint = constraint;
                });
    }

    /** This record with how its answer kept the constraint and the reasoning that came with it. */
    public RunRecord withAnswerNotes(boolean constraintBroken, String reasoning) {
        return copy(
                c -> {
                    c.constraintBroken = constraintBroken;
                    c.reasoning = reasoning;
                });
    }

    /** This record with how sure the run was. */
    public RunRecord withProbabilities(Probabilities probabilities) {
        return copy(c -> c.probabilities = probabilities);
    }

    /**
     * This record marked as answered from the answer store, from run {@code runId} (null: sent to
     * the server).
     */
    public RunRecord withCachedFrom(String runId) {
        return copy(c -> c.cachedFrom = runId);
    }

    /**
     * This record of a multi-label example, whose gold labels are {@code goldLabels} (null: a
     * single-label one).
     */
    public RunRecord withGoldLabels(List<String> goldLabels) {
        return copy(
                c -> {
                    c.gold = goldLabels == null ? gold : null;
                    c.goldLabels = goldLabels;
                });
    }

    /** This multi-label record with the set of labels its answer names. */
    public RunRecord withLabels(List<String> labels) {
        return copy(c -> c.labels = labels);
    }

    /**
     * Whether this is an answer with no content: no error, and an empty {@code output} (and no
     * decided label).
     */
    public boolean emptyAnswer() {
        return error == null && (output == null || output.isBlank()) && label == null;
    }
}
