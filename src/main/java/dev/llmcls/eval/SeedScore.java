package dev.llmcls.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The seed experiment's figures for one run. */
@JsonPropertyOrder({"right", "multi_label", "accuracy"})
public record SeedScore(long right, @JsonProperty("multi_label") long multiLabel, double accuracy) {
}
