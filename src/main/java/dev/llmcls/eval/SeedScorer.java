package dev.llmcls.eval;

import dev.llmcls.data.LabelSet;
import dev.llmcls.label.SeedRule;
import dev.llmcls.label.ShortTextMemo;
import java.util.List;

/** The seed experiment's rule ({@link SeedRule}), kept exactly; it always reads {@code output}. */
public final class SeedScorer implements Scorer {
    @Override
    public String key() {
        return "seed";
    }

    @Override
    public String description() {
        return "the seed experiment's rule, unchanged.";
    }

    /**
     * What the rule finds in a tail: the prediction code, and the found names joined by spaces
     * (right when gold).
     */
    private record Found(int prediction, String joined) {}

    @Override
    public Reading reading(LabelSet labels) {
        var seed = new SeedRule(labels.names());
        // SeedRule.score(output, gold): the names found in the tail, right when they joined by
        // spaces equal gold.
        // The names depend on the tail alone, so short tails have them remembered.
        var memo = new ShortTextMemo<Found>();
        return (record, gold) -> {
            String tail = SeedRule.tail(record.output() == null ? "" : record.output());
            Found found =
                    memo.get(
                            tail,
                            text -> {
                                List<String> names = seed.findInTail(text);
                                int prediction =
                                        switch (names.size()) {
                                            case 0 -> NO_LABEL;
                                            case 1 -> labels.indexOf(names.get(0)).orElseThrow();
                                            default -> MULTI_LABEL;
                                        };
                                return new Found(prediction, String.join(" ", names));
                            });
            return new Verdict(found.prediction(), found.joined().equals(record.gold()));
        };
    }
}
