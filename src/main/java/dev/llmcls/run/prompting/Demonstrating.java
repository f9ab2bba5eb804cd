package dev.llmcls.run.prompting;

import dev.llmcls.core.RecordedSettings;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.embed.Embedder;
import dev.llmcls.embed.EmbeddingSettings;
import dev.llmcls.embed.LabelledPool;
import dev.llmcls.prompt.Demonstrations;
import dev.llmcls.run.embedded.TrainingPool;
import dev.llmcls.runfile.DemoSettings;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Few-shot: fills the template's {@code {examples}} with {@code shots} demonstrations from the
 * training pool, drawn at random per example ({@code seed} and the example id, so a resumed run
 * sends the same prompts) or the most similar by embedding.
 */
public final class Demonstrating implements PromptMethod {
    private final int shots;
    private final Demonstrations.Selection selection;
    private final DatasetSpec train;
    private final EmbeddingSettings embedding;
    private final long seed;
    private final LabelSet labels;
    private DemoSettings settings;
    private Demonstrations demonstrations;

    public Demonstrating(
            int shots,
            Demonstrations.Selection selection,
            DatasetSpec train,
            EmbeddingSettings embedding,
            long seed,
            LabelSet labels) {
        if (shots < 1) {
            throw new IllegalArgumentException(
                    "demonstrations need at least one shot, got " + shots);
        }
        this.shots = shots;
        this.selection = selection;
        this.train = train;
        this.embedding = embedding;
        this.seed = seed;
        this.labels = labels;
    }

    /** Reads the pool once to check it (a malformed pool stops the run before anything is sent). */
    @Override
    public synchronized RecordedSettings settings() {
        if (settings == null) {
            boolean knn = selection == Demonstrations.Selection.KNN;
            settings =
                    new DemoSettings(
                            shots,
                            selection.toString(),
                            TrainingPool.check(train, labels),
                            knn ? embedding.model() : null,
                            knn ? null : seed);
        }
        return settings;
    }

    /** Reads the pool; for kNN also embeds it, which the first time takes a while. */
    @Override
    public void prepare(Consumer<String> log) {
        if (selection == Demonstrations.Selection.RANDOM) {
            demonstrations =
                    Demonstrations.random(LabelledPool.read(train, labels), labels, shots, seed);
        } else {
            Embedder embedder = embedding.open();
            demonstrations =
                    KnnDemonstrations.of(
                            TrainingPool.embedded(train, labels, embedder, log),
                            embedder,
                            labels,
                            shots);
        }
    }

    @Override
    public Map<String, String> templateValues(Example example) throws InterruptedException {
        if (demonstrations == null) {
            throw new IllegalStateException("demonstrations used before prepare()");
        }
        return Map.of("examples", demonstrations.render(example));
    }
}
