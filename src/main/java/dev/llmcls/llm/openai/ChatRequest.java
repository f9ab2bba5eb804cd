package dev.llmcls.llm.openai;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.llmcls.llm.ChatOptions;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/chat/completions} as llmcls sends it: the standard fields of OpenAI's
 * chat request (vLLM's {@code ChatCompletionRequest} and llama.cpp's server read the same names),
 * then the server-specific ones ({@code vendor}: vLLM's {@code stop_token_ids}, {@code
 * structured_outputs}, {@code prompt_logprobs}, {@code continue_final_message}, ...) in the order
 * the options list them. Absent fields are left out, not sent as null: a server reads a missing
 * {@code seed} as "none", but some refuse {@code "n": null}.
 *
 * <p>The field order is part of the format: batch files hold these bodies, and {@code
 * ChatRequestBodyTest} pins them byte for byte.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "model",
    "messages",
    "logprobs",
    "top_logprobs",
    "temperature",
    "max_tokens",
    "seed",
    "n"
})
public record ChatRequest(
        String model,
        List<Message> messages,
        Boolean logprobs,
        @JsonProperty("top_logprobs") Integer topLogprobs,
        double temperature,
        @JsonProperty("max_tokens") int maxTokens,
        Integer seed,
        Integer n,
        @JsonIgnore Map<String, Object> vendor) {

    /**
     * One chat message: {@code user} (the prompt) or {@code assistant} (an answer begun, which the
     * server continues).
     */
    public record Message(String role, String content) {}

    public ChatRequest {
        messages = List.copyOf(messages);
        vendor = vendor == null ? Map.of() : vendor;
    }

    /** The request for one prompt with these options. */
    public static ChatRequest of(String prompt, ChatOptions options) {
        List<Message> messages =
                options.assistantPrefix() == null
                        ? List.of(new Message("user", prompt))
                        : List.of(
                                new Message("user", prompt),
                                new Message("assistant", options.assistantPrefix()));
        boolean logprobs = options.topLogprobs() != null;
        return new ChatRequest(
                options.model(),
                messages,
                logprobs ? Boolean.TRUE : null,
                logprobs ? options.topLogprobs() : null,
                options.sampling().temperature(),
                options.sampling().maxTokens(),
                options.sampling().seed(),
                options.n() != 1 ? options.n() : null,
                options.customParameters());
    }

    /**
     * Whether an answer to this request is a draw: a temperature above 0 without a seed (a
     * server-specific field of either name, written after the standard ones, is the one the server
     * reads). The answer store keeps such answers but reuses them only when asked.
     */
    @JsonIgnore
    public boolean sampled() {
        double t = temperature;
        boolean seeded = seed != null;
        if (vendor.get("temperature") instanceof Number number) {
            t = number.doubleValue();
        }
        if (vendor.containsKey("seed")) {
            seeded = vendor.get("seed") != null;
        }
        return t > 0 && !seeded;
    }

    /** The server-specific fields, written after the standard ones. */
    @JsonAnyGetter
    public Map<String, Object> vendorFields() {
        return vendor;
    }
}
