/**
 * Model access, the vocabulary every backend shares: {@link dev.llmcls.llm.ChatBackend} with its
 * options and {@link dev.llmcls.llm.Completion}, the {@link dev.llmcls.llm.Sampling} parameters,
 * sampling several answers ({@link dev.llmcls.llm.SamplingBackend}), a server's configuration and
 * what it says of itself, and the classification of failures ({@link dev.llmcls.llm.FailureKind}).
 * The HTTP client is in {@code llm.openai}, the concurrency limits in {@code llm.concurrency}.
 *
 * <p>May depend on {@code core}.
 */
package dev.llmcls.llm;
