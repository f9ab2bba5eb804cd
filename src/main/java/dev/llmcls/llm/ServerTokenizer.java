package dev.llmcls.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcls.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's own tokenizer, through the endpoints vLLM and llama.cpp serve beside the OpenAI API
 * (at the server's root, not under {@code /v1}). One request body suits both: vLLM's {@code
 * TokenizeCompletionRequest} ({@code vllm/entrypoints/openai/protocol.py}: {@code model}, {@code
 * prompt}, {@code add_special_tokens}; answer {@code {"count", "max_model_len", "tokens"}}) and
 * llama.cpp's {@code /tokenize} ({@code tools/server/server.cpp}: {@code content}, {@code
 * add_special}; answer {@code {"tokens"}}); each ignores the other's fields. {@code /detokenize}
 * takes {@code {"model", "tokens"}} and answers {@code {"prompt"}} (vLLM) or {@code {"content"}}
 * (llama.cpp).
 */
public final class ServerTokenizer {
    private final ServerConfig server;
    private final String model;
    private final String root;
    private final HttpClient http;

    public ServerTokenizer(ServerConfig server, String model) {
        this.server = server;
        this.model = model;
        String base = server.baseUrl();
        this.root = base.endsWith("/v1") ? base.substring(0, base.length() - 3) : base;
        this.http = HttpClient.newBuilder().connectTimeout(server.connectTimeout()).build();
    }

    /**
     * The token ids of {@code text} without special tokens; empty when the server has no {@code
     * /tokenize}.
     */
    public Optional<List<Integer>> tokenize(String text) throws InterruptedException {
        ObjectNode body =
                Json.MAPPER
                        .createObjectNode()
                        .put("model", model)
                        .put("prompt", text)
                        .put("add_special_tokens", false)
                        .put("content", text)
                        .put("add_special", false);
        JsonNode answer = post("/tokenize", body);
        if (answer == null) {
            return Optional.empty();
        }
        JsonNode tokens = answer.get("tokens");
        if (tokens == null || !tokens.isArray()) {
            throw new IllegalStateException(root + "/tokenize answered without a tokens list");
        }
        var ids = new ArrayList<Integer>(tokens.size());
        for (JsonNode token : tokens) {
            // llama.cpp answers {"id", "piece"} objects when asked with_pieces; plain ids otherwise
            ids.add(token.isObject() ? token.get("id").asInt() : token.asInt());
        }
        return Optional.of(ids);
    }

    /** The text of {@code tokens}. */
    public String detokenize(List<Integer> tokens) throws InterruptedException {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", model);
        tokens.forEach(body.putArray("tokens")::add);
        JsonNode answer = post("/detokenize", body);
        if (answer == null) {
            throw new IllegalStateException(
                    root + "/detokenize is missing although /tokenize answered");
        }
        JsonNode text = answer.has("prompt") ? answer.get("prompt") : answer.get("content");
        if (text == null || !text.isTextual()) {
            throw new IllegalStateException(root + "/detokenize answered without the text");
        }
        return text.asText();
    }

    /**
     * The answer's JSON; null when the endpoint does not exist (404, 405: not a vLLM or llama.cpp
     * server).
     */
    private JsonNode post(String path, ObjectNode body) throws InterruptedException {
        var request =
                HttpRequest.newBuilder(URI.create(root + path))
                        .timeout(server.readTimeout())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (server.apiKey() != null) {
            request.header("Authorization", "Bearer " + server.apiKey());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(
                    "cannot reach " + root + path + ": " + e.getMessage(), e);
        }
        if (response.statusCode() == 404 || response.statusCode() == 405) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new ServerException(
                    response.statusCode(),
                    root + path + " answered HTTP " + response.statusCode(),
                    null);
        }
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(root + path + " answered something other than JSON", e);
        }
    }
}
