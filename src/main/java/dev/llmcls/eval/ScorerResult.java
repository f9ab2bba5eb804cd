package dev.llmcls.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One scorer's figures for one run. {@code accuracy} = right / records (errors count as wrong),
 * with its 95 % Wilson interval; {@code macro_f1} averages F1 over the classes that occur as gold
 * or as a prediction.
 */
@JsonPropertyOrder({
    "right",
    "multi_label",
    "accuracy",
    "no_label",
    "accuracy_ci95",
    "macro_f1",
    "per_class",
    "confusion"
})
public record ScorerResult(
        long right,
        @JsonProperty("multi_label") long multiLabel,
        double accuracy,
        @JsonProperty("no_label") long noLabel,
        @JsonProperty("accuracy_ci95") Interval accuracyCi95,
        @JsonProperty("macro_f1") double macroF1,
        @JsonProperty("per_class") List<ClassMetrics> perClass,
        ConfusionMatrix confusion) {}
