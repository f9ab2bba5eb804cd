package dev.llmcls.eval;

import dev.llmcls.data.LabelSet;
import dev.llmcls.label.StrictRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The strict reading ({@link StrictRule}, with aliases). A record's {@code label} (a constrained or
 * voting run's decision) is the prediction when present; else its {@code votes} (a tie is several
 * labels); else its output.
 */
public final class StrictScorer implements Scorer {
    @Override
    public String key() {
        return "strict";
    }

    @Override
    public String description() {
        return "the text after the last label marker, names and aliases as whole words in any case;"
                + " exactly one label is the answer.";
    }

    @Override
    public Reading reading(LabelSet labels) {
        var strict = new StrictRule(labels);
        return (record, gold) -> {
            int prediction;
            Map<String, Integer> votes = record.votes();
            if (record.label() != null) {
                prediction = strict.resolve(record.label());
            } else if (votes != null && !votes.isEmpty()) {
                List<String> top = topVoted(votes);
                prediction = top.size() == 1 ? strict.resolve(top.get(0)) : MULTI_LABEL;
            } else {
                prediction = strict.predict(record.output());
            }
            return new Verdict(prediction, prediction == gold);
        };
    }

    /** The labels with the most votes (several on a tie). */
    static List<String> topVoted(Map<String, Integer> votes) {
        int max = votes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        var top = new ArrayList<String>();
        votes.forEach(
                (name, count) -> {
                    if (count == max) {
                        top.add(name);
                    }
                });
        return top;
    }
}
