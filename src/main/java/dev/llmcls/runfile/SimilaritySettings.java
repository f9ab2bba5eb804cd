package dev.llmcls.runfile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.llmcls.core.RecordedSettings;
import java.util.List;
import java.util.Map;

/**
 * {@code --mode similarity}: {@code classifier: similarity}, the {@code embedding_model} and the
 * {@code label_texts} it embeds. Written and read by Jackson.
 */
@JsonPropertyOrder({"classifier", "embedding_model", "label_texts"})
public record SimilaritySettings(
        @JsonProperty("embedding_model") String embeddingModel,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("label_texts")
                List<String> labelTexts)
        implements RecordedSettings {
    static final String CLASSIFIER = "similarity";

    @JsonCreator
    public SimilaritySettings {}

    /** Always {@code similarity}. */
    @JsonProperty("classifier")
    public String classifier() {
        return CLASSIFIER;
    }

    @Override
    public Map<String, Object> json() {
        return SettingsJson.write(this);
    }

    @Override
    public String meaning(String key) {
        return EmbeddedSettings.meaning(key);
    }

    static SimilaritySettings read(Map<String, Object> json) {
        if (!CLASSIFIER.equals(json.get("classifier"))) {
            return null;
        }
        json.remove("classifier");
        return SettingsJson.take(json, SimilaritySettings.class, "embedding_model", "label_texts");
    }
}
