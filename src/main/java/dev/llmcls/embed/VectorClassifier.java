package dev.llmcls.embed;

/**
 * Classifies a text from its embedding (and the text, which kNN uses to skip an identical pool
 * entry).
 */
public interface VectorClassifier {
    Decision classify(float[] vector, String text);
}
