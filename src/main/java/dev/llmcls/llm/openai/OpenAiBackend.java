package dev.llmcls.llm.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.llmcls.core.Json;
import dev.llmcls.llm.AnswerMemory;
import dev.llmcls.llm.Async;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.MalformedAnswerException;
import dev.llmcls.llm.ModelNotFoundException;
import dev.llmcls.llm.ServerConfig;
import dev.llmcls.llm.ServerException;
import dev.llmcls.llm.ServerInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A backend for any OpenAI-compatible server (vLLM, Ollama, llama.cpp, OpenAI). It writes the
 * request body and reads the answer itself, so that it sees what real servers add to the standard
 * fields (a reasoning model's {@code reasoning_content}, llama.cpp's model {@code aliases} and
 * {@code /props}). One transport, and so one connection pool, serves every request of a run.
 */
public final class OpenAiBackend implements ChatBackend {
    private static final String USER_AGENT = "llmcls";
    private static final ObjectMapper JSON = Json.MAPPER;

    /**
     * Writes a chat request body as UTF-8, a character outside the BMP as its four bytes (as the
     * body was when it was written as text), not as the two {@code \\u} escapes Jackson's UTF-8
     * writer uses by default: the same JSON to a server, but another key in the answer store than
     * earlier runs'. Half a surrogate pair (a JSON escape in a dataset can make one) is written as
     * its escape.
     */
    private static final ObjectWriter REQUEST_WRITER =
            JSON.writerFor(ChatRequest.class)
                    .with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);

    /**
     * How long the start-up look at the server may take, whatever {@code --timeout} (which is about
     * generating an answer) says; a server that needs longer to list its models is in trouble
     * anyway.
     */
    private static final java.time.Duration PROBE_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final ServerConfig server;
    private final Http11Transport transport;
    private final java.net.URI chatUri;
    private final String[] chatHeaders;
    private volatile ServerInfo.Kind kind = ServerInfo.Kind.OTHER;

    public OpenAiBackend(ServerConfig server) {
        this.server = server;
        this.transport =
                Http11Transport.forBaseUrl(
                        server.baseUrl(), server.connectTimeout(), server.readTimeout());
        this.chatUri = java.net.URI.create(server.baseUrl() + "/chat/completions");
        var headers =
                new ArrayList<>(
                        List.of(
                                "User-Agent",
                                USER_AGENT,
                                "Accept",
                                "application/json",
                                "Content-Type",
                                "application/json"));
        if (server.apiKey() != null) {
            headers.addAll(List.of("Authorization", "Bearer " + server.apiKey()));
        }
        this.chatHeaders = headers.toArray(String[]::new);
    }

    public ServerConfig server() {
        return server;
    }

    /**
     * What kind of server this is, as {@link #describe} found; it picks the advice of a
     * model-not-found stop.
     */
    void kind(ServerInfo.Kind kind) {
        this.kind = kind;
    }

    /**
     * What the server lists at {@code GET /v1/models}, and, for llama.cpp, its slot count from
     * {@code GET /props} (beside {@code /v1}); a server without {@code /props} simply reports none.
     */
    public ServerInfo describe() {
        JsonNode listing = read(get(server.baseUrl() + "/models"), "the model list");
        var models = new ArrayList<ServerInfo.Model>();
        for (JsonNode model : listing.path("data")) {
            var aliases = new ArrayList<String>();
            model.path("aliases").forEach(a -> aliases.add(a.asText()));
            models.add(
                    new ServerInfo.Model(
                            model.path("id").asText(),
                            textOrNull(model.get("owned_by")),
                            aliases,
                            textOrNull(model.get("root")),
                            intOrNull(model.get("meta"), "n_vocab")));
        }
        var info = new ServerInfo(models, null);
        if (info.kind() != ServerInfo.Kind.LLAMA_CPP) {
            return info;
        }
        Integer slots = null;
        String modelPath = null;
        try {
            JsonNode props = read(get(rootUrl() + "/props"), "/props");
            slots =
                    props.path("total_slots").canConvertToInt()
                                    && props.path("total_slots").asInt() > 0
                            ? props.path("total_slots").asInt()
                            : null;
            modelPath = textOrNull(props.get("model_path"));
        } catch (RuntimeException e) {
            // an older llama-server, or /props turned off: the slot count stays unknown
        }
        return new ServerInfo(models, slots, modelPath);
    }

    /**
     * Looks the exact body up in the options' {@link ChatOptions#memory() memory} (the run's answer
     * store) first; an answer found there is returned marked with the run that got it, and nothing
     * is sent. A new answer is kept there.
     */
    @Override
    public Completion complete(String prompt, ChatOptions options) {
        ChatRequest request = ChatRequest.of(prompt, options);
        byte[] body = bytes(request);
        AnswerMemory.Lookup lookup = options.memory().lookUp(body, request.sampled());
        AnswerMemory.Recalled recalled = lookup.recalled();
        if (recalled != null) {
            return answer(recalled.answerBody(), options).from(recalled.from());
        }
        String answer = exchange(body, options.model());
        Completion completion = answer(answer, options);
        lookup.keep(answer);
        return completion;
    }

    /**
     * As {@link #complete}, with no thread waiting for the answer: the body is built and looked up
     * in the answer store on the calling thread, sent with {@code HttpClient.sendAsync}, and the
     * answer read (and kept) on {@code executor}.
     */
    @Override
    public CompletableFuture<Completion> completeAsync(
            String prompt, ChatOptions options, Executor executor) {
        return Async.start(
                () -> {
                    ChatRequest request = ChatRequest.of(prompt, options);
                    byte[] body = bytes(request);
                    AnswerMemory.Lookup lookup = options.memory().lookUp(body, request.sampled());
                    AnswerMemory.Recalled recalled = lookup.recalled();
                    if (recalled != null) {
                        return CompletableFuture.completedFuture(
                                answer(recalled.answerBody(), options).from(recalled.from()));
                    }
                    return Async.then(
                            exchangeAsync(body, options.model()),
                            answer -> {
                                Completion completion = answer(answer, options);
                                lookup.keep(answer);
                                return CompletableFuture.completedFuture(completion);
                            },
                            executor);
                });
    }

    /**
     * The one step that sends a chat request body ({@link #requestBody}) and returns the answer's
     * body. {@code model} names the model in the advice of a 404.
     */
    public String exchange(byte[] body, String model) {
        return Async.await(exchangeAsync(body, model));
    }

    /** As {@link #exchange}, without waiting: the future fails as {@link #exchange} throws. */
    public CompletableFuture<String> exchangeAsync(byte[] body, String model) {
        return Async.compose(
                transport.postAsync(chatUri, chatHeaders, body),
                (answer, failure) -> {
                    if (failure instanceof ServerException e && e.statusCode() == 404) {
                        return CompletableFuture.failedFuture(
                                new ModelNotFoundException(server.baseUrl(), model, kind, e));
                    }
                    return failure != null
                            ? CompletableFuture.failedFuture(failure)
                            : CompletableFuture.completedFuture(answer);
                },
                Runnable::run);
    }

    /**
     * The one place a chat request body is built: what {@link #complete} sends, and what batch
     * files hold. One line of compact JSON ({@link ChatRequest}).
     */
    public static String requestBody(String prompt, ChatOptions options) {
        return new String(bytes(ChatRequest.of(prompt, options)), StandardCharsets.UTF_8);
    }

    /**
     * The body as the UTF-8 bytes that are sent: written as bytes once, then sent, looked up and
     * kept as they are (a string would be encoded again for the HTTP request and again for the
     * answer store).
     */
    private static byte[] bytes(ChatRequest request) {
        try {
            return REQUEST_WRITER.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An answer body read as {@link #complete} reads it; batch results are read the same way. */
    public static Completion answer(String answer, ChatOptions options) {
        // Token log-probabilities (and vLLM's prompt_logprobs) are kept only when they were asked
        // for.
        return ChatResponse.parse(answer).toCompletion(options.wantsLogprobs());
    }

    private String get(String url) {
        return transport.execute(builder(url, HttpMethod.GET).build(), PROBE_TIMEOUT).body();
    }

    private HttpRequest.Builder builder(String url, HttpMethod method) {
        var builder =
                HttpRequest.builder()
                        .method(method)
                        .url(url)
                        .addHeader("User-Agent", USER_AGENT)
                        .addHeader("Accept", "application/json");
        if (server.apiKey() != null) {
            builder.addHeader("Authorization", "Bearer " + server.apiKey());
        }
        return builder;
    }

    /**
     * The server's root: the base URL without its trailing {@code /v1}, where llama.cpp serves
     * {@code /props}.
     */
    private String rootUrl() {
        String base = server.baseUrl();
        return base.endsWith("/v1") ? base.substring(0, base.length() - 3) : base;
    }

    private static JsonNode read(String body, String what) {
        try {
            JsonNode node = JSON.readTree(body == null ? "" : body);
            if (node == null || !node.isObject()) {
                throw new MalformedAnswerException(
                        what + " is not a JSON object: " + abbreviate(body));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedAnswerException(what + " is not JSON: " + abbreviate(body));
        }
    }

    private static String abbreviate(String body) {
        String text = String.valueOf(body).strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Integer intOrNull(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        return node == null || !node.canConvertToInt() ? null : node.asInt();
    }
}
