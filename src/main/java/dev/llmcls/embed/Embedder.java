package dev.llmcls.embed;

import dev.llmcls.llm.EmbeddingModels;
import dev.llmcls.llm.TextEmbeddingModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.LongConsumer;

/**
 * Embeds texts with a bundled model through the on-disk cache: a text already in the cache costs a hash, and the
 * model itself is only loaded when some text is missing. Safe to call from many threads; at most one model call per
 * core runs at a time, so a run with many request threads does not oversubscribe the CPU.
 */
public final class Embedder {
    /** Texts per model call in {@link #embedAll}; the model spreads a batch over all cores. */
    public static final int BATCH = 64;

    private final String modelName;
    private final EmbeddingCache cache;
    private final Semaphore cores = new Semaphore(Runtime.getRuntime().availableProcessors());
    private volatile TextEmbeddingModel model;

    public Embedder(String modelName, EmbeddingCache cache) {
        this.modelName = EmbeddingModels.require(modelName);
        this.cache = cache;
    }

    public String modelName() {
        return modelName;
    }

    public EmbeddingCache cache() {
        return cache;
    }

    /** One text's unit-length embedding. */
    public float[] embed(String text) throws InterruptedException {
        float[] cached = cache.get(text);
        if (cached != null) {
            return cached;
        }
        cores.acquire();
        try {
            float[] vector = Vectors.normalised(model().embed(text));
            cache.putAll(List.of(text), List.of(vector));
            return vector;
        } finally {
            cores.release();
        }
    }

    /**
     * Embeddings of many texts, in their order: cached ones are looked up, the rest go to the model {@link #BATCH}
     * at a time and are cached batch by batch, so an interrupted run keeps what it computed. {@code progress}
     * receives the number of texts done so far.
     */
    public List<float[]> embedAll(List<String> texts, LongConsumer progress) {
        Map<String, float[]> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String text : texts) {
            float[] cached = cache.get(text);
            if (cached != null) {
                found.put(text, cached);
            } else if (!found.containsKey(text)) {
                found.put(text, null);
                missing.add(text);
            }
        }
        long done = texts.size() - missing.size();
        progress.accept(done);
        for (int from = 0; from < missing.size(); from += BATCH) {
            List<String> batch = missing.subList(from, Math.min(missing.size(), from + BATCH));
            List<float[]> embeddings = model().embedAll(batch);
            List<float[]> vectors = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                float[] vector = Vectors.normalised(embeddings.get(i));
                vectors.add(vector);
                found.put(batch.get(i), vector);
            }
            cache.putAll(batch, vectors);
            done += batch.size();
            progress.accept(done);
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(found.get(text));
        }
        return out;
    }

    private TextEmbeddingModel model() {
        TextEmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                loaded = model;
                if (loaded == null) {
                    loaded = EmbeddingModels.load(modelName);
                    model = loaded;
                }
            }
        }
        return loaded;
    }
}
