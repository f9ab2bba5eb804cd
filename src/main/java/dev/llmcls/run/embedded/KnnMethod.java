package dev.llmcls.run.embedded;

import dev.llmcls.core.RecordedSettings;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.LabelSet;
import dev.llmcls.embed.Embedder;
import dev.llmcls.embed.EmbeddingSettings;
import dev.llmcls.embed.KnnClassifier;
import dev.llmcls.run.task.ExampleTask;
import dev.llmcls.runfile.KnnSettings;
import java.util.function.Consumer;

/**
 * A vote of the {@code k} most similar texts of a labelled pool ({@code --mode knn --train FILE --k
 * K}).
 */
public record KnnMethod(EmbeddingSettings embedding, DatasetSpec train, int k)
        implements EmbeddedMethod {
    public KnnMethod {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
    }

    @Override
    public String model() {
        return embedding.model();
    }

    @Override
    public RecordedSettings settings(LabelSet labels) {
        return new KnnSettings(embedding.model(), k, TrainingPool.check(train, labels));
    }

    @Override
    public ExampleTask task(LabelSet labels, Consumer<String> log) {
        Embedder embedder = embedding.open();
        return new EmbeddingTask(
                embedder,
                new KnnClassifier(TrainingPool.embedded(train, labels, embedder, log), labels, k),
                labels);
    }
}
