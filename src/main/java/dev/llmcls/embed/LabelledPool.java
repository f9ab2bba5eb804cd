package dev.llmcls.embed;

import dev.llmcls.core.InputException;
import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.Example;
import dev.llmcls.data.ExampleSource;
import dev.llmcls.data.LabelSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A labelled training pool with each text's embedding: the neighbours of the kNN classifier and the candidates for
 * kNN demonstrations. {@link #nearest} is an exact search (one dot product per pool text), which at 5,000 texts
 * and 384 dimensions is a fraction of a millisecond.
 */
public final class LabelledPool {
    private final List<Example> examples;
    private final float[][] vectors;

    public LabelledPool(List<Example> examples, List<float[]> vectors) {
        if (examples.size() != vectors.size()) {
            throw new IllegalArgumentException(examples.size() + " examples but " + vectors.size() + " vectors");
        }
        this.examples = List.copyOf(examples);
        this.vectors = vectors.toArray(new float[0][]);
    }

    /** Reads every example of the pool file; the file must hold at least one. */
    public static List<Example> read(DatasetSpec spec, LabelSet labels) {
        var examples = new ArrayList<Example>();
        try (ExampleSource source = DatasetReader.open(spec, labels)) {
            source.forEachRemaining(examples::add);
        }
        if (examples.isEmpty()) {
            throw new InputException("the training pool " + spec.file() + " holds no examples");
        }
        return examples;
    }

    public Example example(int index) {
        return examples.get(index);
    }

    /** A pool text and how similar it is to the query. */
    public record Neighbour(int index, float similarity) {
    }

    /** The examples of {@link #nearest}, most similar first. */
    public List<Example> nearestExamples(float[] query, String queryText, int k) {
        return nearest(query, queryText, k).stream().map(n -> examples.get(n.index())).toList();
    }

    /**
     * The {@code k} pool texts most similar to {@code query}, most similar first (ties by pool order), leaving out
     * any pool text identical to {@code queryText} so that an example is never its own neighbour.
     *
     * <p>Similarities are computed four pool vectors at a time: four independent sums keep the processor busy where
     * one sum waits on its previous addition, and each sum still adds its products in index order, so every
     * similarity is bit for bit {@link Vectors#dot}.
     */
    public List<Neighbour> nearest(float[] query, String queryText, int k) {
        var best = new Best(k);
        int dimension = query.length;
        int n = vectors.length;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            float[] v0 = vectors[i];
            float[] v1 = vectors[i + 1];
            float[] v2 = vectors[i + 2];
            float[] v3 = vectors[i + 3];
            if (v0.length != dimension || v1.length != dimension || v2.length != dimension || v3.length != dimension) {
                throw new IllegalArgumentException("a pool vector's length differs from the query's " + dimension);
            }
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            for (int d = 0; d < dimension; d++) {
                float q = query[d];
                s0 += q * v0[d];
                s1 += q * v1[d];
                s2 += q * v2[d];
                s3 += q * v3[d];
            }
            offer(best, i, s0, queryText);
            offer(best, i + 1, s1, queryText);
            offer(best, i + 2, s2, queryText);
            offer(best, i + 3, s3, queryText);
        }
        for (; i < n; i++) {
            offer(best, i, Vectors.dot(query, vectors[i]), queryText);
        }
        var out = new ArrayList<Neighbour>(best.count);
        for (int r = 0; r < best.count; r++) {
            out.add(new Neighbour(best.index[r], best.similarity[r]));
        }
        return out;
    }

    private void offer(Best best, int i, float sim, String queryText) {
        int k = best.index.length;
        if (best.count == k && sim <= best.similarity[k - 1]) {
            return;
        }
        if (queryText != null && examples.get(i).text().equals(queryText)) {
            return;
        }
        int at = best.count < k ? best.count++ : k - 1;
        while (at > 0 && best.similarity[at - 1] < sim) {
            best.index[at] = best.index[at - 1];
            best.similarity[at] = best.similarity[at - 1];
            at--;
        }
        best.index[at] = i;
        best.similarity[at] = sim;
    }

    /** The best {@code k} so far, most similar first. */
    private static final class Best {
        final int[] index;
        final float[] similarity;
        int count;

        Best(int k) {
            index = new int[k];
            similarity = new float[k];
        }
    }
}
