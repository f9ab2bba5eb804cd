package dev.llmcls.run.embedded;

import dev.llmcls.core.RecordedSettings;
import dev.llmcls.data.LabelSet;
import dev.llmcls.embed.Embedder;
import dev.llmcls.embed.EmbeddingSettings;
import dev.llmcls.embed.SimilarityClassifier;
import dev.llmcls.run.task.ExampleTask;
import dev.llmcls.runfile.SimilaritySettings;
import java.util.List;
import java.util.function.Consumer;

/**
 * Zero-shot: each text gets the label whose description ({@link LabelSet#similarityTexts}) embeds
 * closest.
 */
public record SimilarityMethod(EmbeddingSettings embedding) implements EmbeddedMethod {
    @Override
    public String model() {
        return embedding.model();
    }

    @Override
    public RecordedSettings settings(LabelSet labels) {
        return new SimilaritySettings(embedding.model(), labels.similarityTexts());
    }

    @Override
    public ExampleTask task(LabelSet labels, Consumer<String> log) {
        Embedder embedder = embedding.open();
        List<float[]> labelVectors = embedder.embedAll(labels.similarityTexts(), done -> {});
        return new EmbeddingTask(embedder, new SimilarityClassifier(labelVectors), labels);
    }
}
