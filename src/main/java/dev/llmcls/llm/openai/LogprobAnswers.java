package dev.llmcls.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.core.Json;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.MalformedAnswerException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a chat completion body with its log-probabilities, in vLLM's shapes (checked against vLLM's
 * {@code ChatCompletionResponse}): {@code choices[].logprobs.content[]} of {@code {token, logprob, bytes,
 * top_logprobs: [{token, logprob, bytes}]}}, and the top-level {@code prompt_logprobs}, a list with one entry per
 * prompt token, {@code null} first, each a map from token id to {@code {logprob, rank, decoded_token}} whose first
 * key is the prompt's own token. vLLM writes {@code -9999.0} for an impossible token.
 */
public final class LogprobAnswers {
    private static final ObjectMapper JSON = Json.MAPPER;

    private LogprobAnswers() {
    }

    public static Completion parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new MalformedAnswerException("the server's answer is not JSON: " + e.getMessage());
        }
        if (root == null || !root.path("choices").isArray() || root.path("choices").isEmpty()) {
            throw new MalformedAnswerException("the server's answer has no choices");
        }
        var choices = new ArrayList<Completion.Choice>();
        for (JsonNode choice : root.path("choices")) {
            JsonNode content = choice.path("message").path("content");
            // a reasoning model's reasoning, as OpenAiBackend reads it: reasoning_content, or newer vLLM's reasoning
            JsonNode reasoning = choice.path("message").path("reasoning_content");
            reasoning = reasoning.isTextual() ? reasoning : choice.path("message").path("reasoning");
            choices.add(new Completion.Choice(content.isTextual() ? content.asText() : "",
                    choice.path("finish_reason").isTextual() ? choice.path("finish_reason").asText() : null,
                    tokens(choice.path("logprobs").path("content")), reasoning.isTextual() ? reasoning.asText() : null));
        }
        JsonNode usage = root.path("usage");
        return new Completion(choices, integer(usage.path("prompt_tokens")), integer(usage.path("completion_tokens")),
                promptTokens(root.path("prompt_logprobs")));
    }

    private static List<Completion.TokenLogprob> tokens(JsonNode content) {
        if (!content.isArray()) {
            return null;
        }
        var tokens = new ArrayList<Completion.TokenLogprob>(content.size());
        for (JsonNode token : content) {
            var top = new ArrayList<Completion.Alternative>();
            for (JsonNode alternative : token.path("top_logprobs")) {
                top.add(new Completion.Alternative(alternative.path("token").asText(), alternative.path("logprob").asDouble()));
            }
            tokens.add(new Completion.TokenLogprob(token.path("token").asText(), token.path("logprob").asDouble(), top));
        }
        return tokens;
    }

    private static List<Completion.PromptToken> promptTokens(JsonNode list) {
        if (!list.isArray()) {
            return null;
        }
        var tokens = new ArrayList<Completion.PromptToken>(list.size());
        for (JsonNode position : list) {
            if (position == null || position.isNull() || !position.isObject() || position.isEmpty()) {
                tokens.add(null);
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> entries = position.fields();
            Map.Entry<String, JsonNode> own = entries.next();
            long id;
            try {
                id = Long.parseLong(own.getKey());
            } catch (NumberFormatException e) {
                throw new MalformedAnswerException("prompt_logprobs has a token id that is not a number: " + own.getKey());
            }
            JsonNode value = own.getValue();
            tokens.add(new Completion.PromptToken(id, value.path("decoded_token").asText(null),
                    value.path("logprob").asDouble(), value.path("rank").isInt() ? value.path("rank").asInt() : null));
        }
        return tokens;
    }

    private static Integer integer(JsonNode node) {
        return node.isNumber() ? node.asInt() : null;
    }
}
