package dev.llmcls.testing;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A demonstration pool for the demonstration tests: labels A and B, texts "pool text i" labelled by
 * parity.
 */
public final class TwoLabelPool {
    public static final LabelSet LABELS = LabelSet.parse("A,B");

    private TwoLabelPool() {}

    /**
     * {@code size} examples: id {@code p<i>}, text {@code pool text <i>}, label A for even i, B for
     * odd.
     */
    public static List<Example> of(int size) {
        var pool = new ArrayList<Example>();
        for (int i = 0; i < size; i++) {
            pool.add(new Example("p" + i, "pool text " + i, i % 2));
        }
        return pool;
    }
}
