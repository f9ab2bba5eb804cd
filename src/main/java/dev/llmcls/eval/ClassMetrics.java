package dev.llmcls.eval;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Precision, recall and F1 of one class; {@code support} is how many examples have it as gold. */
@JsonPropertyOrder({"label", "precision", "recall", "f1", "support", "predicted"})
public record ClassMetrics(
        String label, double precision, double recall, double f1, long support, long predicted) {}
