package dev.llmcls.run.prompting;

import dev.llmcls.core.RecordedSettings;
import dev.llmcls.data.LabelSet;
import dev.llmcls.data.MultiLabelSettings;
import dev.llmcls.label.AnswerParser;
import dev.llmcls.label.StrictRule;
import dev.llmcls.llm.Completion;
import dev.llmcls.runfile.RunRecord;

/**
 * Multi-label data: each answer is read as the set of labels it names after its last {@code
 * labels:} (or {@code label:}) marker ({@link StrictRule#predictAll}, so the labels file's aliases
 * apply), recorded as the record's {@code labels}. Votes, constraints, confidence and
 * demonstrations decide one label and are refused with it (by the options); likelihood scoring
 * makes its own set.
 */
public final class MultiLabelling implements PromptMethod {
    private final LabelSet labels;
    private final StrictRule scorer;
    private final String labelSeparator;

    public MultiLabelling(LabelSet labels, String labelSeparator) {
        this.labels = labels;
        this.scorer = new StrictRule(labels);
        this.labelSeparator = labelSeparator;
    }

    @Override
    public RecordedSettings settings() {
        return new MultiLabelSettings(labelSeparator);
    }

    @Override
    public RunRecord decide(RunRecord record, Completion answer, AnswerParser parser) {
        return record.output() == null
                ? record
                : record.withLabels(
                        scorer.predictAll(record.output()).stream().map(labels::name).toList());
    }
}
