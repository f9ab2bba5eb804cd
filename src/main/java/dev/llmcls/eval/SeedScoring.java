package dev.llmcls.eval;

import dev.llmcls.data.LabelSet;
import dev.llmcls.label.SeedScorer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    /** Tails up to this length have their reading remembered, at most this many. */
    static final int MEMO_MAX_LENGTH = 64;
    static final int MEMO_MAX_ENTRIES = 4096;

    /** What the rule finds in a tail: the prediction code, and the found names joined by spaces (right when gold). */
    private record Found(int prediction, String joined) {
    }

    @Override
    public Reading reading(LabelSet labels) {
        var seed = new SeedScorer(labels.names());
        // SeedScorer.score(output, gold): the names found in the tail, right when they joined by spaces equal gold.
        // The names depend on the tail alone, and answers end alike ("label: Sports"), so short tails are remembered.
        Map<String, Found> memo = new ConcurrentHashMap<>();
        return (record, gold) -> {
            String tail = SeedScorer.tail(record.output() == null ? "" : record.output());
            Found found = tail.length() <= MEMO_MAX_LENGTH ? memo.get(tail) : null;
            if (found == null) {
                List<String> names = seed.findInTail(tail);
                int prediction = switch (names.size()) {
                    case 0 -> NO_LABEL;
                    case 1 -> labels.indexOf(names.get(0)).orElseThrow();
                    default -> MULTI_LABEL;
                };
                found = new Found(prediction, String.join(" ", names));
                if (tail.length() <= MEMO_MAX_LENGTH && memo.size() < MEMO_MAX_ENTRIES) {
                    memo.put(tail, found);
                }
            }
            return new Verdict(found.prediction(), found.joined().equals(record.gold()));
        };
    }
}
