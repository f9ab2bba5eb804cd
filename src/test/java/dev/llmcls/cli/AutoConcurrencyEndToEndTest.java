package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.bench.BatchingEngine;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.Jsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --concurrency auto} against servers it does not recognise by name: the real command
 * against stand-ins that behave like a continuous-batching engine (announcing SGLang's {@code
 * owned_by}), a two-slot server that queues without saying how many slots it has, and a rate
 * limiter. The stand-ins answer after service times of their own, so the limit has real throughput
 * to learn from; nothing here asserts a wall time.
 */
@Timeout(300)
class AutoConcurrencyEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Path data(int examples) throws IOException {
        List<String> lines = new ArrayList<>(List.of("text,label"));
        for (int i = 0; i < examples; i++) {
            lines.add("example number " + i + ",Sports");
        }
        return Files.write(dir.resolve("data-" + examples + ".csv"), lines);
    }

    private CliRun classify(FakeOpenAiServer server, int examples, Path output, String... extra)
            throws IOException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "classify",
                                "--data",
                                data(examples).toString(),
                                "--base-url",
                                server.baseUrl(),
                                "--output",
                                output.toString(),
                                "--retry-delay",
                                "5ms"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static JsonNode concurrency(Path output) throws IOException {
        return JSON.readTree(Path.of(output + ".manifest.json").toFile()).path("concurrency");
    }

    /** Every example has an answer and none needed a retry of the given kind. */
    private static void assertAllAnswered(Path output, int examples) throws IOException {
        List<JsonNode> records = Jsonl.read(output);
        assertEquals(examples, records.size());
        for (JsonNode record : records) {
            assertTrue(
                    record.path("error").isNull() || record.path("error").isMissingNode(),
                    record.toString());
            assertFalse(record.path("output").isNull(), record.toString());
        }
    }

    @Test
    void aBatchingServerAnnouncingSglangIsKeptFullFromTheFirstRequest() throws IOException {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(request -> "label: Sports")) {
            server.recordRequests(false);
            server.ownedBy("sglang"); // what SGLang's /v1/models says (ModelCard.owned_by in its
            // protocol.py)
            server.engine(new BatchingEngine(64, 100, 200, 7));
            Path output = dir.resolve("sglang.jsonl");
            CliRun run = classify(server, 1500, output);
            assertEquals(0, run.exitCode(), run.toString());
            assertAllAnswered(output, 1500);
            // far beyond its 64 slots from the start (how many the client gets out before the
            // first answers come back depends on the machine, not on the limit)
            assertTrue(server.maxInFlight() > 2 * 64, server.maxInFlight() + "\n" + run);
            JsonNode limit = concurrency(output).path("servers").get(0);
            assertEquals(1024, limit.path("initial").asInt(), limit.toString());
            assertFalse(run.err().contains("->"), run.err());
        }
    }

    @Test
    void aBatchingServerThatDoesNotNameItselfIsLearntAndKeptFullBeyondItsSlots()
            throws IOException {
        int slots = 64;
        try (FakeOpenAiServer server = FakeOpenAiServer.start(request -> "label: Sports")) {
            server.recordRequests(false);
            server.ownedBy("someone"); // a batching server auto does not recognise
            server.engine(new BatchingEngine(slots, 100, 200, 7));
            Path output = dir.resolve("unnamed.jsonl");
            CliRun run = classify(server, 2000, output);
            assertEquals(0, run.exitCode(), run.toString());
            assertAllAnswered(output, 2000);
            assertTrue(
                    server.maxInFlight() > slots,
                    "at most " + server.maxInFlight() + " in flight\n" + run);
            JsonNode limit = concurrency(output).path("servers").get(0);
            assertEquals("auto", concurrency(output).path("setting").asText());
            assertEquals(32, limit.path("initial").asInt());
            assertTrue(limit.path("settled").asInt() > slots, limit + "\n" + run);
            assertTrue(run.err().contains("concurrency: 32 -> 64"), run.err());
        }
    }

    @Test
    void aTwoSlotServerThatQueuesWithoutReportingItsSlotsGetsNoTimeouts() throws IOException {
        // llama-server without /props: two slots, the rest wait in its queue. 300 requests at once
        // would wait 9 s on
        // average, past the 5 s timeout; the limit has to stay low for every request to be answered
        // at the first try.
        // (Settled: twice the fewest in flight that kept the throughput, which on a busy machine
        // can be 8 rather than
        // 2, since the client's own turnaround then counts against the 40-80 ms answers.)
        try (FakeOpenAiServer server = FakeOpenAiServer.start(request -> "label: Sports")) {
            server.recordRequests(false);
            server.likeLlamaServer(List.of(), null, null);
            server.engine(new BatchingEngine(2, 40, 80, 7));
            Path output = dir.resolve("two-slots.jsonl");
            CliRun run = classify(server, 300, output, "--timeout", "5s", "--max-attempts", "1");
            assertEquals(0, run.exitCode(), run.toString());
            assertAllAnswered(output, 300);
            JsonNode limit = concurrency(output).path("servers").get(0);
            assertTrue(limit.path("settled").asInt() <= 16, limit + "\n" + run);
            assertTrue(limit.path("highest").asInt() <= 64, limit + "\n" + run);
        }
    }

    @Test
    void aRateLimiterRefusingAboveAFixedConcurrencyBringsTheLimitDownWithNothingLost()
            throws IOException {
        int allowed = 48;
        try (FakeOpenAiServer server = FakeOpenAiServer.start(request -> "label: Sports")) {
            server.recordRequests(false);
            server.ownedBy("openai");
            server.rateLimit(allowed, "1");
            server.engine(new BatchingEngine(256, 50, 100, 7));
            Path output = dir.resolve("limited.jsonl");
            CliRun run = classify(server, 4000, output);
            assertEquals(0, run.exitCode(), run.toString());
            assertAllAnswered(output, 4000);
            JsonNode limit = concurrency(output).path("servers").get(0);
            assertTrue(limit.path("backoffs").asInt() >= 1, limit.toString());
            // The requests in flight at the server end at or below C: nothing was refused over the
            // last 1,000. (The
            // limit itself may end a few above C when, as on a busy machine, a few of its requests
            // are always on
            // their way and the server never counts them all at once; AdaptiveLimitTest shows it
            // settles <= C when
            // the server sees every request the client counts.)
            assertTrue(
                    server.lastRateLimitedAfter() < 4000 - 1000,
                    "last refusal after " + server.lastRateLimitedAfter() + " admitted\n" + run);
            assertTrue(limit.path("settled").asInt() < 64, limit + "\n" + run);
            assertTrue(
                    server.rateLimited() > 0 && server.rateLimited() <= 100,
                    server.rateLimited() + " refusals\n" + run);
            JsonNode manifest = JSON.readTree(Path.of(output + ".manifest.json").toFile());
            assertEquals(server.rateLimited(), manifest.path("counts").path("retries").asInt());
        }
    }

    @Test
    void aGivenNumberStaysFixedAndIsRecordedAsGiven() throws IOException {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(request -> "label: Sports")) {
            server.recordRequests(false);
            server.ownedBy("someone");
            server.engine(new BatchingEngine(64, 20, 40, 7));
            Path output = dir.resolve("fixed.jsonl");
            CliRun run = classify(server, 300, output, "--concurrency", "8");
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(8, server.maxInFlight());
            assertEquals("8", concurrency(output).path("setting").asText());
            assertTrue(
                    concurrency(output).path("servers").isMissingNode(),
                    concurrency(output).toString());
            assertFalse(run.err().contains("->"), run.err());
        }
    }
}
