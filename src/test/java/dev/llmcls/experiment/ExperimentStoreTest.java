package dev.llmcls.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.core.Json;
import dev.llmcls.testing.ChildLlmcls;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.TinyFixture;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study that grows, or moves, re-sends nothing the answer store has (issue 20): real child
 * processes with {@code LLMCLS_STORE} naming a store in the test's directory (the build turns the
 * store off for every test), counting the requests the stand-in server receives.
 */
@Timeout(300)
class ExperimentStoreTest {
    @TempDir Path dir;

    private FakeOpenAiServer server;

    @BeforeEach
    void start() throws IOException {
        server =
                FakeOpenAiServer.start(
                        request -> ExperimentEndToEndTest.answer("a", request.prompt()));
        Files.createDirectories(dir.resolve("data"));
        Files.copy(TinyFixture.CSV, dir.resolve("data/tiny.csv"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path study(String modes) throws IOException {
        Path file = dir.resolve("study.yaml");
        Files.writeString(
                file,
                """
                experiment: growing
                defaults: {data: data/tiny.csv, concurrency: 4, retry-delay: 5ms, base-url: %s}
                grid:
                  mode: [%s]
                """
                        .formatted(server.baseUrl(), modes));
        return file;
    }

    /** {@code experiment run FILE --output-dir OUT} in a child JVM using the test's store. */
    private String run(Path file, String outputDir) throws IOException, InterruptedException {
        Path log = dir.resolve("child.log");
        Files.deleteIfExists(log);
        List<String> command =
                new ArrayList<>(
                        ChildLlmcls.command(
                                "experiment",
                                "run",
                                file.toString(),
                                "--output-dir",
                                dir.resolve(outputDir).toString()));
        var builder = new ProcessBuilder(command);
        builder.environment().put("LLMCLS_STORE", dir.resolve("store").toString());
        Process process =
                builder.redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
        assertTrue(process.waitFor(240, TimeUnit.SECONDS), "the study finished");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private long cachedRecords(String outputDir) throws IOException {
        try (var files = Files.walk(dir.resolve(outputDir))) {
            long cached = 0;
            for (Path file : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                cached +=
                        Files.readAllLines(file).stream()
                                .filter(line -> line.contains("\"cached_from\""))
                                .count();
            }
            return cached;
        }
    }

    @Test
    void aGrowingStudySendsOnlyItsNewCellsAndASecondRunNothing() throws Exception {
        int rows = TinyFixture.GOLD.size();
        run(study("basic"), "out");
        assertEquals(rows, server.chatRequests(), "one cell: one request a row");

        // one more level in a factor: only the new cell's requests
        Path grown = study("basic, reason");
        run(grown, "out");
        assertEquals(2 * rows, server.chatRequests(), "only the new cell (reason) was sent");

        // the same file again: nothing to send
        run(grown, "out");
        assertEquals(2 * rows, server.chatRequests(), "a second identical run sends nothing");
        assertEquals(0L, cachedRecords("out"), "every record of these outputs was sent");
    }

    @Test
    void aStudyWrittenElsewhereAnswersEveryCellFromTheStore() throws Exception {
        int rows = TinyFixture.GOLD.size();
        Path file = study("basic, reason");
        run(file, "out");
        assertEquals(2 * rows, server.chatRequests());
        // the same cells under another output directory (nothing to resume): every answer comes
        // from the store
        String moved = run(file, "moved");
        assertEquals(2 * rows, server.chatRequests(), "the moved study sent nothing: " + moved);
        assertEquals(2L * rows, cachedRecords("moved"), "every record marked cached_from");
    }

    /** The output of the cell of mode {@code mode} under {@code outputDir}. */
    private Path cell(String outputDir, String mode) throws IOException {
        try (var files = Files.walk(dir.resolve(outputDir))) {
            List<Path> found =
                    files.filter(p -> p.getFileName().toString().startsWith(mode + "-"))
                            .filter(p -> p.toString().endsWith(".jsonl"))
                            .toList();
            assertEquals(1, found.size(), mode + " cells in " + outputDir + ": " + found);
            return found.get(0);
        }
    }

    private JsonNode manifest(String outputDir, String mode) throws IOException {
        Path output = cell(outputDir, mode);
        return Json.MAPPER.readTree(
                output.resolveSibling(output.getFileName() + ".manifest.json").toFile());
    }

    /** The {@code cached_from} of each record of a cell (null where the answer was sent). */
    private List<String> cachedFrom(String outputDir, String mode) throws IOException {
        var from = new ArrayList<String>();
        for (String line : Files.readAllLines(cell(outputDir, mode))) {
            JsonNode record = Json.MAPPER.readTree(line);
            from.add(record.hasNonNull("cached_from") ? record.get("cached_from").asText() : null);
        }
        return from;
    }

    /**
     * Two cells on one server, side by side, found different things in the store: each cell's
     * manifest counts its own hits and its own new answers, and its records name the run that first
     * got them (before, a connection shared by the cells counted every hit in the cell that opened
     * it).
     */
    @Test
    void eachCellsManifestCountsItsOwnStoreHits() throws Exception {
        int rows = TinyFixture.GOLD.size();
        run(study("reason"), "first");
        assertEquals(rows, server.chatRequests());
        String firstRun = manifest("first", "reason").get("run_id").asText();

        run(study("basic, reason"), "moved");
        assertEquals(2 * rows, server.chatRequests(), "only the basic cell was sent");

        JsonNode basic = manifest("moved", "basic").get("store");
        assertEquals(0, basic.get("reused").asLong(), basic.toString());
        assertEquals(0, basic.get("examples").asLong(), basic.toString());
        assertEquals(rows, basic.get("kept").asLong(), basic.toString());
        JsonNode reason = manifest("moved", "reason").get("store");
        assertEquals(rows, reason.get("reused").asLong(), reason.toString());
        assertEquals(rows, reason.get("examples").asLong(), reason.toString());
        assertEquals(0, reason.get("kept").asLong(), reason.toString());

        assertEquals(
                java.util.Collections.nCopies(rows, firstRun),
                cachedFrom("moved", "reason"),
                "every reason record came from the first study's reason cell");
        assertEquals(
                java.util.Collections.nCopies(rows, (String) null),
                cachedFrom("moved", "basic"),
                "every basic record was sent");
    }

    /**
     * Cell A (instant answers) ends long before cell B (slow answers) on the same server; B's
     * answers, got after A closed its store session, are still kept: a third study elsewhere sends
     * nothing.
     */
    @Test
    void aCellThatOutlivesItsNeighbourStillKeepsItsAnswers() throws Exception {
        int rows = TinyFixture.GOLD.size();
        server.engine(
                request -> {
                    if (request.prompt().contains("reason:")) {
                        Thread.sleep(150);
                    }
                });
        Path file = study("basic, reason");
        run(file, "out");
        assertEquals(2 * rows, server.chatRequests());
        for (String mode : List.of("basic", "reason")) {
            JsonNode store = manifest("out", mode).get("store");
            assertEquals(rows, store.get("kept").asLong(), mode + ": " + store);
            assertEquals(0, store.get("reused").asLong(), mode + ": " + store);
        }

        server.engine(FakeOpenAiServer.Engine.INSTANT);
        String third = run(file, "elsewhere");
        assertEquals(2 * rows, server.chatRequests(), "the third study sent nothing: " + third);
        assertEquals(2L * rows, cachedRecords("elsewhere"));
    }
}
