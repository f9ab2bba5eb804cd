package dev.llmcls.run.likelihood;

import dev.llmcls.core.RecordedSettings;
import dev.llmcls.label.LabelLikelihood;
import dev.llmcls.runfile.LikelihoodSettings;

/**
 * {@code --scoring likelihood}: instead of letting the model write, each label is scored by its
 * log-likelihood after the answer written up to it ({@link LikelihoodTask} runs the examples);
 * {@code calibrate} names the label-bias correction {@code evaluate} applies (contextual also
 * scores the content-free inputs before the run).
 */
public record LikelihoodScoring(
        LabelLikelihood.Normalisation normalisation,
        String answerPrefix,
        Scoring.Calibrate calibrate) {
    public LikelihoodScoring {
        calibrate = calibrate == null ? Scoring.Calibrate.NONE : calibrate;
    }

    /** What the manifest records (and a resume compares). */
    public RecordedSettings settings() {
        return new LikelihoodSettings(
                normalisation.toString(),
                answerPrefix,
                LikelihoodTask.PROMPT_LOGPROBS,
                calibrate == Scoring.Calibrate.NONE ? null : calibrate.key());
    }
}
