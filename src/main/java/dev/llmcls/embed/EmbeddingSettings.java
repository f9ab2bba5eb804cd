package dev.llmcls.embed;

import java.nio.file.Path;

/**
 * Which bundled model embeds, and where its cache lives ({@code cacheDirectory} null: no disk
 * cache).
 */
public record EmbeddingSettings(String model, Path cacheDirectory) {
    public EmbeddingSettings {
        EmbeddingModels.require(model);
    }

    /** An embedder over this model and its cache (the model itself loads on first use). */
    public Embedder open() {
        int dimension = EmbeddingModels.dimension(model);
        return new Embedder(
                model,
                cacheDirectory == null
                        ? EmbeddingCache.inMemory(dimension)
                        : EmbeddingCache.open(cacheDirectory, model, dimension));
    }
}
