package dev.llmcls.run;

import dev.llmcls.label.LabelLikelihood;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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

    /** Label-bias corrections: Zhao et al. 2021 (content-free inputs) and Zhou et al. 2024 (the run's own mean). */
    public enum Calibrate {
        NONE, CONTEXTUAL, BATCH;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Scoring {
        calibrate = calibrate == null ? Calibrate.NONE : calibrate;
        normalisation = normalisation == null ? LabelLikelihood.Normalisation.SUM : normalisation;
        answerPrefix = answerPrefix == null ? DEFAULT_ANSWER_PREFIX : answerPrefix;
    }

    /** The manifest's settings (compared on resume); nothing for a plain generated answer. */
    Map<String, Object> settings() {
        var settings = new LinkedHashMap<String, Object>();
        if (likelihood) {
            settings.putAll(LikelihoodTask.settings(answerPrefix, normalisation));
        }
        if (confidence) {
            settings.put("confidence", true);
            settings.put("top_logprobs", topLogprobs);
        }
        if (calibrate != Calibrate.NONE) {
            settings.put("calibrate", calibrate.key());
        }
        return settings;
    }
}
