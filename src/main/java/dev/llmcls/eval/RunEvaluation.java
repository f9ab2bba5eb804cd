package dev.llmcls.eval;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scores of one run file under each scorer ({@code scores}: scorer key → result, in {@link
 * Scorers#ALL} order). {@code records} counts examples: a record superseded by a newer one for the
 * same id (a failure, then its retry on resume) is not counted. {@code voting} and {@code tokens}
 * are null when no record has votes or usage. {@code noContent} counts answers with no content (a
 * reasoning model that spent its token budget reasoning); {@code constraintBroken} the answers that
 * do not keep the run's {@code --constrain} (null when there are none). Both are in the JSON only
 * when there are some. {@code probabilities}: some record carries {@code label_probs}, {@code
 * confidence} or {@code vote_share} (not in JSON).
 */
public record RunEvaluation(
        String file,
        long records,
        Map<String, ScorerResult> scores,
        long errors,
        List<String> labels,
        VotingSummary voting,
        TokenUsage tokens,
        long noContent,
        Long constraintBroken,
        int truncatedLines,
        boolean probabilities) {

    public RunEvaluation {
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        labels = List.copyOf(labels);
    }

    public ScorerResult score(Scorer scorer) {
        return score(scorer.key());
    }

    public ScorerResult score(String key) {
        ScorerResult result = scores.get(key);
        if (result == null) {
            throw new IllegalArgumentException(
                    "no scorer '" + key + "'; there are " + scores.keySet());
        }
        return result;
    }

    /**
     * {@code file, records}, one object per scorer under its key, {@code errors, labels[, voting][,
     * tokens]}.
     */
    @JsonValue
    Map<String, Object> json() {
        var json = new LinkedHashMap<String, Object>();
        json.put("file", file);
        json.put("records", records);
        json.putAll(scores);
        json.put("errors", errors);
        if (noContent > 0) { // written only when there are some, so older reports stay as they were
            json.put("no_content", noContent);
        }
        if (constraintBroken != null) {
            json.put("constraint_broken", constraintBroken);
        }
        json.put("labels", labels);
        if (voting != null) {
            json.put("voting", voting);
        }
        if (tokens != null) {
            json.put("tokens", tokens);
        }
        return json;
    }
}
