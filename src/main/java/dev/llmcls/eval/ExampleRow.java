package dev.llmcls.eval;

import java.util.List;

/**
 * One example for the report's list of disagreements: its text, gold label and each run's answer.
 */
public record ExampleRow(String id, String text, String gold, List<Answer> answers) {
    public ExampleRow {
        answers = List.copyOf(answers);
    }

    /**
     * A run's answer under the strict scorer: {@code prediction} is a label name, {@code no_label},
     * {@code multi_label}, {@code error}, or null when the run has no record for the example.
     */
    public record Answer(String prediction, boolean right, String output, String error) {}
}
