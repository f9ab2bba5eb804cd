package dev.llmcls.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A stand-in for vLLM's OpenAI-compatible server on 127.0.0.1: {@code GET /v1/models}, {@code POST
 * /v1/chat/completions}, vLLM's response and error bodies. It answers from the prompt through a
 * {@link Responder}, records what it received, and can inject faults (errors, 429 with Retry-After,
 * dropped connections, garbage bodies, slow answers) through a {@link FaultPlan}.
 */
public final class FakeOpenAiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // vLLM's uvicorn keeps every keep-alive connection open (timeout_keep_alive, 5 s idle);
        // the JDK's HttpServer closes each idle one beyond 200, so a client with 1,024 requests in
        // flight reconnected for most of them and spent its CPU on connects, not on requests. Read
        // once, when the JDK's server is first used in this JVM.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
        }
    }

    /** What the server saw of one chat request. */
    public record ChatRequest(
            int number,
            String protocol,
            Map<String, List<String>> headers,
            JsonNode body,
            String prompt) {
        public String header(String name) {
            for (var entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().isEmpty() ? null : entry.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** The model's answer(s) to a prompt; one string per requested choice. */
    public interface Responder extends Function<ChatRequest, String> {}

    /**
     * The stand-in's language model for log-probabilities: how likely {@code token} is after the
     * rendered text {@code context}, and which alternatives it lists at a position. Tests define it
     * and so know every expected probability; the server reports it in vLLM's shapes (see {@link
     * #tokenize} and {@link #render}).
     */
    public interface LogprobModel {
        /** Every token has log-probability -1 and there are no alternatives. */
        LogprobModel UNIFORM = (context, token) -> -1.0;

        double logprob(String context, String token);

        /**
         * The alternatives after {@code context}, token → log-probability; the top ones are listed.
         */
        default Map<String, Double> alternatives(String context) {
            return Map.of();
        }
    }

    /** Decides, per request, whether to misbehave. */
    public interface FaultPlan {
        FaultPlan NONE = request -> Fault.none();

        Fault faultFor(ChatRequest request);

        /**
         * Each prompt's first {@code failures} requests fail with {@code fault}; later ones
         * succeed.
         */
        static FaultPlan firstAttemptsFail(int failures, Fault fault) {
            Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
            return request ->
                    seen.computeIfAbsent(request.prompt(), p -> new AtomicInteger())
                                            .incrementAndGet()
                                    <= failures
                            ? fault
                            : Fault.none();
        }
    }

    /**
     * How the model spends its time on a request that will be answered: called on the request's
     * handler thread just before the answer is sent. The default answers at once; benchmarks plug
     * in a batching engine with service times.
     */
    public interface Engine {
        Engine INSTANT = request -> {};

        void serve(ChatRequest request) throws InterruptedException;
    }

    /** A misbehaviour for one request. */
    public record Fault(Kind kind, int status, String retryAfter, long delayMillis) {
        public enum Kind {
            NONE,
            HTTP_ERROR,
            DROP_CONNECTION,
            GARBAGE_BODY,
            DELAY
        }

        public static Fault none() {
            return new Fault(Kind.NONE, 0, null, 0);
        }

        public static Fault status(int status) {
            return new Fault(Kind.HTTP_ERROR, status, null, 0);
        }

        public static Fault rateLimited(int retryAfterSeconds) {
            return new Fault(Kind.HTTP_ERROR, 429, Integer.toString(retryAfterSeconds), 0);
        }

        /**
         * {@code status} with this {@code Retry-After} header, verbatim (e.g. "-1", an HTTP date,
         * "soon").
         */
        public static Fault withRetryAfter(int status, String retryAfter) {
            return new Fault(Kind.HTTP_ERROR, status, retryAfter, 0);
        }

        public static Fault dropConnection() {
            return new Fault(Kind.DROP_CONNECTION, 0, null, 0);
        }

        public static Fault garbage() {
            return new Fault(Kind.GARBAGE_BODY, 200, null, 0);
        }

        public static Fault delay(long millis) {
            return new Fault(Kind.DELAY, 0, null, millis);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<String> models;
    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final java.util.Set<HttpExchange> exchangesInFlight =
            java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong modelListings = new AtomicLong();
    private final List<ChatRequest> received = Collections.synchronizedList(new ArrayList<>());
    private volatile Responder responder;
    private volatile FaultPlan faults = FaultPlan.NONE;
    private volatile Engine engine = Engine.INSTANT;
    private volatile boolean recordRequests = true;
    private volatile int contextLength = 131072;
    private volatile String ownedBy = "vllm";
    private volatile String apiKey;
    private volatile List<String> aliases = List.of();
    private volatile String root;
    private volatile Integer vocabSize;
    private volatile Integer totalSlots;
    private volatile boolean anyModel;
    private volatile Responder reasoning;
    private volatile LogprobModel logprobModel = LogprobModel.UNIFORM;
    private volatile boolean promptLogprobs = true;
    private volatile int maxLogprobs = 20;
    private volatile int rateLimit;
    private volatile String rateLimitRetryAfter;
    private final AtomicInteger rateLimited = new AtomicInteger();
    private volatile int lastRateLimitedAfter = -1;
    private volatile boolean tokenizeEndpoints = true;
    private final AtomicInteger tokenizeRequests = new AtomicInteger();
    private final Map<Long, String> vocabulary = new java.util.concurrent.ConcurrentHashMap<>();

    private FakeOpenAiServer(int port, List<String> models, Responder responder)
            throws IOException {
        this.models = List.copyOf(models);
        this.responder = responder;
        this.server =
                HttpServer.create(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        this.executor =
                Executors.newCachedThreadPool(
                        runnable -> {
                            Thread thread = new Thread(runnable, "fake-openai");
                            thread.setDaemon(true);
                            return thread;
                        });
        server.setExecutor(executor);
        server.createContext("/v1/models", this::handleModels);
        server.createContext("/v1/chat/completions", this::handleChat);
        server.createContext("/props", this::handleProps);
        server.createContext("/tokenize", this::handleTokenize);
        server.createContext("/detokenize", this::handleDetokenize);
        server.createContext(
                "/", exchange -> sendError(exchange, 404, "NotFoundError", "Not Found", null));
        server.start();
    }

    public static FakeOpenAiServer start(Responder responder) throws IOException {
        return start(0, List.of("glm-4-9b-chat"), responder);
    }

    public static FakeOpenAiServer start(int port, List<String> models, Responder responder)
            throws IOException {
        return new FakeOpenAiServer(port, models, responder);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void responder(Responder responder) {
        this.responder = responder;
    }

    public void faults(FaultPlan faults) {
        this.faults = faults;
    }

    public void engine(Engine engine) {
        this.engine = engine;
    }

    public void recordRequests(boolean record) {
        this.recordRequests = record;
    }

    /**
     * The {@code owned_by} of the listed models: "vllm" as vLLM says; e.g. "library" to look like
     * Ollama.
     */
    public void ownedBy(String owner) {
        this.ownedBy = owner;
    }

    /**
     * Every endpoint answers 401 (llama-server's body) unless the request carries {@code Bearer
     * key}.
     */
    public void apiKey(String key) {
        this.apiKey = key;
    }

    /**
     * Behave like llama-server with one model: list the model as owned by "llamacpp" with these
     * {@code aliases} and a vocabulary of {@code vocabSize} tokens, report {@code totalSlots} at
     * {@code GET /props} (null: no /props), and answer a chat request for any model name.
     */
    public void likeLlamaServer(List<String> aliases, Integer vocabSize, Integer totalSlots) {
        this.ownedBy = "llamacpp";
        this.aliases = List.copyOf(aliases);
        this.vocabSize = vocabSize;
        this.totalSlots = totalSlots;
        this.anyModel = true;
    }

    /**
     * Answer like a reasoning model behind a reasoning parser: each choice's {@code
     * reasoning_content} is what this responder says, its {@code content} what the main responder
     * says (may be empty).
     */
    public void reasoning(Responder reasoning) {
        this.reasoning = reasoning;
    }

    /**
     * vLLM's {@code root}: the weights the listed model really is (null: the model's id, as vLLM
     * lists it).
     */
    public void root(String root) {
        this.root = root;
    }

    /** Prompts longer than this many tokens (estimated as characters / 4) get vLLM's 400 answer. */
    public void contextLength(int tokens) {
        this.contextLength = tokens;
    }

    public void logprobModel(LogprobModel model) {
        this.logprobModel = model;
    }

    /**
     * false: answer like a server that ignores {@code prompt_logprobs} (it returns {@code
     * "prompt_logprobs": null}).
     */
    public void promptLogprobs(boolean supported) {
        this.promptLogprobs = supported;
    }

    /**
     * Behave like a rate limiter in front of the model: a chat request that arrives while {@code
     * concurrency} others are in flight is answered 429 at once, with this {@code Retry-After}
     * (null: none). 0 turns it off.
     */
    public void rateLimit(int concurrency, String retryAfter) {
        this.rateLimit = concurrency;
        this.rateLimitRetryAfter = retryAfter;
    }

    /**
     * How many chat requests had been admitted when {@link #rateLimit} last refused one (-1:
     * never).
     */
    public int lastRateLimitedAfter() {
        return lastRateLimitedAfter;
    }

    /** Chat requests answered 429 by {@link #rateLimit}. */
    public int rateLimited() {
        return rateLimited.get();
    }

    /** vLLM's {@code --max-logprobs}: more alternatives asked for are answered with vLLM's 400. */
    public void maxLogprobs(int max) {
        this.maxLogprobs = max;
    }

    public List<ChatRequest> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public int chatRequests() {
        return requestCount.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public long modelListings() {
        return modelListings.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * llama-server's 401 when a key is set and the request does not carry it; true when it answered
     * so.
     */
    private boolean refused(HttpExchange exchange) throws IOException {
        String key = apiKey;
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (key == null || ("Bearer " + key).equals(auth)) {
            return false;
        }
        drain(exchange.getRequestBody());
        sendError(exchange, 401, "authentication_error", "Invalid API Key", null);
        return true;
    }

    private void handleProps(HttpExchange exchange) throws IOException {
        try (exchange) {
            drain(exchange.getRequestBody());
            if (totalSlots == null || !"/props".equals(exchange.getRequestURI().getPath())) {
                sendError(exchange, 404, "not_found_error", "File Not Found", null);
                return;
            }
            if (refused(exchange)) {
                return;
            }
            // llama-server's get_props: model_alias, model_path (the weights' file), total_slots,
            // ...
            ObjectNode body =
                    JSON.createObjectNode()
                            .put("total_slots", totalSlots)
                            .put("model_alias", models.get(0))
                            .put("model_path", "/models/" + models.get(0) + ".gguf");
            body.putObject("default_generation_settings").put("n_ctx", contextLength);
            send(exchange, 200, JSON.writeValueAsBytes(body));
        }
    }

    private void handleModels(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (refused(exchange)) {
                return;
            }
            drain(exchange.getRequestBody());
            modelListings.incrementAndGet();
            ObjectNode body = JSON.createObjectNode().put("object", "list");
            ArrayNode data = body.putArray("data");
            for (String id : models) {
                ObjectNode model =
                        data.addObject()
                                .put("id", id)
                                .put("object", "model")
                                .put("created", 1_700_000_000L)
                                .put("owned_by", ownedBy);
                if ("llamacpp".equals(ownedBy)) {
                    ArrayNode aliasList = model.putArray("aliases");
                    aliases.forEach(aliasList::add);
                    model.putArray("tags");
                    ObjectNode meta = model.putObject("meta").put("n_ctx", contextLength);
                    if (vocabSize != null) {
                        meta.put("n_vocab", vocabSize);
                    }
                } else {
                    model.put("root", root != null ? root : id)
                            .putNull("parent")
                            .put("max_model_len", contextLength);
                }
            }
            send(exchange, 200, JSON.writeValueAsBytes(body));
        }
    }

    /**
     * Counts the request as in flight until its answer is about to be written (see {@link #send}):
     * a client may send its next request the moment it reads an answer, before this handler's
     * thread gets to run again, so counting until the handler returns would see one request too
     * many.
     */
    private void handleChat(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        exchangesInFlight.add(exchange);
        try {
            int limit = rateLimit;
            if (limit > 0 && now > limit) {
                drain(exchange.getRequestBody());
                rateLimited.incrementAndGet();
                lastRateLimitedAfter = requestCount.get();
                if (rateLimitRetryAfter != null) {
                    exchange.getResponseHeaders().add("Retry-After", rateLimitRetryAfter);
                }
                sendError(
                        exchange,
                        429,
                        "RateLimitError",
                        "more than " + limit + " requests in flight",
                        null);
                return;
            }
            serveChat(exchange);
        } finally {
            leaveFlight(exchange); // for answers never sent: dropped connections
        }
    }

    private void leaveFlight(HttpExchange exchange) {
        if (exchangesInFlight.remove(exchange)) {
            inFlight.decrementAndGet();
        }
    }

    private void serveChat(HttpExchange exchange) throws IOException {
        if (refused(exchange)) {
            return;
        }
        byte[] raw = exchange.getRequestBody().readAllBytes();
        int number = requestCount.incrementAndGet();
        if (!"POST".equals(exchange.getRequestMethod())) {
            sendError(exchange, 405, "MethodNotAllowed", "Method Not Allowed", null);
            return;
        }
        JsonNode body;
        try {
            body = raw.length == 0 ? null : JSON.readTree(raw);
        } catch (IOException e) {
            sendError(exchange, 400, "BadRequestError", "JSON decode error", null);
            return;
        }
        if (body == null || !body.isObject() || !body.has("messages") || !body.has("model")) {
            // What vLLM answers when uvicorn hands it no body (the h2c upgrade problem): pydantic's
            // "Field required".
            sendError(
                    exchange,
                    400,
                    "BadRequestError",
                    "[{'type': 'missing', 'loc': ('body',), 'msg': 'Field required', 'input':"
                            + " None}]",
                    null);
            return;
        }
        String model = body.path("model").asText();
        if (!anyModel && !models.contains(model)) {
            sendError(
                    exchange,
                    404,
                    "NotFoundError",
                    "The model `" + model + "` does not exist.",
                    "model");
            return;
        }
        String prompt = lastUserMessage(body);
        var request =
                new ChatRequest(
                        number,
                        exchange.getProtocol(),
                        Map.copyOf(exchange.getRequestHeaders()),
                        body,
                        prompt);
        if (recordRequests) {
            received.add(request);
        }
        int promptTokens = estimateTokens(prompt);
        int maxTokens = body.path("max_tokens").asInt(body.path("max_completion_tokens").asInt(16));
        if (promptTokens + maxTokens > contextLength) {
            sendError(
                    exchange,
                    400,
                    "BadRequestError",
                    "This model's maximum context length is "
                            + contextLength
                            + " tokens. However, you requested "
                            + (promptTokens + maxTokens)
                            + " tokens ("
                            + promptTokens
                            + " in the messages, "
                            + maxTokens
                            + " in the completion). Please reduce the length of the "
                            + "messages or completion.",
                    null);
            return;
        }
        String logprobProblem = logprobProblem(body);
        if (logprobProblem != null) {
            sendError(exchange, 400, "BadRequestError", logprobProblem, null);
            return;
        }
        if (body.path("continue_final_message").asBoolean(false)
                || body.hasNonNull("prompt_logprobs")) {
            promptTokens = tokenize(render(body)).size();
        }
        String constraintProblem = StructuredOutputs.problem(body);
        if (constraintProblem != null) {
            sendError(exchange, 400, "BadRequestError", constraintProblem, null);
            return;
        }
        Fault fault = faults.faultFor(request);
        switch (fault.kind()) {
            case HTTP_ERROR -> {
                if (fault.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", fault.retryAfter());
                }
                sendError(
                        exchange,
                        fault.status(),
                        errorType(fault.status()),
                        "injected fault " + fault.status(),
                        null);
                return;
            }
            case DROP_CONNECTION -> {
                exchange.close(); // closes the connection with no response at all
                return;
            }
            case GARBAGE_BODY -> {
                send(
                        exchange,
                        200,
                        "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8));
                return;
            }
            case DELAY -> sleep(fault.delayMillis());
            case NONE -> {}
        }
        try {
            engine.serve(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        }
        int n = body.path("n").asInt(1);
        if (anyModel && totalSlots != null && (n < 1 || n > totalSlots)) {
            // llama-server allows at most its slot count of completions per request
            sendError(
                    exchange,
                    400,
                    "invalid_request_error",
                    "Field 'n': Value must be between 1 <= value <= "
                            + totalSlots
                            + ", but got "
                            + n,
                    null);
            return;
        }
        send(
                exchange,
                200,
                JSON.writeValueAsBytes(completion(model, request, n, promptTokens, maxTokens)));
    }

    private ObjectNode completion(
            String model, ChatRequest request, int n, int promptTokens, int maxTokens) {
        ObjectNode body =
                JSON.createObjectNode()
                        .put("id", "chatcmpl-" + request.number())
                        .put("object", "chat.completion")
                        .put("created", 1_700_000_000L)
                        .put("model", model);
        ArrayNode choices = body.putArray("choices");
        int completionTokens = 0;
        for (int i = 0; i < n; i++) {
            String answer =
                    StructuredOutputs.apply(request.body(), responder.apply(request), !anyModel);
            int tokens = estimateTokens(answer);
            String finish = "stop";
            if (tokens > maxTokens) {
                answer = answer.substring(0, Math.min(answer.length(), maxTokens * 4));
                tokens = maxTokens;
                finish = "length";
            }
            ObjectNode choice = choices.addObject().put("index", i);
            String thought = reasoning == null ? null : reasoning.apply(request);
            if (thought != null) {
                int thoughtTokens = estimateTokens(thought);
                tokens += thoughtTokens;
                if (tokens > maxTokens) { // the budget ran out while reasoning: no answer at all
                    answer = "";
                    tokens = maxTokens;
                    finish = "length";
                }
            }
            ObjectNode message =
                    choice.putObject("message").put("role", "assistant").put("content", answer);
            if (thought == null) {
                message.putNull("reasoning_content");
            } else {
                message.put("reasoning_content", thought);
            }
            message.putArray("tool_calls");
            completionTokens += tokens;
            if (request.body().path("logprobs").asBoolean(false)) {
                choice.set(
                        "logprobs",
                        answerLogprobs(
                                render(request.body()),
                                answer,
                                request.body().path("top_logprobs").asInt(0)));
            } else {
                choice.putNull("logprobs");
            }
            choice.put("finish_reason", finish);
            choice.putNull("stop_reason");
        }
        body.putObject("usage")
                .put("prompt_tokens", promptTokens)
                .put("total_tokens", promptTokens + completionTokens)
                .put("completion_tokens", completionTokens)
                .putNull("prompt_tokens_details");
        if (request.body().hasNonNull("prompt_logprobs") && promptLogprobs) {
            body.set(
                    "prompt_logprobs",
                    promptLogprobs(
                            render(request.body()),
                            request.body().path("prompt_logprobs").asInt()));
        } else {
            body.putNull("prompt_logprobs");
        }
        return body;
    }

    // ---- log-probabilities in vLLM's shapes ----

    private static final java.util.regex.Pattern TOKEN =
            java.util.regex.Pattern.compile(
                    "<\\|\\w+\\|>| ?[\\p{L}\\p{N}]+| ?[^\\s\\p{L}\\p{N}]|\\s");

    /**
     * The stand-in's tokenizer: chat-template markers, words with their leading space, single
     * punctuation marks with theirs, and single whitespace characters; the tokens concatenate back
     * to the text.
     */
    public static List<String> tokenize(String text) {
        var tokens = new ArrayList<String>();
        var matcher = TOKEN.matcher(text);
        while (matcher.find()) {
            tokens.add(matcher.group());
        }
        return tokens;
    }

    /**
     * Whether the server answers {@code /tokenize} and {@code /detokenize} (vLLM and llama.cpp do;
     * others 404).
     */
    public void tokenizeEndpoints(boolean served) {
        this.tokenizeEndpoints = served;
    }

    /** How many {@code /tokenize} requests were answered. */
    public int tokenizeRequests() {
        return tokenizeRequests.get();
    }

    /**
     * vLLM's {@code POST /tokenize} for a completion request ({@code
     * vllm/entrypoints/openai/protocol.py} {@code TokenizeCompletionRequest}: {@code model}, {@code
     * prompt}, {@code add_special_tokens}), answered as its {@code TokenizeResponse}: {@code
     * count}, {@code max_model_len}, {@code tokens}, {@code token_strs} (null unless {@code
     * return_token_strs}).
     */
    private void handleTokenize(HttpExchange exchange) throws IOException {
        if (!tokenizeEndpoints) {
            sendError(exchange, 404, "NotFoundError", "Not Found", null);
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        if (!body.has("prompt")) {
            sendError(exchange, 400, "BadRequestError", "prompt is required", null);
            return;
        }
        tokenizeRequests.incrementAndGet();
        ObjectNode answer = JSON.createObjectNode();
        var ids = answer.putArray("tokens");
        List<String> tokens = tokenize(body.get("prompt").asText());
        for (String token : tokens) {
            long id = tokenId(token);
            vocabulary.put(id, token);
            ids.add(id);
        }
        answer.put("count", tokens.size())
                .put("max_model_len", contextLength)
                .putNull("token_strs");
        send(exchange, 200, JSON.writeValueAsBytes(answer));
    }

    /**
     * vLLM's {@code POST /detokenize}: {@code model}, {@code tokens}; answered {@code {"prompt":
     * text}}.
     */
    private void handleDetokenize(HttpExchange exchange) throws IOException {
        if (!tokenizeEndpoints) {
            sendError(exchange, 404, "NotFoundError", "Not Found", null);
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        var text = new StringBuilder();
        for (JsonNode id : body.path("tokens")) {
            text.append(vocabulary.getOrDefault(id.asLong(), ""));
        }
        send(
                exchange,
                200,
                JSON.writeValueAsBytes(JSON.createObjectNode().put("prompt", text.toString())));
    }

    /** A token's id: stable for its text. */
    public static long tokenId(String token) {
        return 1000 + Math.floorMod(token.hashCode(), 1_000_000);
    }

    /**
     * The stand-in's chat template: each message as {@code <|role|>\n} + content + {@code <|end|>},
     * then {@code <|assistant|>\n} when {@code add_generation_prompt} (vLLM's default); with {@code
     * continue_final_message} the last message is left open (no {@code <|end|>}), so the model
     * continues it.
     */
    public static String render(JsonNode body) {
        boolean continueFinal = body.path("continue_final_message").asBoolean(false);
        boolean generationPrompt = body.path("add_generation_prompt").asBoolean(true);
        var text = new StringBuilder();
        JsonNode messages = body.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            JsonNode content = message.path("content");
            text.append("<|")
                    .append(message.path("role").asText())
                    .append("|>\n")
                    .append(content.isTextual() ? content.asText() : content.toString());
            if (!(continueFinal && i == messages.size() - 1)) {
                text.append("<|end|>");
            }
        }
        if (generationPrompt && !continueFinal) {
            text.append("<|assistant|>\n");
        }
        return text.toString();
    }

    /**
     * vLLM's 400s for log-probability parameters (ChatCompletionRequest.check_logprobs, the
     * max-logprobs check).
     */
    private String logprobProblem(JsonNode body) {
        if (body.path("continue_final_message").asBoolean(false)
                && body.path("add_generation_prompt").asBoolean(true)) {
            return "continue_final_message and add_generation_prompt are not compatible. Use"
                    + " continue_final_message when you want the model to continue the final"
                    + " message, and add_generation_prompt when you want to add a header that"
                    + " will prompt it to start a new assistant message instead.";
        }
        if (body.hasNonNull("prompt_logprobs")) {
            int asked = body.path("prompt_logprobs").asInt();
            if (asked < 0) {
                return "`prompt_logprobs` must be a positive value.";
            }
            if (asked > maxLogprobs) {
                return "Requested prompt logprobs of "
                        + asked
                        + ", which is greater than max allowed: "
                        + maxLogprobs;
            }
        }
        int top = body.path("top_logprobs").asInt(0);
        if (top < 0) {
            return "`top_logprobs` must be a positive value.";
        }
        if (top > 0 && !body.path("logprobs").asBoolean(false)) {
            return "when using `top_logprobs`, `logprobs` must be set to true.";
        }
        if (body.path("logprobs").asBoolean(false) && top > maxLogprobs) {
            return "Requested sample logprobs of "
                    + top
                    + ", which is greater than max allowed: "
                    + maxLogprobs;
        }
        return null;
    }

    /**
     * vLLM's {@code prompt_logprobs}: null for the first token, then per token a map from token id
     * to {@code {logprob, rank, decoded_token}} whose first key is the prompt's own token, followed
     * by the {@code k} most likely alternatives (ranks 1..k; the prompt's token again only once).
     */
    private ArrayNode promptLogprobs(String rendered, int k) {
        ArrayNode list = JSON.createArrayNode();
        List<String> tokens = tokenize(rendered);
        var context = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (i == 0) {
                list.addNull();
            } else {
                double own = logprobModel.logprob(context.toString(), token);
                List<Map.Entry<String, Double>> top = ranked(context.toString(), token, own);
                ObjectNode position = list.addObject();
                position.putObject(Long.toString(tokenId(token)))
                        .put("logprob", own)
                        .put("rank", rankOf(top, token, own))
                        .put("decoded_token", token);
                for (int r = 0; r < Math.min(k, top.size()); r++) {
                    String id = Long.toString(tokenId(top.get(r).getKey()));
                    if (!position.has(id)) {
                        position.putObject(id)
                                .put("logprob", top.get(r).getValue())
                                .put("rank", r + 1)
                                .put("decoded_token", top.get(r).getKey());
                    }
                }
            }
            context.append(token);
        }
        return list;
    }

    /**
     * vLLM's {@code choices[].logprobs}: {@code {"content": [{token, logprob, bytes,
     * top_logprobs}]}}; like vLLM's {@code _get_top_logprobs}, {@code top_logprobs} holds the first
     * {@code k} entries of the position's map: the generated token, then the most likely others.
     */
    private ObjectNode answerLogprobs(String rendered, String answer, int k) {
        ObjectNode logprobs = JSON.createObjectNode();
        ArrayNode content = logprobs.putArray("content");
        var context = new StringBuilder(rendered);
        for (String token : tokenize(answer)) {
            double own = logprobModel.logprob(context.toString(), token);
            ObjectNode entry = content.addObject().put("token", token).put("logprob", own);
            bytes(entry.putArray("bytes"), token);
            ArrayNode top = entry.putArray("top_logprobs");
            var listed = new ArrayList<Map.Entry<String, Double>>();
            listed.add(Map.entry(token, own));
            for (Map.Entry<String, Double> alternative : ranked(context.toString(), token, own)) {
                if (!alternative.getKey().equals(token)) {
                    listed.add(alternative);
                }
            }
            for (int i = 0; i < Math.min(k, listed.size()); i++) {
                ObjectNode item =
                        top.addObject()
                                .put("token", listed.get(i).getKey())
                                .put("logprob", listed.get(i).getValue());
                bytes(item.putArray("bytes"), listed.get(i).getKey());
            }
            context.append(token);
        }
        return logprobs;
    }

    /**
     * The alternatives after {@code context}, most likely first, with the actual token's
     * log-probability for it.
     */
    private List<Map.Entry<String, Double>> ranked(String context, String token, double own) {
        var all = new java.util.LinkedHashMap<String, Double>(logprobModel.alternatives(context));
        if (all.containsKey(token)) {
            all.put(token, own);
        }
        var list = new ArrayList<>(all.entrySet());
        list.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        return list;
    }

    private static int rankOf(List<Map.Entry<String, Double>> ranked, String token, double own) {
        int rank = 1;
        for (Map.Entry<String, Double> entry : ranked) {
            if (!entry.getKey().equals(token) && entry.getValue() > own) {
                rank++;
            }
        }
        return rank;
    }

    private static void bytes(ArrayNode array, String token) {
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            array.add(b & 0xff);
        }
    }

    private static String lastUserMessage(JsonNode body) {
        String prompt = "";
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                JsonNode content = message.path("content");
                prompt = content.isTextual() ? content.asText() : content.toString();
            }
        }
        return prompt;
    }

    /** A rough count that is stable for a given text, which is all the tests need of it. */
    public static int estimateTokens(String text) {
        return Math.max(1, (text.length() + 3) / 4);
    }

    private static String errorType(int status) {
        return switch (status) {
            case 400 -> "BadRequestError";
            case 404 -> "NotFoundError";
            case 429 -> "RateLimitError";
            case 503 -> "ServiceUnavailableError";
            default -> status >= 500 ? "InternalServerError" : "BadRequestError";
        };
    }

    /** vLLM's error body: {@code {"error": {"message", "type", "param", "code"}}}. */
    private void sendError(
            HttpExchange exchange, int status, String type, String message, String param)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error").put("message", message).put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        error.put("code", status);
        send(exchange, status, JSON.writeValueAsBytes(body));
    }

    private void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        leaveFlight(exchange);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void drain(InputStream in) throws IOException {
        in.readAllBytes();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
