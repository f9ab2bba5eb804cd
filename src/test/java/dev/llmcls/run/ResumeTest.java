package dev.llmcls.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.runfile.Manifest;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.FakeOpenAiServer.Fault;
import dev.llmcls.testing.Jsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-running a classify command resumes it: nothing lost, nothing twice, and never a mix of two
 * different runs.
 */
@Timeout(120)
class ResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private FakeOpenAiServer server;
    private Path data;
    private Path output;

    @BeforeEach
    void setUp() throws IOException {
        server =
                FakeOpenAiServer.start(
                        request ->
                                request.prompt().contains("sport")
                                        ? "label: Sports"
                                        : "label: World");
        var csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i % 3 == 0 ? "sport " : "news ")
                    .append("item ")
                    .append(i)
                    .append(",World\n");
        }
        data = Files.writeString(dir.resolve("data.csv"), csv);
        output = dir.resolve("out.jsonl");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private CliRun classify(String... extra) {
        var args =
                new ArrayList<>(
                        List.of(
                                "classify",
                                "--data",
                                data.toString(),
                                "--base-url",
                                server.baseUrl(),
                                "--output",
                                output.toString(),
                                "--retry-delay",
                                "5ms"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private List<JsonNode> records() throws IOException {
        return Jsonl.read(output);
    }

    private static long successfulIds(List<JsonNode> records) {
        return records.stream()
                .filter(r -> r.get("error").isNull())
                .map(r -> r.get("id").asText())
                .distinct()
                .count();
    }

    @Test
    void resumesWithoutDuplicatingRecords() throws IOException {
        assertEquals(0, classify("--limit", "10").exitCode());
        CliRun second = classify();
        assertEquals(0, second.exitCode(), second.toString());
        assertTrue(second.err().contains("10 skipped (already present)"), second.err());
        List<JsonNode> records = records();
        assertEquals(40, records.size());
        assertEquals(
                40, new HashSet<>(records.stream().map(r -> r.get("id").asText()).toList()).size());
        assertEquals(
                40,
                server.chatRequests(),
                "10 then 30: more would mean the first ten were sent twice");
    }

    @Test
    void failedExamplesAreRetriedAndTheNewerRecordCounts() throws IOException {
        server.faults(
                request ->
                        request.prompt().contains("item 7\n") ? Fault.status(422) : Fault.none());
        assertEquals(1, classify().exitCode());
        server.faults(FakeOpenAiServer.FaultPlan.NONE);
        CliRun second = classify();
        assertEquals(0, second.exitCode(), second.toString());
        assertTrue(
                second.err().contains("done: 1 examples (1 ok, 0 failed), 39 skipped"),
                second.err());
        List<JsonNode> records = records();
        assertEquals(41, records.size(), "the failure stays in the file; its retry is appended");
        assertEquals(40, successfulIds(records));

        JsonNode score =
                JSON.readTree(CliRun.of("evaluate", "--format", "json", output.toString()).out())
                        .get("runs")
                        .get(0);
        assertEquals(40, score.get("records").asInt());
        assertEquals(0, score.get("errors").asInt());
        assertEquals(
                26,
                score.get("seed").get("right").asInt(),
                "the 26 items without 'sport' are answered World");
    }

    @Test
    void refusesToResumeADifferentRunAndNamesTheDifference() throws IOException {
        assertEquals(0, classify("--limit", "5").exitCode());
        CliRun other = classify("--max-tokens", "256");
        assertEquals(2, other.exitCode(), other.toString());
        assertTrue(other.err().contains("sampling parameters differs"), other.err());
        assertTrue(other.err().contains("--overwrite"), other.err());
        assertEquals(5, records().size(), "the refused run wrote nothing");

        Path otherPrompt = Files.writeString(dir.resolve("p.txt"), "Classify: {text}\nlabel:\n");
        CliRun prompt = classify("--prompt", otherPrompt.toString());
        assertEquals(2, prompt.exitCode());
        assertTrue(prompt.err().contains("prompt template (sha256) differs"), prompt.err());
    }

    @Test
    void overwriteMovesTheOldRunAside() throws IOException {
        assertEquals(0, classify("--limit", "5").exitCode());
        CliRun fresh = classify("--max-tokens", "256", "--overwrite");
        assertEquals(0, fresh.exitCode(), fresh.toString());
        assertEquals(40, records().size());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(
                    names.stream()
                            .anyMatch(
                                    n ->
                                            n.startsWith("out.jsonl.")
                                                    && n.endsWith(".bak")
                                                    && !n.contains("manifest")),
                    names.toString());
            assertTrue(
                    names.stream()
                            .anyMatch(
                                    n ->
                                            n.startsWith("out.jsonl.manifest.json.")
                                                    && n.endsWith(".bak")),
                    names.toString());
        }
    }

    @Test
    void halfWrittenLastLineIsRepaired() throws IOException {
        assertEquals(0, classify("--limit", "6").exitCode());
        List<String> lines = Files.readAllLines(output);
        String last = lines.get(lines.size() - 1);
        // What a kill in the middle of a write leaves: the last record cut short, no newline.
        Files.write(
                output,
                (String.join("\n", lines.subList(0, 5))
                                + "\n"
                                + last.substring(0, last.length() / 2))
                        .getBytes());
        CliRun resumed = classify();
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertTrue(resumed.err().contains("cut a half-written last line"), resumed.err());
        List<JsonNode> records = records();
        assertEquals(40, records.size());
        assertEquals(40, successfulIds(records));
    }

    @Test
    void serverThatDiesMidRunStopsTheRunAndAResumeFinishesIt() throws IOException {
        server.faults(request -> request.number() > 12 ? Fault.dropConnection() : Fault.none());
        CliRun dying =
                classify(
                        "--max-attempts",
                        "2",
                        "--max-consecutive-failures",
                        "5",
                        "--concurrency",
                        "1");
        assertEquals(1, dying.exitCode(), dying.toString());
        assertTrue(
                dying.err().contains("stopped early: the server failed 5 examples in a row"),
                dying.err());
        assertTrue(dying.err().contains("Re-run the same command to resume"), dying.err());
        long sentBeforeStop = server.chatRequests();
        assertTrue(sentBeforeStop < 12 + 5 * 2 + 2, "it stopped sending: " + sentBeforeStop);
        JsonNode manifest = JSON.readTree(Manifest.pathFor(output).toFile());
        assertEquals("stopped", manifest.get("status").asText());

        server.faults(FakeOpenAiServer.FaultPlan.NONE); // the server is back
        CliRun resumed = classify();
        assertEquals(0, resumed.exitCode(), resumed.toString());
        List<JsonNode> records = records();
        assertEquals(40, successfulIds(records));
        assertEquals(
                40,
                records.stream().filter(r -> r.get("error").isNull()).count(),
                "exactly one successful record per example");
    }
}
