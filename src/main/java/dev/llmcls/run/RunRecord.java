package dev.llmcls.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of a run's JSONL output: the example, the model's answer (or the error that prevented one) and what it
 * cost. {@code output} is null exactly when {@code error} is set.
 */
@JsonPropertyOrder({"id", "text", "gold", "output", "finish_reason", "prompt_tokens", "completion_tokens",
        "latency_ms", "error", "attempts"})
public record RunRecord(
        String id,
        String text,
        String gold,
        String output,
        @JsonProperty("finish_reason") String finishReason,
        @JsonProperty("prompt_tokens") Integer promptTokens,
        @JsonProperty("completion_tokens") Integer completionTokens,
        @JsonProperty("latency_ms") long latencyMs,
        String error,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int attempts) {

    public boolean succeeded() {
        return error == null;
    }
}
