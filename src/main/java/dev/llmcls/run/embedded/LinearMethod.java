package dev.llmcls.run.embedded;

import dev.llmcls.core.InputException;
import dev.llmcls.core.RecordedSettings;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.LabelSet;
import dev.llmcls.embed.Embedder;
import dev.llmcls.embed.EmbeddingSettings;
import dev.llmcls.embed.LinearClassifier;
import dev.llmcls.learn.SoftmaxRegression;
import dev.llmcls.run.task.ExampleTask;
import dev.llmcls.runfile.LinearSettings;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The linear probe ({@code --mode linear --train FILE}): multinomial logistic regression on the
 * embeddings, trained on the labelled pool in-process, its L2 penalty chosen by {@value
 * SoftmaxRegression#FOLDS}-fold cross-validation on the pool alone. Records {@code label_probs}.
 */
public record LinearMethod(EmbeddingSettings embedding, DatasetSpec train)
        implements EmbeddedMethod {
    @Override
    public String model() {
        return embedding.model();
    }

    @Override
    public RecordedSettings settings(LabelSet labels) {
        return new LinearSettings(embedding.model(), TrainingPool.check(train, labels));
    }

    @Override
    public ExampleTask task(LabelSet labels, Consumer<String> log) {
        Embedder embedder = embedding.open();
        TrainingPool.Embedded pool = TrainingPool.embed(train, labels, embedder, log);
        if (pool.examples().size() < SoftmaxRegression.FOLDS) {
            throw new InputException(
                    "--mode linear needs at least "
                            + SoftmaxRegression.FOLDS
                            + " examples in the training pool (for its cross-validation); "
                            + train.file()
                            + " holds "
                            + pool.examples().size());
        }
        long started = System.nanoTime();
        SoftmaxRegression.Fit fit =
                LinearClassifier.train(
                        pool.examples(),
                        pool.vectors(),
                        labels,
                        Runtime.getRuntime().availableProcessors());
        SoftmaxRegression.Score chosen =
                fit.scores().stream()
                        .filter(s -> s.lambda() == fit.lambda())
                        .findFirst()
                        .orElseThrow();
        log.accept(
                String.format(
                        Locale.ROOT,
                        "linear probe trained in %.1f s: penalty %g chosen by %d-fold"
                            + " cross-validation on the pool (held-out accuracy %.2f %%, log-loss"
                            + " %.4f)",
                        (System.nanoTime() - started) / 1e9,
                        fit.lambda(),
                        SoftmaxRegression.FOLDS,
                        100 * chosen.accuracy(),
                        chosen.logLoss()));
        for (SoftmaxRegression.Score score : fit.scores()) {
            log.accept(
                    String.format(
                            Locale.ROOT,
                            "  penalty %-8g held-out accuracy %.2f %%, log-loss %.4f",
                            score.lambda(),
                            100 * score.accuracy(),
                            score.logLoss()));
        }
        return new EmbeddingTask(embedder, new LinearClassifier(fit.model()), labels);
    }
}
