package dev.llmcls.run;

import dev.llmcls.core.RecordedSettings;
import dev.llmcls.label.LabelLikelihood;

/**
 * {@code --scoring likelihood}: instead of letting the model write, each label is scored by its log-likelihood after
 * the answer written up to it ({@link LikelihoodTask} runs the examples); {@code calibrate} names the label-bias
 * correction {@code evaluate} applies (contextual also scores the content-free inputs before the run).
 */
public record LikelihoodScoring(LabelLikelihood.Normalisation normalisation, String answerPrefix,
        Scoring.Calibrate calibrate) implements PromptMethod {

    @Override
    public RecordedSettings settings() {
        return new Scoring(true, normalisation, answerPrefix, false, Scoring.DEFAULT_TOP_LOGPROBS, calibrate).settings();
    }
}
