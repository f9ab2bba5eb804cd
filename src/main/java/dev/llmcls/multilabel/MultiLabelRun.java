package dev.llmcls.multilabel;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * One multi-label run's evaluation: its name ({@code file}), labels and figures; {@code wrong}
 * lists examples whose predicted set is not the gold set (for the HTML report, up to a limit; not
 * in JSON), {@code wrongTotal} counts them all; {@code truncatedLines} the half-written last lines
 * skipped.
 */
@JsonPropertyOrder({"file", "multi_label", "labels"})
public record MultiLabelRun(
        String file,
        List<String> labels,
        @JsonUnwrapped MultiLabelMetrics metrics,
        @JsonIgnore List<Wrong> wrong,
        @JsonIgnore long wrongTotal,
        @JsonIgnore int truncatedLines) {
    public MultiLabelRun {
        labels = List.copyOf(labels);
        wrong = List.copyOf(wrong);
    }

    /** Always true: tells a reader of the JSON which kind of evaluation this is. */
    @com.fasterxml.jackson.annotation.JsonProperty("multi_label")
    public boolean multiLabel() {
        return true;
    }

    /**
     * An example the run got wrong: gold and predicted label names ({@code predicted} null for a
     * failed record).
     */
    public record Wrong(
            String id,
            String text,
            List<String> gold,
            List<String> predicted,
            String output,
            String error) {}
}
