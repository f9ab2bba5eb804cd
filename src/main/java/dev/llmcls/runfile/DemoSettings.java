package dev.llmcls.runfile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.llmcls.core.RecordedSettings;
import java.util.Map;

/**
 * Few-shot demonstrations: {@code shots} per prompt, chosen by {@code demos} ({@code random} or
 * {@code knn}) from the training pool ({@code train_file}, {@code train_sha256}); {@code
 * embedding_model} for kNN, {@code demo_seed} for random. Written and read by Jackson.
 */
@JsonPropertyOrder({"shots", "demos", "train_file", "train_sha256", "embedding_model", "demo_seed"})
public record DemoSettings(
        @JsonProperty("shots") int shots,
        @JsonProperty("demos") String demos,
        @JsonProperty("train_file") String trainFile,
        @JsonProperty("train_sha256") String trainSha256,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("embedding_model")
                String embeddingModel,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("demo_seed") Long demoSeed)
        implements RecordedSettings {
    @JsonCreator
    public DemoSettings {}

    public DemoSettings(
            int shots, String demos, PoolSettings pool, String embeddingModel, Long demoSeed) {
        this(shots, demos, pool.trainFile(), pool.trainSha256(), embeddingModel, demoSeed);
    }

    @Override
    public Map<String, Object> json() {
        return SettingsJson.write(this);
    }

    @Override
    public String meaning(String key) {
        return PoolSettings.owns(key)
                ? PoolSettings.MEANING
                : "demonstrations (--shots, --demos, --seed)";
    }

    static DemoSettings read(Map<String, Object> json) {
        return json.containsKey("shots")
                ? SettingsJson.take(
                        json,
                        DemoSettings.class,
                        "shots",
                        "demos",
                        "train_file",
                        "train_sha256",
                        "embedding_model",
                        "demo_seed")
                : null;
    }
}
