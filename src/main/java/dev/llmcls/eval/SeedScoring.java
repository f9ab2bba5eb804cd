package dev.llmcls.eval;

import dev.llmcls.data.LabelSet;
import dev.llmcls.label.SeedScorer;

/** The seed experiment's rule ({@link SeedScorer}), kept exactly; it always reads {@code output}. */
public final class SeedScoring implements Scorer {
    @Override
    public String key() {
        return "seed";
    }

    @Override
    public String description() {
        return "the seed experiment's rule, unchanged.";
    }

    @Override
    public Reading reading(LabelSet labels) {
        var seed = new SeedScorer(labels.names());
        return (record, gold) -> {
            SeedScorer.Verdict verdict = seed.score(record.output() == null ? "" : record.output(), record.gold());
            int prediction = switch (verdict.found().size()) {
                case 0 -> NO_LABEL;
                case 1 -> labels.indexOf(verdict.found().get(0)).orElseThrow();
                default -> MULTI_LABEL;
            };
            return new Verdict(prediction, verdict.right());
        };
    }
}
