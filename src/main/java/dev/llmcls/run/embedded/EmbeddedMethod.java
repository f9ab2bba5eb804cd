package dev.llmcls.run.embedded;

import dev.llmcls.core.RecordedSettings;
import dev.llmcls.data.LabelSet;
import dev.llmcls.run.task.ExampleTask;
import java.util.function.Consumer;

/**
 * A classifier that runs in-process instead of prompting a server ({@code --mode
 * similarity|knn|linear|knn-tfidf}): one implementation per kind ({@link SimilarityMethod}, {@link
 * KnnMethod}, {@link LinearMethod}, {@link KnnTfidfMethod}). Its embedding model stands in for the
 * model in the manifest.
 */
public interface EmbeddedMethod {
    /** The bundled embedding model's name. */
    String model();

    /**
     * What the manifest records (and a resume compares); a training pool is read once here to check
     * it.
     */
    RecordedSettings settings(LabelSet labels);

    /**
     * The task that classifies one example; embedding a training pool may take a while, said
     * through {@code log}.
     */
    ExampleTask task(LabelSet labels, Consumer<String> log);
}
