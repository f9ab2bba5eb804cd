package dev.llmcls.runfile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.llmcls.core.Json;
import dev.llmcls.core.RecordedSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --confidence} as its manifest records it: {@code confidence: true} and the {@code
 * top_logprobs} asked for per answer token. Written and read by Jackson.
 */
@JsonPropertyOrder({"confidence", "top_logprobs"})
public record ConfidenceSettings(@JsonProperty("top_logprobs") int topLogprobs)
        implements RecordedSettings {
    @JsonCreator
    public ConfidenceSettings {}

    /** Always true: the key that says answers' log-probabilities were asked for. */
    @JsonProperty("confidence")
    public boolean confidence() {
        return true;
    }

    @Override
    public Map<String, Object> json() {
        return Json.MAPPER.convertValue(
                this, new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    @Override
    public String meaning(String key) {
        return "answer confidence (--confidence, --top-logprobs)";
    }

    /**
     * Takes this part's keys out of a manifest's {@code sampling}; null when it holds no {@code
     * confidence: true} (any other value is left in the map, so that a resume refuses it).
     */
    static ConfidenceSettings read(Map<String, Object> json) {
        Object confidence = json.get("confidence");
        if (confidence == null
                || !Boolean.parseBoolean(confidence.toString())
                || !json.containsKey("top_logprobs")) {
            return null;
        }
        json.remove("confidence");
        return Json.MAPPER.convertValue(
                Map.of("top_logprobs", json.remove("top_logprobs")), ConfidenceSettings.class);
    }
}
