package dev.llmcls.run;

import dev.llmcls.core.RecordedSettings;
import dev.llmcls.core.RunRecord;
import dev.llmcls.data.LabelSet;
import dev.llmcls.label.AnswerParser;
import dev.llmcls.label.Constraint;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import java.util.LinkedHashMap;

/**
 * An answer constraint ({@code choice} or {@code json}): sends its request parameters, reads the label out of the
 * constrained answer, and records the constraint used.
 */
public final class Constraining implements PromptMethod {
    private final Constraint constraint;
    private final LabelSet labels;

    public Constraining(Constraint constraint, LabelSet labels) {
        if (constraint == Constraint.NONE) {
            throw new IllegalArgumentException("no constraint to impose");
        }
        this.constraint = constraint;
        this.labels = labels;
    }

    @Override
    public RecordedSettings settings() {
        return new ConstraintSettings(constraint.recordName());
    }

    @Override
    public ChatOptions options(ChatOptions options) {
        var parameters = new LinkedHashMap<>(options.extraParameters());
        parameters.putAll(constraint.requestParameters(labels.names()));
        return options.withExtraParameters(parameters);
    }

    @Override
    public Constraint constraint() {
        return constraint;
    }

    @Override
    public RunRecord decide(RunRecord record, Completion answer, AnswerParser parser) {
        RunRecord constrained = record.withConstraint(constraint.recordName());
        // with several sampled answers, the vote decides the label
        return answer.choices().size() == 1 ? constrained.withLabel(parser.label(answer.text())) : constrained;
    }
}
