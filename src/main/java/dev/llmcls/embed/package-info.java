/**
 * Embeddings: the bundled in-process models ({@link dev.llmcls.embed.EmbeddingModels}, run by
 * {@link dev.llmcls.embed.OnnxEncoder} with ONNX Runtime and the HuggingFace tokenizer), the cached
 * {@link dev.llmcls.embed.Embedder} over one of them, the on-disk cache, a labelled pool with
 * nearest-neighbour search, and the similarity, kNN, linear-probe and kNN-with-TF-IDF classifiers.
 *
 * <p>May depend on {@code core}, {@code data} and {@code learn}.
 */
package dev.llmcls.embed;
