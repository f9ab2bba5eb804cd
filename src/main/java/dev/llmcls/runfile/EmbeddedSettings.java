package dev.llmcls.runfile;

import dev.llmcls.core.RecordedSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An embedded classifier: {@code classifier} ({@code knn}, {@code linear} or {@code similarity}) and
 * {@code embedding_model}; kNN adds {@code k} and the training pool (the linear probe the pool), similarity the {@code label_texts} it embeds.
 */
public record EmbeddedSettings(String classifier, String embeddingModel, Integer k, PoolSettings pool,
        List<String> labelTexts) implements RecordedSettings {
    @Override
    public Map<String, Object> json() {
        var json = new LinkedHashMap<String, Object>();
        json.put("classifier", classifier);
        json.put("embedding_model", embeddingModel);
        if (k != null) {
            json.put("k", k);
        }
        if (pool != null) {
            json.putAll(pool.json());
        }
        if (labelTexts != null) {
            json.put("label_texts", labelTexts);
        }
        return json;
    }

    @Override
    public String meaning(String key) {
        return switch (key) {
            case "train_file", "train_sha256" -> PoolSettings.MEANING;
            case "k" -> "neighbours (--k)";
            case "label_texts" -> "label descriptions (--labels-file)";
            case "embedding_model" -> "embedding model (--embedding-model)";
            default -> "classifier (--mode)";
        };
    }

    static EmbeddedSettings read(Map<String, Object> json) {
        if (!json.containsKey("classifier")) {
            return null;
        }
        String classifier = RunSettings.text(json.remove("classifier"));
        String model = RunSettings.text(json.remove("embedding_model"));
        Number k = RunSettings.number(json.remove("k"), null);
        PoolSettings pool = json.containsKey("train_file") || json.containsKey("train_sha256") ? PoolSettings.read(json)
                : null;
        List<String> texts = json.containsKey("label_texts") ? RunSettings.texts(json.remove("label_texts")) : null;
        return new EmbeddedSettings(classifier, model, k == null ? null : k.intValue(), pool, texts);
    }
}
