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

    public int size() {
        return examples.size();
    }

    public Example example(int index) {
        return examples.get(index);
    }

    public List<Example> examples() {
        return examples;
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
     */
    public List<Neighbour> nearest(float[] query, String queryText, int k) {
        int[] best = new int[k];
        float[] bestSim = new float[k];
        int count = 0;
        for (int i = 0; i < vectors.length; i++) {
            float sim = Vectors.dot(query, vectors[i]);
            if (count == k && sim <= bestSim[k - 1]) {
                continue;
            }
            if (queryText != null && examples.get(i).text().equals(queryText)) {
                continue;
            }
            int at = count < k ? count++ : k - 1;
            while (at > 0 && bestSim[at - 1] < sim) {
                best[at] = best[at - 1];
                bestSim[at] = bestSim[at - 1];
                at--;
            }
            best[at] = i;
            bestSim[at] = sim;
        }
        var out = new ArrayList<Neighbour>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Neighbour(best[i], bestSim[i]));
        }
        return out;
    }
}
