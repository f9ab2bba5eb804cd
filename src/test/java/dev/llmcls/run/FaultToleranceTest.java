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
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server faults against the real CLI: what is retried, what is recorded, and when the run gives up.
 */
@Timeout(120)
class FaultToleranceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private FakeOpenAiServer server;
    private Path data;

    @BeforeEach
    void setUp() throws IOException {
        server = FakeOpenAiServer.start(request -> "label: World");
        data = NumberedCsv.write(dir.resolve("data.csv"), "news item ", 40);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private CliRun classify(String... extra) {
        return CliRun.classifyQuickRetries(data, server.baseUrl(), dir.resolve("out.jsonl"), extra);
    }

    private List<JsonNode> records() throws IOException {
        return Jsonl.read(dir.resolve("out.jsonl"));
    }

    @Test
    void retryableFaultsAreRetriedUntilTheyPass() throws IOException {
        Map<Fault, String> faults = new HashMap<>();
        faults.put(Fault.status(500), "server_error");
        faults.put(Fault.status(502), "server_error");
        faults.put(Fault.status(503), "server_error");
        faults.put(Fault.status(504), "server_error");
        faults.put(Fault.rateLimited(0), "rate_limited");
        faults.put(Fault.dropConnection(), "connection");
        faults.put(Fault.garbage(), "bad_body");
        for (var entry : faults.entrySet()) {
            server.faults(firstAttemptsFail(2, entry.getKey()));
            CliRun run = classify("--overwrite");
            assertEquals(0, run.exitCode(), entry.getKey() + "\n" + run);
            List<JsonNode> records = records();
            assertEquals(40, records.size());
            for (JsonNode record : records) {
                assertTrue(record.get("error").isNull(), record.toString());
                assertEquals(3, record.get("attempts").asInt(), entry.getKey() + ": " + record);
            }
            assertTrue(
                    run.err().contains("80 retries (" + entry.getValue() + " 80)"),
                    entry.getKey() + "\n" + run.err());
        }
    }

    @Test
    void slowAnswersBeyondTheTimeoutAreRetriedAsTimeouts() throws IOException {
        // The timeout is far above a plain answer's time even on a loaded machine (300 ms once
        // timed out a second
        // attempt there), and the first answers are held three times longer than it.
        server.faults(firstAttemptsFail(1, Fault.delay(6000)));
        CliRun run = classify("--timeout", "2s", "--limit", "4");
        assertEquals(0, run.exitCode(), run.toString());
        for (JsonNode record : records()) {
            assertEquals(2, record.get("attempts").asInt(), record.toString());
        }
        assertTrue(run.err().contains("timeout 4"), run.err());
    }

    @Test
    void retryAfterIsHonoured() throws IOException {
        server.faults(firstAttemptsFail(1, Fault.rateLimited(1)));
        long started = System.nanoTime();
        CliRun run = classify("--limit", "2");
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, run.exitCode(), run.toString());
        // With a 5 ms backoff, only the server's Retry-After: 1 can make the run wait a second.
        assertTrue(elapsedMillis >= 1000, "waited " + elapsedMillis + " ms");
    }

    @Test
    void persistentFailureIsRecordedAfterMaxAttempts() throws IOException {
        // One worker: no other request is answered between the attempts, so nothing shows the
        // server is up.
        server.faults(
                request ->
                        request.prompt().contains("news item 7\n")
                                ? Fault.status(500)
                                : Fault.none());
        CliRun run = classify("--max-attempts", "3", "--concurrency", "1");
        assertEquals(1, run.exitCode(), run.toString());
        JsonNode failed =
                records().stream().filter(r -> !r.get("error").isNull()).findFirst().orElseThrow();
        assertEquals("7", failed.get("id").asText());
        assertEquals(3, failed.get("attempts").asInt());
        assertTrue(failed.get("output").isNull());
        assertTrue(
                failed.get("error").asText().startsWith("server_error: HTTP 500"),
                failed.toString());
        assertTrue(run.err().contains("failures by cause: (server_error 1)"), run.err());
        assertTrue(run.err().contains("re-run the same command to retry just those"), run.err());
    }

    @Test
    void a500RepeatingForOneExampleWhileOthersSucceedIsThatExamplesErrorNotAnOutage()
            throws IOException {
        // llama-server answers 500 "The model produced output that does not match the expected ...
        // format" for
        // the same example every time, and answers the others.
        server.faults(
                request ->
                        request.prompt().contains("news item 7\n")
                                ? Fault.status(500)
                                : Fault.none());
        CliRun run = classify("--max-attempts", "8", "--max-consecutive-failures", "1");
        assertEquals(1, run.exitCode(), run.toString());
        assertFalse(run.err().contains("stopped early"), run.err());
        List<JsonNode> records = records();
        assertEquals(40, records.size());
        JsonNode failed =
                records.stream().filter(r -> !r.get("error").isNull()).findFirst().orElseThrow();
        assertEquals("7", failed.get("id").asText());
        assertEquals(3, failed.get("attempts").asInt(), failed.toString());
        assertTrue(
                failed.get("error").asText().startsWith("example_error: HTTP 500"),
                failed.toString());
        assertTrue(run.err().contains("failures by cause: (example_error 1)"), run.err());
        assertFalse(run.err().contains("re-run the same command"), run.err());
        assertTrue(run.err().contains("re-running will not change them"), run.err());
    }

    @Test
    void otherClientErrorsAreNotRetried() throws IOException {
        server.faults(request -> Fault.status(422));
        CliRun run = classify("--limit", "3");
        assertEquals(1, run.exitCode(), run.toString());
        for (JsonNode record : records()) {
            assertEquals(1, record.get("attempts").asInt());
            assertTrue(
                    record.get("error").asText().startsWith("rejected: HTTP 422"),
                    record.toString());
        }
        assertFalse(run.err().contains("re-run the same command"), run.err());
    }
}
