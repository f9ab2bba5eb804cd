package dev.llmcls.llm.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.llm.ServerException;
import dev.llmcls.testing.FakeOpenAiServer;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport completes its work on the I/O thread; these check that no answer, error or timeout
 * gets lost.
 */
@Timeout(30)
class Http11TransportTest {
    private static HttpRequest chat(FakeOpenAiServer server, String prompt) {
        return HttpRequest.builder()
                .method(HttpMethod.POST)
                .url(server.baseUrl() + "/chat/completions")
                .addHeader("Content-Type", "application/json")
                .body(
                        "{\"model\":\"glm-4-9b-chat\",\"messages\":[{\"role\":\"user\",\"content\":\""
                                + prompt
                                + "\"}]}")
                .build();
    }

    @Test
    void manyConcurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        try (FakeOpenAiServer server =
                FakeOpenAiServer.start(request -> "echo " + request.prompt())) {
            server.recordRequests(false);
            var transport = new Http11Transport(Duration.ofSeconds(5), Duration.ofSeconds(20));
            ExecutorService pool = Executors.newFixedThreadPool(32);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    String prompt = "p" + i;
                    answers.add(pool.submit(() -> transport.execute(chat(server, prompt)).body()));
                }
                for (int i = 0; i < answers.size(); i++) {
                    assertTrue(answers.get(i).get().contains("\"echo p" + i + "\""), "answer " + i);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(500, server.chatRequests());
        }
    }

    @Test
    void aTransportForAnHttpServerSpeaksPlainTextOnlyAndSaysSoForAnHttpsUrl() throws Exception {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(request -> "plain")) {
            var transport =
                    Http11Transport.forBaseUrl(
                            server.baseUrl(), Duration.ofSeconds(5), Duration.ofSeconds(20));
            assertTrue(transport.execute(chat(server, "x")).body().contains("\"plain\""));
            String https = server.baseUrl().replace("http:", "https:") + "/chat/completions";
            var e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    transport.post(
                                            java.net.URI.create(https),
                                            new String[] {"Content-Type", "application/json"},
                                            "{}".getBytes(StandardCharsets.UTF_8)));
            assertEquals("a plain-text (http) transport cannot send to " + https, e.getMessage());
            assertEquals(1, server.chatRequests());
        }
    }

    @Test
    void aSlowAnswerEndsInATimeoutNotAHang() throws Exception {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(request -> "late")) {
            server.faults(request -> FakeOpenAiServer.Fault.delay(5_000));
            var transport = new Http11Transport(Duration.ofSeconds(5), Duration.ofMillis(300));
            var e =
                    assertThrows(
                            UncheckedIOException.class, () -> transport.execute(chat(server, "x")));
            assertTrue(e.getCause() instanceof HttpTimeoutException, e.toString());
        }
    }

    @Test
    void aDroppedConnectionIsAnIoErrorAndTheNextRequestSucceeds() throws Exception {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(request -> "fine")) {
            server.faults(
                    request ->
                            request.number() == 1
                                    ? FakeOpenAiServer.Fault.dropConnection()
                                    : FakeOpenAiServer.Fault.none());
            var transport = new Http11Transport(Duration.ofSeconds(5), Duration.ofSeconds(20));
            assertThrows(UncheckedIOException.class, () -> transport.execute(chat(server, "x")));
            assertTrue(transport.execute(chat(server, "y")).body().contains("\"fine\""));
        }
    }

    @Test
    void anErrorStatusKeepsItsStatusAndRetryAfter() throws Exception {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(request -> "never")) {
            server.faults(request -> FakeOpenAiServer.Fault.rateLimited(3));
            var transport = new Http11Transport(Duration.ofSeconds(5), Duration.ofSeconds(20));
            var e = assertThrows(ServerException.class, () -> transport.execute(chat(server, "x")));
            assertEquals(429, e.statusCode());
            assertEquals(Duration.ofSeconds(3), e.retryAfter().orElseThrow());
        }
    }
}
