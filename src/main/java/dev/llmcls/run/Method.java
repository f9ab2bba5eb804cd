package dev.llmcls.run;

import dev.llmcls.data.DatasetSpec;
import dev.llmcls.embed.EmbeddingSettings;
import dev.llmcls.label.Constraint;
import dev.llmcls.prompt.Demonstrations;

/**
 * How a {@code classify} run decides, beyond the seed's one prompt per text: an embedded classifier instead of a
 * server ({@code embedded} non-null), few-shot demonstrations, several sampled answers with a majority vote, and an
 * answer constraint. {@link #SEED} is the seed experiment's plain method.
 */
public record Method(Embedded embedded, Demos demos, int votes, Constraint constraint) {
    public static final Method SEED = new Method(null, null, 1, Constraint.NONE);

    /** The classifiers that run in-process, with no server. */
    public enum Classifier { SIMILARITY, KNN }

    /**
     * An in-process classifier: zero-shot similarity to the label descriptions, or a kNN vote over the {@code train}
     * pool with {@code k} neighbours.
     */
    public record Embedded(Classifier classifier, EmbeddingSettings embedding, DatasetSpec train, int k) {
    }

    /** {@code shots} demonstrations a prompt, drawn from {@code train}; {@code embedding} is used for kNN. */
    public record Demos(int shots, Demonstrations.Selection selection, DatasetSpec train, EmbeddingSettings embedding,
            long seed) {
    }

    public Method {
        if (votes < 1) {
            throw new IllegalArgumentException("votes must be at least 1, got " + votes);
        }
        constraint = constraint == null ? Constraint.NONE : constraint;
    }

    /** Whether records carry the decided label: any method but the seed's plain prompt. */
    public boolean decides() {
        return votes > 1 || constraint != Constraint.NONE;
    }
}
