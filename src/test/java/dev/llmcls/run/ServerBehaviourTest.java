package dev.llmcls.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.FakeOpenAiServer.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What real servers do that the first stand-in did not (issue 10, part C), against the real CLI. */
class ServerBehaviourTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    FakeOpenAiServer server;
    Path data;

    @BeforeEach
    void setUp() throws IOException {
        server = FakeOpenAiServer.start(request -> "label: World");
        var csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 20; i++) {
            csv.append("news item ").append(i).append(",World\n");
        }
        data = Files.writeString(dir.resolve("data.csv"), csv);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    CliRun classify(String... extra) {
        var args = new ArrayList<>(List.of("classify", "--data", data.toString(), "--base-url", server.baseUrl(),
                "--output", dir.resolve("out.jsonl").toString(), "--retry-delay", "5ms", "--concurrency", "4"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    List<JsonNode> records() throws IOException {
        var records = new ArrayList<JsonNode>();
        for (String line : Files.readAllLines(dir.resolve("out.jsonl"))) {
            records.add(JSON.readTree(line));
        }
        return records;
    }

    static FakeOpenAiServer.FaultPlan firstAttemptsFail(int failures, Fault fault) {
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        return request -> seen.computeIfAbsent(request.prompt(), p -> new AtomicInteger()).incrementAndGet() <= failures
                ? fault : Fault.none();
    }

    // ---- C6: Retry-After and durations ----

    @Test
    void oddRetryAfterHeadersNeitherEndTheRunNorStallIt() throws IOException {
        for (String header : List.of("-1", "soon", "Thu, 01 Jan 1970 00:00:00 GMT", "")) {
            server.faults(firstAttemptsFail(1, Fault.withRetryAfter(429, header)));
            long started = System.nanoTime();
            CliRun run = classify("--overwrite", "--limit", "6");
            assertEquals(0, run.exitCode(), "Retry-After '" + header + "'\n" + run);
            assertTrue((System.nanoTime() - started) / 1_000_000 < 5_000, "Retry-After '" + header + "' stalled");
            assertEquals(6, records().size());
            records().forEach(r -> assertEquals(2, r.get("attempts").asInt(), r.toString()));
        }
    }

    @Test
    void zeroOrNegativeTimeoutsAreUsageErrorsNamingTheOption() {
        for (var args : List.of(List.of("--timeout", "0"), List.of("--connect-timeout", "0"),
                List.of("--timeout", "-5s"), List.of("--retry-delay", "-1ms"), List.of("--grace", "-1"))) {
            CliRun run = classify(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), args + "\n" + run);
            assertTrue(run.err().contains(args.get(0)), run.err());
            assertFalse(run.err().contains("IllegalArgumentException"), run.err());
        }
        assertEquals(0, server.chatRequests());
    }
}
