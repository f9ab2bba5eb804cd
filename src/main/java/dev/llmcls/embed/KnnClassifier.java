package dev.llmcls.embed;

import dev.llmcls.data.LabelSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * k-nearest-neighbour vote over a labelled pool: the label most of the {@code k} most similar pool
 * texts carry. A tie goes to the tied label whose neighbours are more similar in sum, then to the
 * earlier label.
 */
public final class KnnClassifier implements VectorClassifier {
    private final LabelledPool pool;
    private final LabelSet labels;
    private final int k;

    public KnnClassifier(LabelledPool pool, LabelSet labels, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        this.pool = pool;
        this.labels = labels;
        this.k = k;
    }

    @Override
    public Decision classify(float[] vector, String text) {
        List<LabelledPool.Neighbour> neighbours = pool.nearest(vector, text, k);
        int[] counts = new int[labels.size()];
        double[] similarity = new double[labels.size()];
        for (LabelledPool.Neighbour neighbour : neighbours) {
            int label = pool.example(neighbour.index()).gold();
            counts[label]++;
            similarity[label] += neighbour.similarity();
        }
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]
                    || (counts[i] == counts[best] && similarity[i] > similarity[best])) {
                best = i;
            }
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                votes.put(labels.name(i), counts[i]);
            }
        }
        return new Decision(best, votes);
    }
}
