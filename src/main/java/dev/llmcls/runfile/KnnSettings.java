package dev.llmcls.runfile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.llmcls.core.RecordedSettings;
import java.util.Map;

/**
 * {@code --mode knn}: {@code classifier: knn}, the {@code embedding_model}, {@code k} and the
 * training pool ({@code train_file}, {@code train_sha256}); {@code --mode knn-tfidf} the same with
 * {@code classifier: knn-tfidf} (its other choices are made on the pool, so the pool's sha256 fixes
 * them). Written and read by Jackson.
 */
@JsonPropertyOrder({"classifier", "embedding_model", "k", "train_file", "train_sha256"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KnnSettings(
        @JsonProperty("classifier") String classifier,
        @JsonProperty("embedding_model") String embeddingModel,
        @JsonProperty("k") Integer k,
        @JsonProperty("train_file") String trainFile,
        @JsonProperty("train_sha256") String trainSha256)
        implements RecordedSettings {
    static final String CLASSIFIER = "knn";

    /** The classifier of {@code --mode knn-tfidf}. */
    public static final String WITH_WORDS = "knn-tfidf";

    @JsonCreator
    public KnnSettings {
        if (!CLASSIFIER.equals(classifier) && !WITH_WORDS.equals(classifier)) {
            throw new IllegalArgumentException("not a kNN classifier: " + classifier);
        }
    }

    public KnnSettings(String embeddingModel, int k, PoolSettings pool) {
        this(CLASSIFIER, embeddingModel, k, pool);
    }

    /** {@code classifier}: {@code knn} or {@code knn-tfidf}. */
    public KnnSettings(String classifier, String embeddingModel, int k, PoolSettings pool) {
        this(classifier, embeddingModel, k, pool.trainFile(), pool.trainSha256());
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
        Object classifier = json.get("classifier");
        if (!CLASSIFIER.equals(classifier) && !WITH_WORDS.equals(classifier)) {
            return null;
        }
        return SettingsJson.take(
                json,
                KnnSettings.class,
                "classifier",
                "embedding_model",
                "k",
                "train_file",
                "train_sha256");
    }
}
