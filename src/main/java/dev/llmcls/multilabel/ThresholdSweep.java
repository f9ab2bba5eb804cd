package dev.llmcls.multilabel;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Per-label decision thresholds over the records' label probabilities ({@code label_probs}:
 * likelihood scoring's distribution, or {@code --confidence}'s): a label is predicted when its
 * probability is at least the threshold. Over the {@code examples} that carry probabilities, {@code
 * microF1} holds the micro-F1 of one threshold for every label at each of {@link #THRESHOLDS};
 * {@code perLabel} each label's best threshold of them (highest F1; the lower threshold on a tie)
 * with its precision, recall and F1; {@code tunedMicroF1} the micro-F1 when every label uses its
 * own best threshold. The thresholds are chosen on the very examples they are scored on, so the
 * tuned figures are optimistic: choose thresholds on one split, apply them to another.
 */
@JsonPropertyOrder({"examples", "thresholds", "micro_f1", "per_label", "tuned_micro_f1"})
public record ThresholdSweep(
        long examples,
        List<Double> thresholds,
        @JsonProperty("micro_f1") List<Double> microF1,
        @JsonProperty("per_label") List<LabelThreshold> perLabel,
        @JsonProperty("tuned_micro_f1") double tunedMicroF1) {
    /** The thresholds tried: 0.1, 0.2, ..., 0.9. */
    public static final List<Double> THRESHOLDS =
            List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9);

    public ThresholdSweep {
        thresholds = List.copyOf(thresholds);
        microF1 = List.copyOf(microF1);
        perLabel = List.copyOf(perLabel);
    }

    /** One label's best threshold and its figures there. */
    @JsonPropertyOrder({"label", "threshold", "precision", "recall", "f1", "support"})
    public record LabelThreshold(
            String label,
            double threshold,
            double precision,
            double recall,
            double f1,
            long support) {}
}
