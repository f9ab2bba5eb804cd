package dev.llmcls.runfile;

import dev.llmcls.core.RecordedSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the run read probabilities, as its manifest records it (each key only when it applies): {@code scoring}
 * ({@code likelihood}), {@code likelihood_normalisation}, {@code answer_prefix}, {@code prompt_logprobs},
 * {@code confidence}, {@code top_logprobs}, {@code calibrate}.
 */
public record ScoringSettings(String scoring, String likelihoodNormalisation, String answerPrefix,
        Integer promptLogprobs, Boolean confidence, Integer topLogprobs, String calibrate) implements RecordedSettings {

    @Override
    public Map<String, Object> json() {
        var json = new LinkedHashMap<String, Object>();
        put(json, "scoring", scoring);
        put(json, "likelihood_normalisation", likelihoodNormalisation);
        put(json, "answer_prefix", answerPrefix);
        put(json, "prompt_logprobs", promptLogprobs);
        put(json, "confidence", confidence);
        put(json, "top_logprobs", topLogprobs);
        put(json, "calibrate", calibrate);
        return json;
    }

    @Override
    public String meaning(String key) {
        return switch (key) {
            case "confidence", "top_logprobs" -> "answer confidence (--confidence, --top-logprobs)";
            case "calibrate" -> "label-bias correction (--calibrate)";
            default -> "scoring (--scoring, --likelihood-norm, --answer-prefix)";
        };
    }

    static ScoringSettings read(Map<String, Object> json) {
        if (!json.containsKey("scoring") && !json.containsKey("confidence") && !json.containsKey("calibrate")) {
            return null;
        }
        Object confidence = json.remove("confidence");
        Number prompt = RunSettings.number(json.remove("prompt_logprobs"), null);
        Number top = RunSettings.number(json.remove("top_logprobs"), null);
        return new ScoringSettings(RunSettings.text(json.remove("scoring")),
                RunSettings.text(json.remove("likelihood_normalisation")), RunSettings.text(json.remove("answer_prefix")),
                prompt == null ? null : prompt.intValue(),
                confidence == null ? null : Boolean.valueOf(confidence.toString()),
                top == null ? null : top.intValue(), RunSettings.text(json.remove("calibrate")));
    }

    private static void put(Map<String, Object> json, String key, Object value) {
        if (value != null) {
            json.put(key, value);
        }
    }
}
