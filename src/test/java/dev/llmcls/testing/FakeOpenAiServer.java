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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A stand-in for vLLM's OpenAI-compatible server on 127.0.0.1: {@code GET /v1/models}, {@code POST
 * /v1/chat/completions}, vLLM's response and error bodies. It answers from the prompt through a {@link Responder},
 * records what it received, and can inject faults (errors, 429 with Retry-After, dropped connections, garbage
 * bodies, slow answers) through a {@link FaultPlan}.
 */
public final class FakeOpenAiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server saw of one chat request. */
    public record ChatRequest(int number, String protocol, Map<String, List<String>> headers, JsonNode body,
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
    public interface Responder extends Function<ChatRequest, String> {
    }

    /** Decides, per request, whether to misbehave. */
    public interface FaultPlan {
        FaultPlan NONE = request -> Fault.none();

        Fault faultFor(ChatRequest request);
    }

    /**
     * How the model spends its time on a request that will be answered: called on the request's handler thread just
     * before the answer is sent. The default answers at once; benchmarks plug in a batching engine with service times.
     */
    public interface Engine {
        Engine INSTANT = request -> {
        };

        void serve(ChatRequest request) throws InterruptedException;
    }

    /** A misbehaviour for one request. */
    public record Fault(Kind kind, int status, String retryAfter, long delayMillis) {
        public enum Kind { NONE, HTTP_ERROR, DROP_CONNECTION, GARBAGE_BODY, DELAY }

        public static Fault none() {
            return new Fault(Kind.NONE, 0, null, 0);
        }

        public static Fault status(int status) {
            return new Fault(Kind.HTTP_ERROR, status, null, 0);
        }

        public static Fault rateLimited(int retryAfterSeconds) {
            return new Fault(Kind.HTTP_ERROR, 429, Integer.toString(retryAfterSeconds), 0);
        }

        /** {@code status} with this {@code Retry-After} header, verbatim (e.g. "-1", an HTTP date, "soon"). */
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
    private final java.util.Set<HttpExchange> exchangesInFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
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

    private FakeOpenAiServer(int port, List<String> models, Responder responder) throws IOException {
        this.models = List.copyOf(models);
        this.responder = responder;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-openai");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/v1/models", this::handleModels);
        server.createContext("/v1/chat/completions", this::handleChat);
        server.createContext("/props", this::handleProps);
        server.createContext("/", exchange -> sendError(exchange, 404, "NotFoundError", "Not Found", null));
        server.start();
    }

    public static FakeOpenAiServer start(Responder responder) throws IOException {
        return start(0, List.of("glm-4-9b-chat"), responder);
    }

    public static FakeOpenAiServer start(int port, List<String> models, Responder responder) throws IOException {
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

    /** The {@code owned_by} of the listed models: "vllm" as vLLM says; e.g. "library" to look like Ollama. */
    public void ownedBy(String owner) {
        this.ownedBy = owner;
    }

    /** Every endpoint answers 401 (llama-server's body) unless the request carries {@code Bearer key}. */
    public void apiKey(String key) {
        this.apiKey = key;
    }

    /**
     * Behave like llama-server with one model: list the model as owned by "llamacpp" with these {@code aliases} and
     * a vocabulary of {@code vocabSize} tokens, report {@code totalSlots} at {@code GET /props} (null: no /props),
     * and answer a chat request for any model name.
     */
    public void likeLlamaServer(List<String> aliases, Integer vocabSize, Integer totalSlots) {
        this.ownedBy = "llamacpp";
        this.aliases = List.copyOf(aliases);
        this.vocabSize = vocabSize;
        this.totalSlots = totalSlots;
        this.anyModel = true;
    }

    /**
     * Answer like a reasoning model behind a reasoning parser: each choice's {@code reasoning_content} is what this
     * responder says, its {@code content} what the main responder says (may be empty).
     */
    public void reasoning(Responder reasoning) {
        this.reasoning = reasoning;
    }

    /** vLLM's {@code root}: the weights the listed model really is (null: the model's id, as vLLM lists it). */
    public void root(String root) {
        this.root = root;
    }

    /** Prompts longer than this many tokens (estimated as characters / 4) get vLLM's 400 answer. */
    public void contextLength(int tokens) {
        this.contextLength = tokens;
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

    /** llama-server's 401 when a key is set and the request does not carry it; true when it answered so. */
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
            ObjectNode body = JSON.createObjectNode().put("total_slots", totalSlots).put("model_alias", models.get(0));
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
                ObjectNode model = data.addObject().put("id", id).put("object", "model").put("created", 1_700_000_000L)
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
                    model.put("root", root != null ? root : id).putNull("parent").put("max_model_len", contextLength);
                }
            }
            send(exchange, 200, JSON.writeValueAsBytes(body));
        }
    }

    /**
     * Counts the request as in flight until its answer is about to be written (see {@link #send}): a client may send
     * its next request the moment it reads an answer, before this handler's thread gets to run again, so counting
     * until the handler returns would see one request too many.
     */
    private void handleChat(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        exchangesInFlight.add(exchange);
        try {
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
            // What vLLM answers when uvicorn hands it no body (the h2c upgrade problem): pydantic's "Field required".
            sendError(exchange, 400, "BadRequestError",
                    "[{'type': 'missing', 'loc': ('body',), 'msg': 'Field required', 'input': None}]", null);
            return;
        }
        String model = body.path("model").asText();
        if (!anyModel && !models.contains(model)) {
            sendError(exchange, 404, "NotFoundError", "The model `" + model + "` does not exist.", "model");
            return;
        }
        String prompt = lastUserMessage(body);
        var request = new ChatRequest(number, exchange.getProtocol(), Map.copyOf(exchange.getRequestHeaders()), body,
                prompt);
        if (recordRequests) {
            received.add(request);
        }
        int promptTokens = estimateTokens(prompt);
        int maxTokens = body.path("max_tokens").asInt(body.path("max_completion_tokens").asInt(16));
        if (promptTokens + maxTokens > contextLength) {
            sendError(exchange, 400, "BadRequestError", "This model's maximum context length is " + contextLength
                    + " tokens. However, you requested " + (promptTokens + maxTokens) + " tokens (" + promptTokens
                    + " in the messages, " + maxTokens + " in the completion). Please reduce the length of the "
                    + "messages or completion.", null);
            return;
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
                sendError(exchange, fault.status(), errorType(fault.status()), "injected fault " + fault.status(), null);
                return;
            }
            case DROP_CONNECTION -> {
                exchange.close(); // closes the connection with no response at all
                return;
            }
            case GARBAGE_BODY -> {
                send(exchange, 200, "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8));
                return;
            }
            case DELAY -> sleep(fault.delayMillis());
            case NONE -> {
            }
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
            sendError(exchange, 400, "invalid_request_error", "Field 'n': Value must be between 1 <= value <= "
                    + totalSlots + ", but got " + n, null);
            return;
        }
        send(exchange, 200, JSON.writeValueAsBytes(completion(model, request, n, promptTokens, maxTokens)));
    }

    private ObjectNode completion(String model, ChatRequest request, int n, int promptTokens, int maxTokens) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", "chatcmpl-" + request.number())
                .put("object", "chat.completion")
                .put("created", 1_700_000_000L)
                .put("model", model);
        ArrayNode choices = body.putArray("choices");
        int completionTokens = 0;
        for (int i = 0; i < n; i++) {
            String answer = StructuredOutputs.apply(request.body(), responder.apply(request), !anyModel);
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
            ObjectNode message = choice.putObject("message").put("role", "assistant").put("content", answer);
            if (thought == null) {
                message.putNull("reasoning_content");
            } else {
                message.put("reasoning_content", thought);
            }
            message.putArray("tool_calls");
            completionTokens += tokens;
            choice.putNull("logprobs");
            choice.put("finish_reason", finish);
            choice.putNull("stop_reason");
        }
        body.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens + completionTokens)
                .put("completion_tokens", completionTokens).putNull("prompt_tokens_details");
        body.putNull("prompt_logprobs");
        return body;
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
    private void sendError(HttpExchange exchange, int status, String type, String message, String param)
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
