package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.core.Json;
import dev.llmcls.testing.ChildLlmcls;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.FakeOpenAiServer.Fault;
import dev.llmcls.testing.TinyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llmcls runs} over real runs: a complete one, a partial one (answers refused for two
 * texts), a running child JVM held mid-run by the stand-in, and the same child after kill -9
 * (stopped).
 */
@Timeout(180)
class RunsEndToEndTest {
    @TempDir Path dir;

    private FakeOpenAiServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger answered = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server =
                FakeOpenAiServer.start(
                        request -> {
                            for (var entry : TinyFixture.GOLD.entrySet()) {
                                if (request.prompt().contains(entry.getKey())) {
                                    return "label: " + entry.getValue();
                                }
                            }
                            return "label: World";
                        });
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    private String[] classify(String output, String... extra) {
        var args =
                new java.util.ArrayList<>(
                        java.util.List.of(
                                "classify",
                                "--data",
                                TinyFixture.CSV.toAbsolutePath().toString(),
                                "--base-url",
                                server.baseUrl(),
                                "--output",
                                dir.resolve(output).toString(),
                                "--retry-delay",
                                "5ms",
                                "--quiet"));
        args.addAll(java.util.List.of(extra));
        return args.toArray(String[]::new);
    }

    private Map<String, JsonNode> runs() throws Exception {
        CliRun listing = CliRun.of("runs", dir.toString(), "--format", "json");
        assertEquals(0, listing.exitCode(), listing.toString());
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode row : Json.MAPPER.readTree(listing.out())) {
            byName.put(Path.of(row.get("output").asText()).getFileName().toString(), row);
        }
        return byName;
    }

    @Tag("slow") // a child JVM
    @Test
    void runsShowsCompletePartialRunningAndStoppedRuns() throws Exception {
        assertEquals(0, CliRun.of(classify("complete.jsonl", "--concurrency", "4")).exitCode());
        server.faults(
                request ->
                        request.prompt().contains("Striker") || request.prompt().contains("Geneva")
                                ? Fault.status(400)
                                : Fault.none());
        assertEquals(1, CliRun.of(classify("partial.jsonl", "--concurrency", "4")).exitCode());

        // The child's first three answers come at once, the rest wait until released.
        server.faults(request -> Fault.none());
        server.engine(
                request -> {
                    if (answered.incrementAndGet() > 3) {
                        release.await();
                    }
                });
        Process child =
                ChildLlmcls.start(
                        dir.resolve("child.log"), classify("live.jsonl", "--concurrency", "1"));
        try {
            Path live = dir.resolve("live.jsonl");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while ((!Files.exists(live) || Files.readAllLines(live).size() < 3)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Map<String, JsonNode> rows = runs();

            JsonNode complete = rows.get("complete.jsonl");
            assertEquals("COMPLETE", complete.get("state").asText(), complete.toString());
            assertEquals(9, complete.get("answered").asLong());
            assertEquals(9, complete.get("total").asLong());
            assertEquals(0, complete.get("errors").asLong());
            assertEquals(1.0, complete.get("accuracy").asDouble());
            assertEquals("progress", complete.get("summary").asText());
            assertEquals("basic", complete.get("mode").asText());
            assertNull(complete.get("pid"));

            JsonNode partial = rows.get("partial.jsonl");
            assertEquals("PARTIAL", partial.get("state").asText(), partial.toString());
            assertEquals(7, partial.get("answered").asLong());
            assertEquals(2, partial.get("errors").asLong());

            JsonNode running = rows.get("live.jsonl");
            assertEquals("RUNNING", running.get("state").asText(), running.toString());
            assertEquals(child.pid(), running.get("pid").asLong());
            assertEquals(3, running.get("answered").asLong());
            assertTrue(running.get("rate").asDouble() > 0, running.toString());

            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            JsonNode stopped = runs().get("live.jsonl");
            assertEquals("STOPPED", stopped.get("state").asText(), stopped.toString());
            assertEquals(3, stopped.get("answered").asLong());
            assertNull(stopped.get("pid"));

            CliRun table = CliRun.of("runs", dir.toString());
            assertTrue(
                    table.out().contains("3 runs (1 complete, 1 partial, 1 stopped)"), table.out());
            assertTrue(
                    table.out()
                            .lines()
                            .anyMatch(
                                    l ->
                                            l.contains("live.jsonl")
                                                    && l.contains("stopped")
                                                    && l.contains("3/9")),
                    table.out());
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }

        // Resumed, the stopped run finishes and its summary counts the whole file exactly.
        release.countDown();
        assertEquals(0, CliRun.of(classify("live.jsonl", "--concurrency", "2")).exitCode());
        JsonNode resumed = runs().get("live.jsonl");
        assertEquals("COMPLETE", resumed.get("state").asText(), resumed.toString());
        assertEquals(9, resumed.get("answered").asLong());
        assertEquals(1.0, resumed.get("accuracy").asDouble());
    }

    @Test
    void aMissingDirectoryIsAnInputError() {
        CliRun listing = CliRun.of("runs", dir.resolve("nowhere").toString());
        assertEquals(2, listing.exitCode(), listing.toString());
        assertTrue(listing.err().contains("nowhere"), listing.err());
    }
}
