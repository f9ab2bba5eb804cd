package dev.llmcls.embed;

import java.util.List;

/**
 * Zero-shot: the label whose description embeds closest to the text (ties go to the earlier label).
 */
public final class SimilarityClassifier implements VectorClassifier {
    private final float[][] labelVectors;

    public SimilarityClassifier(List<float[]> labelVectors) {
        this.labelVectors = labelVectors.toArray(new float[0][]);
    }

    @Override
    public Decision classify(float[] vector, String text) {
        int best = 0;
        float bestSim = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < labelVectors.length; i++) {
            float sim = Vectors.dot(vector, labelVectors[i]);
            if (sim > bestSim) {
                best = i;
                bestSim = sim;
            }
        }
        return new Decision(best, null);
    }
}
