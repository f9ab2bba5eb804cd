/**
 * Model access. The OpenAI-compatible chat client over HTTP/1.1 ({@link dev.llmcls.llm.OpenAiBackend}), the
 * start-up probe, the replica pool, sampling several answers, the classification of failures
 * ({@link dev.llmcls.llm.FailureKind}), whose request bodies and answer reading batch files share, and the bundled
 * in-process embedding models
 * ({@link dev.llmcls.llm.EmbeddingModels}). The only package that sees langchain4j's types.
 *
 * <p>May depend on {@code core}.
 */
package dev.llmcls.llm;
