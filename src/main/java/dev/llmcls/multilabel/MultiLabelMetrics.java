package dev.llmcls.multilabel;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The figures of one multi-label run over its {@code examples} (the newest record per id):
 *
 * <ul>
 *   <li>{@code subsetAccuracy}: the share of examples whose predicted set equals the gold set
 *       exactly ({@code subsetRight} of them; a failed record is never right);
 *   <li>{@code hammingLoss}: the share of (example, label) decisions that are wrong;
 *   <li>{@code micro*}: precision, recall and F1 over all (example, label) decisions pooled;
 *   <li>{@code macroF1}: the mean of the per-label F1 over the labels that are gold or predicted
 *       somewhere;
 *   <li>{@code sampleF1}: the mean over examples of 2|gold ∩ predicted| / (|gold| + |predicted|), 1
 *       when both are empty, 0 for a failed record;
 *   <li>{@code perLabel}: each label's precision, recall, F1 and support, in label order.
 * </ul>
 *
 * A failed record (an error, no answer) predicts no label in every figure but subset accuracy and
 * sample F1, where it counts as wrong. {@code errors} counts them, {@code noLabel} the answers that
 * named no label. {@code sweep} is null when no record carries label probabilities.
 */
@JsonPropertyOrder({
    "examples",
    "subset_accuracy",
    "subset_right",
    "hamming_loss",
    "micro_precision",
    "micro_recall",
    "micro_f1",
    "macro_f1",
    "sample_f1",
    "errors",
    "no_label",
    "mean_gold_labels",
    "mean_predicted_labels",
    "per_label",
    "threshold_sweep"
})
public record MultiLabelMetrics(
        long examples,
        @JsonProperty("subset_accuracy") double subsetAccuracy,
        @JsonProperty("subset_right") long subsetRight,
        @JsonProperty("hamming_loss") double hammingLoss,
        @JsonProperty("micro_precision") double microPrecision,
        @JsonProperty("micro_recall") double microRecall,
        @JsonProperty("micro_f1") double microF1,
        @JsonProperty("macro_f1") double macroF1,
        @JsonProperty("sample_f1") double sampleF1,
        long errors,
        @JsonProperty("no_label") long noLabel,
        @JsonProperty("mean_gold_labels") double meanGoldLabels,
        @JsonProperty("mean_predicted_labels") double meanPredictedLabels,
        @JsonProperty("per_label") List<LabelMetrics> perLabel,
        @JsonProperty("threshold_sweep") @JsonInclude(JsonInclude.Include.NON_NULL)
                ThresholdSweep sweep) {

    public MultiLabelMetrics {
        perLabel = List.copyOf(perLabel);
    }
}
