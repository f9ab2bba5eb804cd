package dev.llmcls.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The scores of one run file under each scorer. {@code records} counts examples: a record superseded by a newer one
 * for the same id (a failure, then its retry on resume) is not counted. {@code noContent} counts answers with no
 * content (a reasoning model that spent its token budget reasoning); {@code constraintBroken} the answers that do not
 * keep the run's {@code --constrain} (null for a run without one).
 */
@JsonPropertyOrder({"file", "records", "seed", "strict", "errors", "no_content", "constraint_broken", "labels",
        "voting", "tokens"})
public record RunEvaluation(
        String file,
        long records,
        ScorerResult seed,
        ScorerResult strict,
        long errors,
        List<String> labels,
        @JsonInclude(JsonInclude.Include.NON_NULL) VotingSummary voting,
        @JsonInclude(JsonInclude.Include.NON_NULL) TokenUsage tokens,
        @JsonProperty("no_content") long noContent,
        @JsonProperty("constraint_broken") @JsonInclude(JsonInclude.Include.NON_NULL) Long constraintBroken,
        @JsonIgnore int truncatedLines) {

    public ScorerResult scorer(Scorer scorer) {
        return scorer == Scorer.SEED ? seed : strict;
    }
}
