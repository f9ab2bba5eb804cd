package dev.llmcls.llm;

import dev.llmcls.core.RecordedSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters that change what the model answers; they are recorded in the manifest and compared on resume.
 * {@code seed} may be null; {@code stopTokenIds} may be empty.
 */
public record Sampling(double temperature, int maxTokens, Integer seed, List<Integer> stopTokenIds)
        implements RecordedSettings {
    /** GLM-4's end-of-turn token ids, which vLLM needs as {@code stop_token_ids} to stop a GLM-4 answer. */
    public static final List<Integer> GLM4_STOP_TOKEN_IDS = List.of(151329, 151336, 151338);

    public Sampling {
        stopTokenIds = List.copyOf(stopTokenIds);
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max tokens must be at least 1, got " + maxTokens);
        }
    }

    /** The stop tokens to send when none were given: GLM-4's for a GLM-4 model, none otherwise. */
    public static List<Integer> defaultStopTokenIds(String model) {
        return model != null && model.toLowerCase(Locale.ROOT).contains("glm-4") ? GLM4_STOP_TOKEN_IDS : List.of();
    }

    /** {@code temperature, max_tokens, seed} (null when none was sent) {@code , stop_token_ids}. */
    @Override
    public Map<String, Object> json() {
        var json = new LinkedHashMap<String, Object>();
        json.put("temperature", temperature);
        json.put("max_tokens", maxTokens);
        json.put("seed", seed);
        json.put("stop_token_ids", stopTokenIds);
        return json;
    }

    @Override
    public String meaning(String key) {
        return "sampling parameters";
    }
}
