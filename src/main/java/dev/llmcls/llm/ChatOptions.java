package dev.llmcls.llm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything sent with each prompt besides the prompt itself: the model, its sampling parameters,
 * how many answers to sample, and any server-specific parameters (vLLM's {@code stop_token_ids},
 * structured-output settings, {@code prompt_logprobs}, {@code continue_final_message}).
 *
 * <p>{@code assistantPrefix}, when not null, is sent as a last assistant message after the prompt:
 * the answer written so far, which the server continues (with vLLM's {@code
 * continue_final_message}). {@code topLogprobs}, when not null, asks for each answer token's
 * log-probability ({@code logprobs: true}) and that many alternatives ({@code top_logprobs}; vLLM
 * refuses more than its {@code --max-logprobs}, 20 by default).
 *
 * <p>{@code memory} is not sent: it is where the backend looks the exact request body up before
 * sending it, and keeps the answer after (one run's use of the answer store). It travels with the
 * request, not with the backend, because runs that share a server (an experiment's cells) share one
 * backend while each has its own store session, provenance and counts.
 */
public record ChatOptions(
        String model,
        Sampling sampling,
        int n,
        Map<String, Object> extraParameters,
        String assistantPrefix,
        Integer topLogprobs,
        AnswerMemory memory) {
    public ChatOptions {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(memory, "memory");
        // In the order given: the body lists them so, and a batch file's bodies must not vary from
        // run to run
        // (Map.copyOf's order changes with each JVM).
        extraParameters.forEach((key, value) -> Objects.requireNonNull(value, key));
        extraParameters =
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extraParameters));
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        if (topLogprobs != null && topLogprobs < 0) {
            throw new IllegalArgumentException(
                    "top logprobs must not be negative, got " + topLogprobs);
        }
    }

    public ChatOptions(
            String model,
            Sampling sampling,
            int n,
            Map<String, Object> extraParameters,
            String assistantPrefix,
            Integer topLogprobs) {
        this(model, sampling, n, extraParameters, assistantPrefix, topLogprobs, AnswerMemory.NONE);
    }

    public ChatOptions(
            String model, Sampling sampling, int n, Map<String, Object> extraParameters) {
        this(model, sampling, n, extraParameters, null, null);
    }

    public static ChatOptions of(String model, Sampling sampling) {
        return new ChatOptions(model, sampling, 1, Map.of());
    }

    /** These options asking for {@code n} answers. */
    public ChatOptions withN(int n) {
        return new ChatOptions(
                model, sampling, n, extraParameters, assistantPrefix, topLogprobs, memory);
    }

    /** These options with other server-specific body parameters. */
    public ChatOptions withExtraParameters(Map<String, Object> parameters) {
        return new ChatOptions(
                model, sampling, n, parameters, assistantPrefix, topLogprobs, memory);
    }

    /** These options asking for each answer token's log-probability and {@code k} alternatives. */
    public ChatOptions withTopLogprobs(Integer k) {
        return new ChatOptions(model, sampling, n, extraParameters, assistantPrefix, k, memory);
    }

    /**
     * These options looking answers up in, and keeping them to, {@code memory} ({@link
     * AnswerMemory#NONE}: neither).
     */
    public ChatOptions withMemory(AnswerMemory memory) {
        return new ChatOptions(
                model, sampling, n, extraParameters, assistantPrefix, topLogprobs, memory);
    }

    /** Whether the answer carries log-probabilities to read (answer tokens' or the prompt's). */
    public boolean wantsLogprobs() {
        return topLogprobs != null || extraParameters.containsKey("prompt_logprobs");
    }

    /** The body parameters beyond the standard OpenAI ones, in a stable order. */
    public Map<String, Object> customParameters() {
        var custom = new LinkedHashMap<String, Object>();
        if (!sampling.stopTokenIds().isEmpty()) {
            custom.put("stop_token_ids", sampling.stopTokenIds());
        }
        custom.putAll(extraParameters);
        return custom;
    }
}
