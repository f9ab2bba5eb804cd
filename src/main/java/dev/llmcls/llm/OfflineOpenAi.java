package dev.llmcls.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.model.openai.internal.OpenAiClient;
import java.time.Duration;
import java.util.Map;

/**
 * langchain4j's OpenAI client, the one {@link OpenAiBackend} uses, over a transport that reaches no server: it hands
 * back the request body the client serialised and answers with a body given to it. So a batch file holds exactly
 * the bytes {@code classify} would send, and a batch result is parsed exactly as {@code classify} parses a server's
 * answer. Not thread-safe: one per thread.
 */
public final class OfflineOpenAi {
    /** The smallest answer the client accepts, returned while a request body is being captured. */
    private static final String EMPTY_ANSWER =
            "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"\"}}]}";

    private final Transport transport = new Transport();
    private final OpenAiClient client = OpenAiClient.builder()
            .httpClientBuilder(new TransportBuilder(transport))
            .baseUrl("http://offline.invalid/v1")
            .logRequests(false)
            .logResponses(false)
            .build();

    /** The JSON body of the chat request {@code classify} sends for {@code prompt} with {@code options}. */
    public String requestBody(String prompt, ChatOptions options) {
        transport.answer = EMPTY_ANSWER;
        client.chatCompletion(OpenAiBackend.request(prompt, options)).execute();
        return transport.lastBody;
    }

    /**
     * A chat completion response body (from a batch result) read as {@code classify} reads a server's answer;
     * throws {@link MalformedAnswerException} or a JSON error when it is not one.
     */
    public Completion completion(String responseBody, ChatOptions options) {
        transport.answer = responseBody;
        if (options.wantsLogprobs()) {
            return LogprobAnswers.parse(responseBody); // as OpenAiBackend reads an answer with logprobs
        }
        return OpenAiBackend.toCompletion(client.chatCompletion(OpenAiBackend.request("", options)).execute());
    }

    private static final class Transport implements HttpClient {
        private String answer;
        private String lastBody;

        @Override
        public SuccessfulHttpResponse execute(HttpRequest request) {
            lastBody = request.body();
            return SuccessfulHttpResponse.builder().statusCode(200)
                    .headers(Map.of("Content-Type", java.util.List.of("application/json"))).body(answer).build();
        }

        @Override
        public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
            throw new UnsupportedOperationException("llmcls does not stream answers");
        }
    }

    private record TransportBuilder(Transport transport) implements HttpClientBuilder {
        @Override
        public Duration connectTimeout() {
            return Duration.ZERO;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            return this;
        }

        @Override
        public Duration readTimeout() {
            return Duration.ZERO;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            return this;
        }

        @Override
        public HttpClient build() {
            return transport;
        }
    }
}
