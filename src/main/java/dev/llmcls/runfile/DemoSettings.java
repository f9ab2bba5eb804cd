package dev.llmcls.runfile;

import dev.llmcls.core.RecordedSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Few-shot demonstrations: {@code shots} per prompt, chosen by {@code demos} ({@code random} or {@code knn}) from
 * the training pool; {@code embedding_model} for kNN, {@code demo_seed} for random.
 */
public record DemoSettings(int shots, String demos, PoolSettings pool, String embeddingModel, Long demoSeed)
        implements RecordedSettings {
    @Override
    public Map<String, Object> json() {
        var json = new LinkedHashMap<String, Object>();
        json.put("shots", shots);
        json.put("demos", demos);
        json.putAll(pool.json());
        if (embeddingModel != null) {
            json.put("embedding_model", embeddingModel);
        }
        if (demoSeed != null) {
            json.put("demo_seed", demoSeed);
        }
        return json;
    }

    @Override
    public String meaning(String key) {
        return PoolSettings.owns(key) ? PoolSettings.MEANING : "demonstrations (--shots, --demos, --seed)";
    }

    static DemoSettings read(Map<String, Object> json) {
        if (!json.containsKey("shots")) {
            return null;
        }
        int shots = RunSettings.number(json.remove("shots"), 0).intValue();
        String demos = RunSettings.text(json.remove("demos"));
        PoolSettings pool = PoolSettings.read(json);
        String model = RunSettings.text(json.remove("embedding_model"));
        Number seed = RunSettings.number(json.remove("demo_seed"), null);
        return new DemoSettings(shots, demos, pool, model, seed == null ? null : seed.longValue());
    }
}
