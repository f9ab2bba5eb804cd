package dev.llmcls.run.prompting;

import dev.llmcls.core.RecordedSettings;
import dev.llmcls.data.LabelSet;
import dev.llmcls.label.AnswerParser;
import dev.llmcls.label.Constraint;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.ServerInfo;
import dev.llmcls.runfile.ConstraintSettings;
import dev.llmcls.runfile.RunRecord;
import java.util.LinkedHashMap;

/**
 * An answer constraint ({@code choice} or {@code json}): sends its request parameters in a form the
 * server enforces ({@code choice}: vLLM's {@code structured_outputs} for vLLM, the standard {@code
 * response_format} for any other), reads the label out of the constrained answer, records the
 * constraint used, and marks an answer that does not keep it ({@code constraint_broken}), which
 * shows a server that ignores the constraint.
 */
public final class Constraining implements PromptMethod {
    private final Constraint constraint;
    private final LabelSet labels;
    private final boolean vllm;

    public Constraining(Constraint constraint, LabelSet labels) {
        this(constraint, labels, true);
    }

    private Constraining(Constraint constraint, LabelSet labels, boolean vllm) {
        if (constraint == Constraint.NONE) {
            throw new IllegalArgumentException("no constraint to impose");
        }
        this.constraint = constraint;
        this.labels = labels;
        this.vllm = vllm;
    }

    @Override
    public PromptMethod forServer(ServerInfo.Kind kind) {
        return new Constraining(constraint, labels, kind == ServerInfo.Kind.VLLM);
    }

    @Override
    public RecordedSettings settings() {
        return new ConstraintSettings(
                constraint.recordName(),
                constraint == Constraint.CHOICE && !vllm ? "response_format" : null);
    }

    @Override
    public ChatOptions options(ChatOptions options) {
        var parameters = new LinkedHashMap<>(options.extraParameters());
        parameters.putAll(constraint.requestParameters(labels.names(), vllm));
        return options.withExtraParameters(parameters);
    }

    @Override
    public Constraint constraint() {
        return constraint;
    }

    @Override
    public RunRecord decide(RunRecord record, Completion answer, AnswerParser parser) {
        boolean broken =
                !answer.choices().stream()
                        .allMatch(choice -> parser.keepsConstraint(choice.text()));
        RunRecord constrained =
                record.withConstraint(constraint.recordName())
                        .withAnswerNotes(broken, record.reasoning());
        // with several sampled answers, the vote decides the label
        return answer.choices().size() == 1
                ? constrained.withLabel(parser.label(answer.text()))
                : constrained;
    }
}
