package dev.llmcls.llm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.llmcls.core.Json;
import dev.llmcls.core.RecordedSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters that change what the model answers; they are recorded in the manifest's {@code
 * sampling} ({@code temperature, max_tokens, seed, stop_token_ids}, written and read by Jackson)
 * and compared on resume. {@code seed} may be null (written as null); {@code stopTokenIds} may be
 * empty.
 */
@JsonPropertyOrder({"temperature", "max_tokens", "seed", "stop_token_ids"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Sampling(
        @JsonProperty("temperature") double temperature,
        @JsonProperty("max_tokens") int maxTokens,
        @JsonProperty("seed") Integer seed,
        @JsonProperty("stop_token_ids") List<Integer> stopTokenIds)
        implements RecordedSettings {
    /** The manifest keys, in the order they are written. */
    public static final List<String> KEYS =
            List.of("temperature", "max_tokens", "seed", "stop_token_ids");

    private static final TypeReference<LinkedHashMap<String, Object>> MAP =
            new TypeReference<>() {};

    /**
     * GLM-4's end-of-turn token ids, which vLLM needs as {@code stop_token_ids} to stop a GLM-4
     * answer.
     */
    public static final List<Integer> GLM4_STOP_TOKEN_IDS = List.of(151329, 151336, 151338);

    public Sampling {
        stopTokenIds = List.copyOf(stopTokenIds);
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max tokens must be at least 1, got " + maxTokens);
        }
    }

    /**
     * Read from a manifest: a key the manifest lacks reads as the value written before it was
     * recorded (temperature 0, one token, no seed, no stop tokens); numbers written as text or with
     * a fraction read as numbers, as they always have.
     */
    @JsonCreator
    static Sampling read(
            @JsonProperty("temperature") Double temperature,
            @JsonProperty("max_tokens") Integer maxTokens,
            @JsonProperty("seed") Integer seed,
            @JsonProperty("stop_token_ids") List<Integer> stopTokenIds) {
        return new Sampling(
                temperature == null ? 0 : temperature,
                maxTokens == null ? 1 : maxTokens,
                seed,
                stopTokenIds == null ? List.of() : stopTokenIds);
    }

    /** The stop tokens to send when none were given: GLM-4's for a GLM-4 model, none otherwise. */
    public static List<Integer> defaultStopTokenIds(String model) {
        return defaultStopTokenIds(model, null);
    }

    /**
     * As {@link #defaultStopTokenIds(String)}, believing what the server says about the model over
     * its name: vLLM's {@code root} names the real weights whatever {@code --served-model-name}
     * says, and a vocabulary (llama.cpp's {@code n_vocab}) too small to hold GLM-4's ids proves
     * another model served under a GLM-4 name.
     */
    public static List<Integer> defaultStopTokenIds(String model, ServerInfo.Model listed) {
        String identity =
                listed != null && listed.root() != null && !listed.root().isBlank()
                        ? listed.root()
                        : model;
        if (!isGlm4(identity)) {
            return List.of();
        }
        if (listed != null
                && listed.vocabSize() != null
                && listed.vocabSize() <= java.util.Collections.max(GLM4_STOP_TOKEN_IDS)) {
            return List.of();
        }
        return GLM4_STOP_TOKEN_IDS;
    }

    private static boolean isGlm4(String name) {
        String lower = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("glm-4") || lower.contains("glm4");
    }

    /** {@code temperature, max_tokens, seed} (null when none was sent) {@code , stop_token_ids}. */
    @Override
    public Map<String, Object> json() {
        return Json.MAPPER.convertValue(this, MAP);
    }

    @Override
    public String meaning(String key) {
        return "sampling parameters";
    }
}
