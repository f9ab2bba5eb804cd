package dev.llmcls.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The scores of one run file under each scorer. {@code records} counts examples: a record superseded by a newer one
 * for the same id (a failure, then its retry on resume) is not counted.
 */
@JsonPropertyOrder({"file", "records", "seed", "strict", "errors", "labels", "voting", "tokens"})
public record RunEvaluation(
        String file,
        long records,
        ScorerResult seed,
        ScorerResult strict,
        long errors,
        List<String> labels,
        @JsonInclude(JsonInclude.Include.NON_NULL) VotingSummary voting,
        @JsonInclude(JsonInclude.Include.NON_NULL) TokenUsage tokens,
        @JsonIgnore int truncatedLines) {

    public ScorerResult scorer(Scorer scorer) {
        return scorer == Scorer.SEED ? seed : strict;
    }
}
