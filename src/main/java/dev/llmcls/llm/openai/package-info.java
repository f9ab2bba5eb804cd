/**
 * The OpenAI-compatible chat client over HTTP/1.1 ({@link dev.llmcls.llm.openai.OpenAiBackend}, over
 * {@link dev.llmcls.llm.openai.Http11Transport}), the reading of answers' log-probabilities
 * ({@link dev.llmcls.llm.openai.LogprobAnswers}) and the start-up probe of a server
 * ({@link dev.llmcls.llm.openai.ServerProbe}). Batch files share its request bodies and answer reading.
 *
 * <p>May depend on {@code core} and {@code llm}.
 */
package dev.llmcls.llm.openai;
