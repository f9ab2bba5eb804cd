package dev.llmcls.llm.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.llmcls.core.Json;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.MalformedAnswerException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a chat completion answer, the fields llmcls reads, named as vLLM's {@code
 * ChatCompletionResponse} and llama.cpp's server write them. Every other field ({@code id}, {@code
 * created}, llama.cpp's {@code timings}, token {@code bytes}, ...) is skipped while parsing rather
 * than kept: nothing reads them, and keeping them would cost every answer an allocation.
 *
 * <p>Log-probabilities, in vLLM's shapes: {@code choices[].logprobs.content[]} of {@code {token,
 * logprob, top_logprobs: [{token, logprob}]}}, and the top-level {@code prompt_logprobs}, a list
 * with one entry per prompt token, {@code null} first, each a map from token id to {@code {logprob,
 * rank, decoded_token}} whose first key is the prompt's own token. vLLM writes {@code -9999.0} for
 * an impossible token.
 */
public record ChatResponse(
        List<Choice> choices,
        Usage usage,
        @JsonProperty("prompt_logprobs")
                List<LinkedHashMap<String, PromptLogprob>> promptLogprobs) {

    private static final ObjectReader READER = Json.MAPPER.readerFor(ChatResponse.class);

    /**
     * Reads an answer body.
     *
     * @throws MalformedAnswerException when it is not a JSON object of this shape (an HTML error
     *     page, a proxy's message, a truncated body)
     */
    public static ChatResponse parse(String body) {
        ChatResponse response;
        try {
            response = READER.readValue(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            String text = String.valueOf(body).strip();
            throw new MalformedAnswerException(
                    "the answer is not "
                            + (text.startsWith("{") ? "a chat completion" : "a JSON object")
                            + ": "
                            + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
        }
        if (response == null) {
            throw new MalformedAnswerException("the answer is not a JSON object: null");
        }
        return response;
    }

    /** Reads an answer body as a {@link Completion}; see {@link #toCompletion}. */
    public static Completion read(String body, boolean withLogprobs) {
        return parse(body).toCompletion(withLogprobs);
    }

    public record Choice(
            Message message,
            @JsonProperty("finish_reason") String finishReason,
            Logprobs logprobs) {}

    /**
     * The answer's text, and what a reasoning model thought beside it: llama.cpp and vLLM before
     * 0.11 say {@code reasoning_content}, newer vLLM says {@code reasoning}.
     */
    public record Message(
            String content,
            @JsonProperty("reasoning_content") String reasoningContent,
            String reasoning) {}

    public record Logprobs(List<TokenLogprob> content) {}

    public record TokenLogprob(
            String token,
            double logprob,
            @JsonProperty("top_logprobs") List<Alternative> topLogprobs) {}

    public record Alternative(String token, double logprob) {}

    public record Usage(
            @JsonProperty("prompt_tokens") Integer promptTokens,
            @JsonProperty("completion_tokens") Integer completionTokens) {}

    public record PromptLogprob(
            double logprob, Integer rank, @JsonProperty("decoded_token") String decodedToken) {}

    /**
     * This answer as a {@link Completion}; {@code withLogprobs} keeps the token and prompt
     * log-probabilities (only when they were asked for, so an answer that was not asked for them
     * reads as it always has).
     *
     * @throws MalformedAnswerException when it has no choices, or a prompt token id that is not a
     *     number
     */
    public Completion toCompletion(boolean withLogprobs) {
        if (choices == null || choices.isEmpty()) {
            throw new MalformedAnswerException("the server's answer has no choices");
        }
        var read = new ArrayList<Completion.Choice>(choices.size());
        for (Choice choice : choices) {
            if (choice == null) {
                throw new MalformedAnswerException("the server's answer has an empty choice");
            }
            Message message = choice.message();
            String content = message == null || message.content() == null ? "" : message.content();
            String thought =
                    message == null
                            ? null
                            : message.reasoningContent() != null
                                    ? message.reasoningContent()
                                    : message.reasoning();
            read.add(
                    new Completion.Choice(
                            content,
                            choice.finishReason(),
                            withLogprobs ? tokens(choice.logprobs()) : null,
                            thought));
        }
        return new Completion(
                read,
                usage == null ? null : usage.promptTokens(),
                usage == null ? null : usage.completionTokens(),
                withLogprobs ? promptTokens() : null);
    }

    private static List<Completion.TokenLogprob> tokens(Logprobs logprobs) {
        if (logprobs == null || logprobs.content() == null) {
            return null;
        }
        var tokens = new ArrayList<Completion.TokenLogprob>(logprobs.content().size());
        for (TokenLogprob token : logprobs.content()) {
            var top = new ArrayList<Completion.Alternative>();
            if (token.topLogprobs() != null) {
                for (Alternative alternative : token.topLogprobs()) {
                    top.add(
                            new Completion.Alternative(
                                    textOf(alternative.token()), alternative.logprob()));
                }
            }
            tokens.add(new Completion.TokenLogprob(textOf(token.token()), token.logprob(), top));
        }
        return tokens;
    }

    private List<Completion.PromptToken> promptTokens() {
        if (promptLogprobs == null) {
            return null;
        }
        var tokens = new ArrayList<Completion.PromptToken>(promptLogprobs.size());
        for (LinkedHashMap<String, PromptLogprob> position : promptLogprobs) {
            if (position == null || position.isEmpty()) {
                tokens.add(null);
                continue;
            }
            Map.Entry<String, PromptLogprob> own = position.entrySet().iterator().next();
            long id;
            try {
                id = Long.parseLong(own.getKey());
            } catch (NumberFormatException e) {
                throw new MalformedAnswerException(
                        "prompt_logprobs has a token id that is not a number: " + own.getKey());
            }
            PromptLogprob value = own.getValue();
            tokens.add(
                    value == null
                            ? new Completion.PromptToken(id, null, 0, null)
                            : new Completion.PromptToken(
                                    id, value.decodedToken(), value.logprob(), value.rank()));
        }
        return tokens;
    }

    private static String textOf(String token) {
        return token == null ? "" : token;
    }
}
