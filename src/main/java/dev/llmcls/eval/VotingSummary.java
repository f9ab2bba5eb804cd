package dev.llmcls.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * For voting runs: how many records carry votes, and the mean share of the votes the most-voted
 * label got.
 */
@JsonPropertyOrder({"records", "mean_top_share", "ties"})
public record VotingSummary(
        long records, @JsonProperty("mean_top_share") double meanTopShare, long ties) {}
