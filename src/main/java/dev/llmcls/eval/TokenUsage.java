package dev.llmcls.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a run cost per example, from the server's usage figures: how constraints, reasons,
 * demonstrations and votes change the tokens spent. {@code examples} counts the examples whose
 * record reports usage.
 */
@JsonPropertyOrder({"examples", "prompt_per_example", "completion_per_example"})
public record TokenUsage(
        long examples,
        @JsonProperty("prompt_per_example") double promptPerExample,
        @JsonProperty("completion_per_example") double completionPerExample) {}
