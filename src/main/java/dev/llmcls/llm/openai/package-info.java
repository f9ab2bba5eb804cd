/**
 * The OpenAI-compatible chat client over HTTP/1.1 ({@link dev.llmcls.llm.openai.OpenAiBackend},
 * over {@link dev.llmcls.llm.openai.Http11Transport}), its wire format as typed records (the
 * request body {@link dev.llmcls.llm.openai.ChatRequest}, the answer {@link
 * dev.llmcls.llm.openai.ChatResponse}, log-probabilities included) and the start-up probe of a
 * server ({@link dev.llmcls.llm.openai.ServerProbe}). Batch files share its request bodies and
 * answer reading.
 *
 * <p>May depend on {@code core} and {@code llm}.
 */
package dev.llmcls.llm.openai;
