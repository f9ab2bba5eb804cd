package dev.llmcls.run;

import dev.llmcls.label.LabelLikelihood;
import java.util.Locale;

/**
 * How a prompting run reads probabilities: {@code likelihood} scores each label by its log-likelihood instead of
 * generating an answer; {@code confidence} asks for the answer's token log-probabilities ({@code topLogprobs}
 * alternatives each) and records how sure the model was; {@code calibrate} names the label-bias correction that
 * {@code evaluate} applies to the run's distributions (contextual also makes {@code classify} score the
 * content-free inputs). {@link #GENERATE} is the plain generated answer.
 */
public record Scoring(boolean likelihood, LabelLikelihood.Normalisation normalisation, String answerPrefix,
        boolean confidence, int topLogprobs, Calibrate calibrate) {
    public static final String DEFAULT_ANSWER_PREFIX = "label: ";
    /** vLLM's default {@code --max-logprobs}: asking for more alternatives is answered with a 400. */
    public static final int DEFAULT_TOP_LOGPROBS = 20;
    public static final Scoring GENERATE = new Scoring(false, LabelLikelihood.Normalisation.SUM,
            DEFAULT_ANSWER_PREFIX, false, DEFAULT_TOP_LOGPROBS, Calibrate.NONE);

    /** How a prompting run reads the label: the model writes an answer, or each label is scored by likelihood. */
    public enum Kind {
        GENERATE, LIKELIHOOD;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Label-bias corrections: Zhao et al. 2021 (content-free inputs) and Zhou et al. 2024 (the run's own mean). */
    public enum Calibrate {
        NONE, CONTEXTUAL, BATCH;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return key();
        }
    }

    public Scoring {
        calibrate = calibrate == null ? Calibrate.NONE : calibrate;
        normalisation = normalisation == null ? LabelLikelihood.Normalisation.SUM : normalisation;
        answerPrefix = answerPrefix == null ? DEFAULT_ANSWER_PREFIX : answerPrefix;
    }

    /** The manifest's settings (compared on resume); null for a plain generated answer. */
    ScoringSettings settings() {
        if (!likelihood && !confidence && calibrate == Calibrate.NONE) {
            return null;
        }
        return new ScoringSettings(likelihood ? "likelihood" : null,
                likelihood ? normalisation.name().toLowerCase(Locale.ROOT) : null, likelihood ? answerPrefix : null,
                likelihood ? LikelihoodTask.PROMPT_LOGPROBS : null, confidence ? Boolean.TRUE : null,
                confidence ? Integer.valueOf(topLogprobs) : null, calibrate == Calibrate.NONE ? null : calibrate.key());
    }
}
