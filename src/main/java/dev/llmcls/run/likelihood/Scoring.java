package dev.llmcls.run.likelihood;

import dev.llmcls.run.prompting.ConfidentMethod;
import java.util.Locale;

/**
 * The choices of how a prompting run reads probabilities ({@code --scoring}, {@code --calibrate})
 * and their defaults. The methods themselves are {@link LikelihoodScoring} and {@link
 * ConfidentMethod}.
 */
public final class Scoring {
    public static final String DEFAULT_ANSWER_PREFIX = "label: ";

    /**
     * vLLM's default {@code --max-logprobs}: asking for more alternatives is answered with a 400.
     */
    public static final int DEFAULT_TOP_LOGPROBS = 20;

    private Scoring() {}

    /**
     * How a prompting run reads the label: the model writes an answer, or each label is scored by
     * likelihood.
     */
    public enum Kind {
        GENERATE,
        LIKELIHOOD;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Label-bias corrections: Zhao et al. 2021 (content-free inputs) and Zhou et al. 2024 (the
     * run's own mean).
     */
    public enum Calibrate {
        NONE,
        CONTEXTUAL,
        BATCH;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return key();
        }
    }
}
