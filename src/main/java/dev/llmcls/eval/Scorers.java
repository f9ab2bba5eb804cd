package dev.llmcls.eval;

import java.util.List;

/**
 * The registered scorers, in report order, and the one the HTML page, example lists and warnings
 * lead with.
 */
public final class Scorers {
    /** Every scorer, each reported on its own; add a new one here. */
    public static final List<Scorer> ALL = List.of(new SeedScorer(), new StrictScorer());

    /** The scorer shown first: the strict reading. */
    public static final Scorer PRIMARY = ALL.get(1);

    private Scorers() {}

    /** The position of {@code scorer} in {@link #ALL}. */
    public static int indexOf(Scorer scorer) {
        int index = ALL.indexOf(scorer);
        if (index < 0) {
            throw new IllegalArgumentException("scorer '" + scorer.key() + "' is not registered");
        }
        return index;
    }
}
