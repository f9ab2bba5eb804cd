/**
 * Embeddings: the cached {@link dev.llmcls.embed.Embedder} over a bundled model, the on-disk cache, a labelled pool
 * with nearest-neighbour search, and the similarity, kNN and linear-probe classifiers.
 *
 * <p>May depend on {@code core}, {@code data}, {@code learn} and {@code llm} (for the models, never langchain4j directly).
 */
package dev.llmcls.embed;
