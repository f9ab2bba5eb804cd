package dev.llmcls.llm;

import java.util.List;

/**
 * A model that turns texts into vectors, as llmcls sees it: the bundled ONNX models of {@link EmbeddingModels} are
 * langchain4j's, and this interface keeps langchain4j's types inside this package. Vectors are as the model gives
 * them (not normalised).
 */
public interface TextEmbeddingModel {
    float[] embed(String text);

    /** One vector per text, in order. */
    List<float[]> embedAll(List<String> texts);
}
