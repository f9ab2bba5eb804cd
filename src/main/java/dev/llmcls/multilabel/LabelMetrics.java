package dev.llmcls.multilabel;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One label's figures over a multi-label run: {@code support} examples have it as gold, the answers
 * name it for {@code predicted} examples, {@code truePositives} of them rightly. Precision (recall)
 * is 0 when nothing is predicted (nothing is gold).
 */
@JsonPropertyOrder({"label", "precision", "recall", "f1", "support", "predicted", "true_positives"})
public record LabelMetrics(
        String label,
        double precision,
        double recall,
        double f1,
        long support,
        long predicted,
        @JsonProperty("true_positives") long truePositives) {

    static LabelMetrics of(String label, long truePositives, long predicted, long support) {
        double precision = predicted == 0 ? 0 : (double) truePositives / predicted;
        double recall = support == 0 ? 0 : (double) truePositives / support;
        return new LabelMetrics(
                label, precision, recall, f1(precision, recall), support, predicted, truePositives);
    }

    static double f1(double precision, double recall) {
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }
}
