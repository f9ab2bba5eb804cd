package dev.llmcls.runfile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.llmcls.core.RecordedSettings;
import java.util.Map;

/**
 * {@code --mode knn}: {@code classifier: knn}, the {@code embedding_model}, {@code k} and the
 * training pool ({@code train_file}, {@code train_sha256}). Written and read by Jackson.
 */
@JsonPropertyOrder({"classifier", "embedding_model", "k", "train_file", "train_sha256"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KnnSettings(
        @JsonProperty("embedding_model") String embeddingModel,
        @JsonProperty("k") Integer k,
        @JsonProperty("train_file") String trainFile,
        @JsonProperty("train_sha256") String trainSha256)
        implements RecordedSettings {
    static final String CLASSIFIER = "knn";

    @JsonCreator
    public KnnSettings {}

    public KnnSettings(String embeddingModel, int k, PoolSettings pool) {
        this(embeddingModel, k, pool.trainFile(), pool.trainSha256());
    }

    /** Always {@code knn}. */
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

    static KnnSettings read(Map<String, Object> json) {
        if (!CLASSIFIER.equals(json.get("classifier"))) {
            return null;
        }
        json.remove("classifier");
        return SettingsJson.take(
                json, KnnSettings.class, "embedding_model", "k", "train_file", "train_sha256");
    }
}
