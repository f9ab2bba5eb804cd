package dev.llmcls.run.embedded;

import dev.llmcls.core.InputException;
import dev.llmcls.core.RecordedSettings;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.LabelSet;
import dev.llmcls.embed.Embedder;
import dev.llmcls.embed.EmbeddingSettings;
import dev.llmcls.embed.KnnTfidfClassifier;
import dev.llmcls.embed.LabelledPool;
import dev.llmcls.learn.TfidfNaiveBayes;
import dev.llmcls.run.task.ExampleTask;
import dev.llmcls.runfile.KnnSettings;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * kNN averaged with a lexical model ({@code --mode knn-tfidf --train FILE --k K}): the soft vote of
 * the {@code k} most similar pool texts and TF-IDF naive Bayes on the words, mixed with a weight,
 * the vote's temperature and the naive Bayes smoothing all chosen on the pool alone ({@link
 * KnnTfidfClassifier}). Records {@code label_probs} and the neighbours' votes.
 */
public record KnnTfidfMethod(EmbeddingSettings embedding, DatasetSpec train, int k)
        implements EmbeddedMethod {
    /** Cross-validation folds of the word model. */
    static final int FOLDS = 5;

    public KnnTfidfMethod {
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
        return new KnnSettings(
                KnnSettings.WITH_WORDS, embedding.model(), k, TrainingPool.check(train, labels));
    }

    @Override
    public ExampleTask task(LabelSet labels, Consumer<String> log) {
        Embedder embedder = embedding.open();
        TrainingPool.Embedded pool = TrainingPool.embed(train, labels, embedder, log);
        if (pool.examples().size() < FOLDS) {
            throw new InputException(
                    "--mode knn-tfidf needs at least "
                            + FOLDS
                            + " examples in the training pool (for its cross-validation); "
                            + train.file()
                            + " holds "
                            + pool.examples().size());
        }
        long started = System.nanoTime();
        var search = new LabelledPool(pool.examples(), pool.vectors());
        KnnTfidfClassifier.Choice choice =
                KnnTfidfClassifier.train(
                        search,
                        pool.examples(),
                        pool.vectors(),
                        labels,
                        k,
                        FOLDS,
                        Runtime.getRuntime().availableProcessors());
        log.accept(
                String.format(
                        Locale.ROOT,
                        "knn-tfidf chosen on the pool in %.1f s: naive Bayes smoothing %g (%d-fold"
                                + " cross-validation, %d words), soft-vote temperature %g, kNN"
                                + " weight %.1f; pool log-loss %.4f, accuracy %.2f %% (kNN alone"
                                + " %.2f %%, words alone %.2f %%)",
                        (System.nanoTime() - started) / 1e9,
                        choice.words().alpha(),
                        FOLDS,
                        choice.words().model().vocabularySize(),
                        choice.temperature(),
                        choice.knnWeight(),
                        choice.logLoss(),
                        100 * choice.accuracy(),
                        100 * choice.knnAccuracy(),
                        100 * wordsAccuracy(choice.words())));
        return new EmbeddingTask(
                embedder,
                new KnnTfidfClassifier(
                        search,
                        labels,
                        k,
                        choice.words().model(),
                        choice.temperature(),
                        choice.knnWeight()),
                labels);
    }

    private static double wordsAccuracy(TfidfNaiveBayes.Fit fit) {
        return fit.scores().stream()
                .filter(s -> s.alpha() == fit.alpha())
                .findFirst()
                .orElseThrow()
                .accuracy();
    }
}
