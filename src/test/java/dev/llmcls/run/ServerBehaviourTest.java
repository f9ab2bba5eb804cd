package dev.llmcls.run;

import static dev.llmcls.testing.FakeOpenAiServer.FaultPlan.firstAttemptsFail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.FakeOpenAiServer.Fault;
import dev.llmcls.testing.Jsonl;
import dev.llmcls.testing.NumberedCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What real servers do that the first stand-in did not (issue 10, part C), against the real CLI.
 */
class ServerBehaviourTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    FakeOpenAiServer server;
    Path data;

    @BeforeEach
    void setUp() throws IOException {
        server = FakeOpenAiServer.start(request -> "label: World");
        data = NumberedCsv.write(dir.resolve("data.csv"), "news item ", 20);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    CliRun classify(String... extra) {
        return CliRun.classifyQuickRetries(data, server.baseUrl(), dir.resolve("out.jsonl"), extra);
    }

    List<JsonNode> records() throws IOException {
        return Jsonl.read(dir.resolve("out.jsonl"));
    }

    // ---- C6: Retry-After and durations ----

    @Test
    void oddRetryAfterHeadersNeitherEndTheRunNorStallIt() throws IOException {
        for (String header : List.of("-1", "soon", "Thu, 01 Jan 1970 00:00:00 GMT", "")) {
            server.faults(firstAttemptsFail(1, Fault.withRetryAfter(429, header)));
            long started = System.nanoTime();
            CliRun run = classify("--overwrite", "--limit", "6");
            assertEquals(0, run.exitCode(), "Retry-After '" + header + "'\n" + run);
            assertTrue(
                    (System.nanoTime() - started) / 1_000_000 < 5_000,
                    "Retry-After '" + header + "' stalled");
            assertEquals(6, records().size());
            records().forEach(r -> assertEquals(2, r.get("attempts").asInt(), r.toString()));
        }
    }

    @Test
    void zeroOrNegativeTimeoutsAreUsageErrorsNamingTheOption() {
        for (var args :
                List.of(
                        List.of("--timeout", "0"),
                        List.of("--connect-timeout", "0"),
                        List.of("--timeout", "-5s"),
                        List.of("--retry-delay", "-1ms"),
                        List.of("--grace", "-1"))) {
            CliRun run = classify(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), args + "\n" + run);
            assertTrue(run.err().contains(args.get(0)), run.err());
            assertFalse(run.err().contains("IllegalArgumentException"), run.err());
        }
        assertEquals(0, server.chatRequests());
    }

    // ---- C12: authentication ----

    @Test
    void aMissingKeyIsReportedAsAuthenticationNamingTheVariable() {
        server.apiKey("s3cret-key");
        CliRun run = classify("--api-key-env", "LLMCLS_TEST_KEY_THAT_IS_NOT_SET");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("authentication failed"), run.err());
        assertTrue(
                run.err()
                        .contains(
                                "environment variable LLMCLS_TEST_KEY_THAT_IS_NOT_SET is not set"),
                run.err());
        assertFalse(run.err().contains("Start one"), run.err());
    }

    @Test
    void aWrongKeyIsReportedNamingItsFileButNeverTheKey() throws IOException {
        server.apiKey("s3cret-key");
        Path keyFile = Files.writeString(dir.resolve("key.txt"), "wrong-key-123\n");
        CliRun run = classify("--api-key-file", keyFile.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("authentication failed"), run.err());
        assertTrue(run.err().contains("refused the API key from file " + keyFile), run.err());
        assertFalse(
                run.err().contains("wrong-key-123") || run.out().contains("wrong-key-123"),
                run.err());
        assertEquals(0, server.chatRequests());

        Files.writeString(keyFile, "s3cret-key\n");
        assertEquals(0, classify("--api-key-file", keyFile.toString(), "--limit", "2").exitCode());
    }

    // ---- C13: model names ----

    @Test
    void llamaServerAliasesAreAcceptedAndItsGlmNameDoesNotSendGlmStopTokens() throws IOException {
        // llama-server lists the model by file name and aliases; a tiny llama model served as
        // "glm-4-9b-chat" has a
        // vocabulary far below GLM-4's stop token ids.
        server.likeLlamaServer(List.of("glm-4-9b-chat", "tiny"), 4096, null);
        CliRun run = classify("--model", "tiny", "--limit", "3");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("tiny", server.received().get(0).body().path("model").asText());

        run = classify("--model", "glm-4-9b-chat", "--limit", "3", "--overwrite");
        assertEquals(0, run.exitCode(), run.toString());
        server.received()
                .forEach(r -> assertFalse(r.body().has("stop_token_ids"), r.body().toString()));
        JsonNode manifest = JSON.readTree(dir.resolve("out.jsonl.manifest.json").toFile());
        assertEquals(
                0, manifest.path("sampling").path("stop_token_ids").size(), manifest.toString());
    }

    @Test
    void vllmServingAnotherModelUnderAGlmNameGetsNoGlmStopTokens() throws IOException {
        server.root("meta-llama/Llama-3.1-8B-Instruct"); // vllm serve meta-llama/...
        // --served-model-name glm-4-9b-chat
        assertEquals(0, classify("--limit", "2").exitCode());
        server.received()
                .forEach(r -> assertFalse(r.body().has("stop_token_ids"), r.body().toString()));
        JsonNode manifest = JSON.readTree(dir.resolve("out.jsonl.manifest.json").toFile());
        assertEquals(
                0, manifest.path("sampling").path("stop_token_ids").size(), manifest.toString());

        server.root("THUDM/glm-4-9b-chat"); // the real GLM-4 still gets them
        assertEquals(0, classify("--limit", "2", "--overwrite").exitCode());
        assertEquals(
                3,
                server.received()
                        .get(server.received().size() - 1)
                        .body()
                        .path("stop_token_ids")
                        .size());
    }

    @Test
    void aModelTheServerDoesNotListGetsAdviceFittingTheServer() {
        CliRun run = classify("--model", "llama3");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--served-model-name llama3"), run.err());

        server.ownedBy("library"); // Ollama
        run = classify("--model", "llama3");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("ollama pull llama3"), run.err());
        assertFalse(run.err().contains("--served-model-name"), run.err());
        assertEquals(0, server.chatRequests());
    }

    @Test
    void aServer404ForTheModelStopsTheRunWithExit2AndAdvice() throws IOException {
        // llama-server routing between models: it lists one name but answers 404 for another.
        server.likeLlamaServer(List.of(), 4096, null);
        server.faults(request -> Fault.status(404));
        CliRun run = classify("--model", "other");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("does not serve model 'other'"), run.err());
        assertTrue(run.err().contains("--alias other"), run.err());
        assertFalse(run.err().contains("--served-model-name"), run.err());
        assertTrue(
                !Files.exists(dir.resolve("out.jsonl")) || records().isEmpty(), "nothing recorded");
        assertTrue(server.chatRequests() <= 4, "stopped at once: " + server.chatRequests());
    }

    // ---- C14: messages ----

    @Test
    void aRefusedConnectionNamesHostAndPort() throws IOException {
        int port;
        try (var socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        CliRun run =
                CliRun.of(
                        "classify",
                        "--data",
                        data.toString(),
                        "--base-url",
                        "http://127.0.0.1:" + port + "/v1",
                        "--output",
                        dir.resolve("out.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("127.0.0.1:" + port), run.err());
        assertTrue(run.err().contains("refused"), run.err());
    }

    // ---- C7: constraints a server ignores ----

    @Test
    void choiceGoesToLlamaServerInAFormItEnforcesAndBrokenAnswersAreCounted() throws IOException {
        server.likeLlamaServer(List.of(), 4096, 4);
        server.responder(request -> "I think this is about Sports, label: Sports");
        CliRun run = classify("--constrain", "choice", "--limit", "5");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode body = server.received().get(0).body();
        assertFalse(body.has("structured_outputs"), "llama-server ignores vLLM's form: " + body);
        assertEquals(
                "json_schema", body.path("response_format").path("type").asText(), body.toString());
        for (JsonNode record : records()) {
            assertEquals("Sports", record.get("label").asText(), record.toString());
            assertFalse(record.has("constraint_broken"), record.toString());
        }
        assertFalse(run.err().contains("do not keep the constraint"), run.err());

        // vLLM still gets its own form.
        server.ownedBy("vllm");
        assertEquals(
                0, classify("--constrain", "choice", "--limit", "1", "--overwrite").exitCode());
        JsonNode vllmBody = server.received().get(server.received().size() - 1).body();
        assertTrue(vllmBody.has("structured_outputs"), vllmBody.toString());
        assertFalse(vllmBody.has("response_format"), vllmBody.toString());
    }

    @Test
    void aServerThatIgnoresTheConstraintIsCaughtWarnedAndCountedInEvaluate() throws IOException {
        // An older vLLM that ignores structured_outputs: free answers come back under "choice".
        server.faults(request -> Fault.none());
        server.responder(request -> request.number() % 2 == 0 ? "label: World" : "World");
        try (FakeOpenAiServer ignoring =
                FakeOpenAiServer.start(
                        request ->
                                request.number() % 2 == 0
                                        ? "This is World news. label: World"
                                        : "World")) {
            ignoring.likeLlamaServer(List.of(), 4096, null);
            ignoring.ownedBy(
                    "vllm"); // says vLLM, ignores structured_outputs (as llama-like servers do)
            CliRun run =
                    CliRun.of(
                            "classify",
                            "--data",
                            data.toString(),
                            "--base-url",
                            ignoring.baseUrl(),
                            "--output",
                            dir.resolve("out.jsonl").toString(),
                            "--constrain",
                            "choice",
                            "--limit",
                            "10",
                            "--concurrency",
                            "1");
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(
                    run.err()
                            .contains(
                                    "warning: 5 of 10 constrained answers do not keep the"
                                            + " constraint"),
                    run.err());
        }
        long broken =
                records().stream().filter(r -> r.path("constraint_broken").asBoolean()).count();
        assertEquals(5, broken);
        CliRun eval =
                CliRun.of("evaluate", "--format", "json", dir.resolve("out.jsonl").toString());
        assertEquals(0, eval.exitCode(), eval.toString());
        assertEquals(
                5,
                JSON.readTree(eval.out()).path("runs").get(0).path("constraint_broken").asInt(),
                eval.out());
        CliRun table = CliRun.of("evaluate", dir.resolve("out.jsonl").toString());
        assertTrue(table.out().contains("constraint broken"), table.out());
    }

    // ---- C8: reasoning models ----

    @Test
    void reasoningIsKeptApartAndEmptyAnswersAreCountedInTheSummaryAndEvaluate() throws IOException {
        server.reasoning(
                request ->
                        request.number() % 2 == 0
                                ? "Let me think. " + "x".repeat(400)
                                : "Short thought.");
        CliRun run = classify("--limit", "10", "--max-tokens", "60", "--concurrency", "1");
        assertEquals(0, run.exitCode(), run.toString());
        List<JsonNode> records = records();
        long empty = records.stream().filter(r -> r.get("output").asText().isEmpty()).count();
        assertEquals(5, empty);
        for (JsonNode record : records) {
            assertTrue(record.has("reasoning"), record.toString());
            if (record.get("output").asText().isEmpty()) {
                assertEquals("length", record.get("finish_reason").asText());
                assertTrue(
                        record.get("reasoning").asText().startsWith("Let me think."),
                        record.toString());
            } else {
                assertEquals(
                        "label: World",
                        record.get("output").asText(),
                        "content is scored, not reasoning");
                assertEquals("Short thought.", record.get("reasoning").asText());
            }
        }
        assertTrue(
                run.err().contains("warning: 5 answers had no content (5 stopped at --max-tokens"),
                run.err());
        CliRun eval =
                CliRun.of("evaluate", "--format", "json", dir.resolve("out.jsonl").toString());
        JsonNode evaluated = JSON.readTree(eval.out()).path("runs").get(0);
        assertEquals(5, evaluated.path("no_content").asInt(), eval.out());
        assertEquals(5, evaluated.path("seed").path("right").asInt(), eval.out());
        assertTrue(
                CliRun.of("evaluate", dir.resolve("out.jsonl").toString())
                        .out()
                        .contains("no content"));
    }

    // ---- C9: more votes than the server allows per request ----

    @Test
    void votesAboveTheServersNLimitFallBackToFewerPerRequestAndSaySoOnce() throws IOException {
        server.likeLlamaServer(List.of(), 4096, 2); // llama-server with 2 slots: n <= 2
        CliRun run = classify("--votes", "5", "--temperature", "0.7", "--limit", "6");
        assertEquals(0, run.exitCode(), run.toString());
        for (JsonNode record : records()) {
            assertTrue(record.get("error").isNull(), record.toString());
            assertEquals(5, record.get("outputs").size(), record.toString());
            assertEquals(5, record.get("votes").get("World").asInt(), record.toString());
        }
        assertEquals(1, run.err().split("refuses n = ", -1).length - 1, run.err());
        assertTrue(run.err().contains("at most 2 per request"), run.err());
        server.received().forEach(r -> assertTrue(r.body().path("n").asInt(1) <= 5));
    }

    // ---- C10: automatic concurrency against a server with few slots ----

    /**
     * llama-server's engine: {@code slots} requests are served at once, each taking {@code millis};
     * the rest queue.
     */
    static FakeOpenAiServer.Engine slots(int slots, long millis) {
        var free = new java.util.concurrent.Semaphore(slots, true);
        return request -> {
            free.acquire();
            try {
                Thread.sleep(millis);
            } finally {
                free.release();
            }
        };
    }

    @Test
    void autoConcurrencyKeepsNoMoreInFlightThanTheServersSlotsSoQueuedRequestsDoNotTimeOut()
            throws IOException {
        server.likeLlamaServer(List.of(), 4096, 2);
        server.engine(slots(2, 250));
        CliRun run =
                classify(
                        "--concurrency",
                        "auto",
                        "--timeout",
                        "1s",
                        "--limit",
                        "16",
                        "--max-attempts",
                        "1");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(
                run.err().contains("concurrency: 2 per server (auto: the server reports 2 slots"),
                run.err());
        assertTrue(server.maxInFlight() <= 2, "in flight: " + server.maxInFlight());
        records().forEach(r -> assertTrue(r.get("error").isNull(), r.toString()));
        assertTrue(run.err().contains("0 retries"), run.err());

        CliRun forced = classify("--concurrency", "6", "--limit", "2", "--overwrite");
        assertEquals(0, forced.exitCode(), forced.toString());
        assertTrue(
                forced.err().contains("warning: --concurrency 6 is more than the 2 slots"),
                forced.err());
    }
}
