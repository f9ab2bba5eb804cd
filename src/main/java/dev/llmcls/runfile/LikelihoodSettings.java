package dev.llmcls.runfile;

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
 * {@code --scoring likelihood} as its manifest records it: {@code scoring: likelihood}, the {@code
 * likelihood_normalisation}, the {@code answer_prefix}, the {@code prompt_logprobs} asked for, and
 * {@code calibrate} when a label-bias correction was asked for (absent for none). Written and read
 * by Jackson.
 */
@JsonPropertyOrder({
    "scoring",
    "likelihood_normalisation",
    "answer_prefix",
    "prompt_logprobs",
    "calibrate"
})
public record LikelihoodSettings(
        @JsonProperty("likelihood_normalisation") String normalisation,
        @JsonProperty("answer_prefix") String answerPrefix,
        @JsonProperty("prompt_logprobs") Integer promptLogprobs,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("calibrate") String calibrate)
        implements RecordedSettings {
    static final String SCORING = "likelihood";
    private static final List<String> KEYS =
            List.of("likelihood_normalisation", "answer_prefix", "prompt_logprobs", "calibrate");

    @JsonCreator
    public LikelihoodSettings {}

    /**
     * Always {@code likelihood}: the key that says the run scored labels instead of generating
     * answers.
     */
    @JsonProperty("scoring")
    public String scoring() {
        return SCORING;
    }

    @Override
    public Map<String, Object> json() {
        return Json.MAPPER.convertValue(
                this, new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    @Override
    public String meaning(String key) {
        return key.equals("calibrate")
                ? "label-bias correction (--calibrate)"
                : "scoring (--scoring, --likelihood-norm, --answer-prefix)";
    }

    /**
     * Takes this part's keys out of a manifest's {@code sampling}; null when it holds none. A
     * {@code scoring} other than {@code likelihood} is left in the map, so that a resume refuses it
     * as a setting it does not know.
     */
    static LikelihoodSettings read(Map<String, Object> json) {
        boolean scored = SCORING.equals(json.get("scoring"));
        if (!scored && KEYS.stream().noneMatch(json::containsKey)) {
            return null;
        }
        if (scored) {
            json.remove("scoring");
        }
        var own = new LinkedHashMap<String, Object>();
        KEYS.forEach(
                key -> {
                    if (json.containsKey(key)) {
                        own.put(key, json.remove(key));
                    }
                });
        return Json.MAPPER.convertValue(own, LikelihoodSettings.class);
    }
}
