package dev.llmcls.embed;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.learn.SoftmaxRegression;
import java.util.ArrayList;
import java.util.List;

/**
 * The linear probe: multinomial logistic regression on the embeddings, trained on a labelled pool
 * with its penalty chosen by cross-validation on that pool alone ({@link
 * SoftmaxRegression#crossValidated}). It decides the most probable label (ties: the earlier label)
 * and gives every label's probability.
 */
public final class LinearClassifier implements VectorClassifier {
    private final SoftmaxRegression.Model model;

    public LinearClassifier(SoftmaxRegression.Model model) {
        this.model = model;
    }

    /**
     * Trains on the pool's vectors and gold labels (cross-validation runs on up to {@code threads}
     * threads).
     */
    public static SoftmaxRegression.Fit train(
            List<Example> examples, List<float[]> vectors, LabelSet labels, int threads) {
        if (examples.size() != vectors.size()) {
            throw new IllegalArgumentException(
                    examples.size() + " examples but " + vectors.size() + " vectors");
        }
        int[] y = new int[examples.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = examples.get(i).gold();
        }
        int folds = Math.min(SoftmaxRegression.FOLDS, examples.size());
        return SoftmaxRegression.crossValidated(
                vectors.toArray(new float[0][]), y, labels.size(), folds, threads);
    }

    @Override
    public Decision classify(float[] vector, String text) {
        double[] probabilities = model.probabilities(vector);
        int best = 0;
        var list = new ArrayList<Double>(probabilities.length);
        for (int c = 0; c < probabilities.length; c++) {
            list.add(probabilities[c]);
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        return new Decision(best, null, List.copyOf(list));
    }
}
