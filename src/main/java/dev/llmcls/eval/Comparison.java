package dev.llmcls.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A paired comparison of a run with the baseline run under one scorer, over the example ids both
 * hold with the same gold label: accuracy difference (run − baseline) with a 95 % bootstrap
 * interval, the discordant counts and McNemar's exact p-value.
 */
@JsonPropertyOrder({
    "baseline",
    "run",
    "scorer",
    "pairs",
    "baseline_accuracy",
    "run_accuracy",
    "difference",
    "difference_ci95",
    "only_baseline_right",
    "only_run_right",
    "mcnemar_p",
    "bootstrap_resamples",
    "bootstrap_seed"
})
public record Comparison(
        String baseline,
        String run,
        String scorer,
        long pairs,
        @JsonProperty("baseline_accuracy") double baselineAccuracy,
        @JsonProperty("run_accuracy") double runAccuracy,
        double difference,
        @JsonProperty("difference_ci95") Interval differenceCi95,
        @JsonProperty("only_baseline_right") long onlyBaselineRight,
        @JsonProperty("only_run_right") long onlyRunRight,
        @JsonProperty("mcnemar_p") double mcnemarP,
        @JsonProperty("bootstrap_resamples") int bootstrapResamples,
        @JsonProperty("bootstrap_seed") long bootstrapSeed) {}
