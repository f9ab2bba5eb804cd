package dev.llmcls.llm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything sent with each prompt besides the prompt itself: the model, its sampling parameters, how many answers
 * to sample, and any server-specific parameters (vLLM's {@code stop_token_ids}, structured-output settings).
 */
public record ChatOptions(String model, Sampling sampling, int n, Map<String, Object> extraParameters) {
    public ChatOptions {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sampling, "sampling");
        extraParameters = Map.copyOf(extraParameters);
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
    }

    public static ChatOptions of(String model, Sampling sampling) {
        return new ChatOptions(model, sampling, 1, Map.of());
    }

    /** The body parameters beyond the standard OpenAI ones, in a stable order. */
    public Map<String, Object> customParameters() {
        var custom = new LinkedHashMap<String, Object>();
        if (!sampling.stopTokenIds().isEmpty()) {
            custom.put("stop_token_ids", sampling.stopTokenIds());
        }
        custom.putAll(extraParameters);
        return custom;
    }
}
