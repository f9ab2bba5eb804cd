package dev.llmcls.run.prompting;

import dev.llmcls.core.RecordedSettings;
import dev.llmcls.data.LabelSet;
import dev.llmcls.label.AnswerConfidence;
import dev.llmcls.label.AnswerParser;
import dev.llmcls.label.Constraint;
import dev.llmcls.label.LabelDistribution;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.runfile.ConfidenceSettings;
import dev.llmcls.runfile.RunRecord;
import java.util.List;

/**
 * {@code --confidence}: asks for each answer token's log-probability and {@code topLogprobs}
 * alternatives ({@code logprobs: true}, {@code top_logprobs}) and records how sure the model was of
 * the decided label ({@code confidence}, and {@code label_probs} where the answer allows a full
 * distribution; see {@link AnswerConfidence}). Decides after the vote and the constraint, reading
 * the answer the record shows.
 */
public final class ConfidentMethod implements PromptMethod {
    private final int topLogprobs;
    private final LabelSet labels;
    private final Constraint constraint;

    /**
     * @param constraint the run's answer constraint: a {@code choice} answer starts with the label
     */
    public ConfidentMethod(int topLogprobs, LabelSet labels, Constraint constraint) {
        if (topLogprobs < 1) {
            throw new IllegalArgumentException(
                    "at least one alternative per token, got " + topLogprobs);
        }
        this.topLogprobs = topLogprobs;
        this.labels = labels;
        this.constraint = constraint == null ? Constraint.NONE : constraint;
    }

    @Override
    public RecordedSettings settings() {
        return new ConfidenceSettings(topLogprobs);
    }

    @Override
    public ChatOptions options(ChatOptions options) {
        return options.withTopLogprobs(topLogprobs);
    }

    @Override
    public RunRecord decide(RunRecord record, Completion answer, AnswerParser parser) {
        Completion.Choice shown =
                answer.choices().stream()
                        .filter(c -> c.text().equals(record.output()))
                        .findFirst()
                        .orElse(answer.choices().get(0));
        String label = record.label() != null ? record.label() : parser.label(shown.text());
        AnswerConfidence.Result result = null;
        if (label != null && shown.logprobs() != null) {
            List<AnswerConfidence.Token> tokens =
                    shown.logprobs().stream()
                            .map(
                                    t ->
                                            new AnswerConfidence.Token(
                                                    t.token(),
                                                    t.logprob(),
                                                    t.top().stream()
                                                            .map(
                                                                    a ->
                                                                            new AnswerConfidence
                                                                                    .Alternative(
                                                                                    a.token(),
                                                                                    a.logprob()))
                                                            .toList()))
                            .toList();
            result =
                    constraint == Constraint.CHOICE
                            ? AnswerConfidence.forChoice(tokens, label, labels.names())
                            : AnswerConfidence.forFreeAnswer(
                                    tokens, shown.text(), label, labels.names());
        }
        RunRecord.Probabilities before = record.probabilities();
        var probabilities =
                new RunRecord.Probabilities(
                        null,
                        result == null || result.distribution() == null
                                ? null
                                : LabelDistribution.byName(labels.names(), result.distribution()),
                        null,
                        null,
                        result == null ? null : result.confidence(),
                        before == null ? null : before.voteShare(),
                        null,
                        result == null ? null : result.unlisted());
        return record.withLabel(label).withProbabilities(probabilities);
    }
}
