/**
 * Embeddings: the bundled in-process models ({@link dev.llmcls.embed.EmbeddingModels}, run by
 * {@link dev.llmcls.embed.OnnxEncoder} with ONNX Runtime and the HuggingFace tokenizer), the cached
 * {@link dev.llmcls.embed.Embedder} over one of them, the on-disk cache, a labelled pool with nearest-neighbour
 * search, and the similarity and kNN classifiers.
 *
 * <p>May depend on {@code core} and {@code data}.
 */
package dev.llmcls.embed;
