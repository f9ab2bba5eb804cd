package dev.llmcls.runfile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.llmcls.core.RecordedSettings;
import java.util.Map;

/**
 * {@code --mode linear}: {@code classifier: linear}, the {@code embedding_model} and the training
 * pool ({@code train_file}, {@code train_sha256}). Written and read by Jackson.
 */
@JsonPropertyOrder({"classifier", "embedding_model", "train_file", "train_sha256"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinearSettings(
        @JsonProperty("embedding_model") String embeddingModel,
        @JsonProperty("train_file") String trainFile,
        @JsonProperty("train_sha256") String trainSha256)
        implements RecordedSettings {
    static final String CLASSIFIER = "linear";

    @JsonCreator
    public LinearSettings {}

    public LinearSettings(String embeddingModel, PoolSettings pool) {
        this(embeddingModel, pool.trainFile(), pool.trainSha256());
    }

    /** Always {@code linear}. */
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

    static LinearSettings read(Map<String, Object> json) {
        if (!CLASSIFIER.equals(json.get("classifier"))) {
            return null;
        }
        json.remove("classifier");
        return SettingsJson.take(
                json, LinearSettings.class, "embedding_model", "train_file", "train_sha256");
    }
}
