package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcls.core.ExitCodes;
import dev.llmcls.store.AnswerStore;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.Jsonl;
import dev.llmcls.testing.TinyFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code classify} with the answer store, against the stand-in server: what is reused, what is sent
 * again.
 */
@Timeout(120)
class AnswerStoreEndToEndTest {
    @TempDir Path dir;

    private FakeOpenAiServer server;
    private final AtomicInteger answers = new AtomicInteger();
    private Path store;

    @BeforeEach
    void start() throws IOException {
        // every answer differs from the one before, so that a reused answer shows
        server =
                FakeOpenAiServer.start(
                        0,
                        List.of("glm-4-9b-chat", "other-model"),
                        request -> "label: World " + answers.incrementAndGet());
        store = dir.resolve("store");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRun classify(String output, String... extra) {
        var args =
                new ArrayList<>(
                        List.of(
                                "classify",
                                "--data",
                                TinyFixture.CSV.toString(),
                                "--base-url",
                                server.baseUrl(),
                                "--output",
                                dir.resolve(output).toString(),
                                "--concurrency",
                                "4"));
        if (List.of(extra).stream().noneMatch(a -> a.equals("--no-store"))) {
            args.addAll(List.of("--store", store.toString()));
        }
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private List<JsonNode> records(String output) throws IOException {
        return Jsonl.read(dir.resolve(output));
    }

    private JsonNode manifest(String output) throws IOException {
        return dev.llmcls.core.Json.MAPPER.readTree(
                dir.resolve(output + ".manifest.json").toFile());
    }

    /** A record without what says how it was got: where it came from and how long that took. */
    private static JsonNode withoutProvenance(JsonNode record) {
        ObjectNode copy = record.deepCopy();
        copy.remove(List.of("cached_from", "latency_ms"));
        return copy;
    }

    @Test
    void aSecondRunWithAnotherOutputSendsNothingAndWritesTheSameRecords() throws IOException {
        CliRun first = classify("first.jsonl");
        assertEquals(0, first.exitCode(), first.toString());
        assertEquals(9, server.chatRequests());
        String firstRun = manifest("first.jsonl").get("run_id").asText();
        assertEquals(9, manifest("first.jsonl").get("store").get("kept").asInt());

        CliRun second = classify("second.jsonl");
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(9, server.chatRequests(), "the second run sent nothing");
        assertTrue(
                second.err()
                        .contains("answer store: 9 examples answered from earlier runs' answers"),
                second.err());

        var before = new java.util.HashMap<String, JsonNode>();
        records("first.jsonl").forEach(r -> before.put(r.get("id").asText(), r));
        List<JsonNode> again = records("second.jsonl");
        assertEquals(9, again.size());
        for (JsonNode record : again) {
            assertEquals(firstRun, record.get("cached_from").asText());
            JsonNode original = before.get(record.get("id").asText());
            assertNull(original.get("cached_from"));
            assertEquals(withoutProvenance(original), withoutProvenance(record));
        }
        JsonNode manifest = manifest("second.jsonl");
        assertEquals(9, manifest.get("store").get("reused").asInt());
        assertEquals(9, manifest.get("store").get("examples").asInt());
        assertEquals(0, manifest.get("store").get("kept").asInt());
        assertFalse(firstRun.equals(manifest.get("run_id").asText()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "--max-tokens=100",
                "--model=other-model",
                "--seed=7",
                "--stop-token-ids=none",
                "--constrain=choice"
            })
    void aChangedRequestOrModelIsAskedAgain(String change) throws IOException {
        assertEquals(0, classify("first.jsonl", "--limit", "3").exitCode());
        CliRun changed = classify("changed.jsonl", "--limit", "3", change);
        assertEquals(0, changed.exitCode(), changed.toString());
        assertEquals(6, server.chatRequests(), change + " must miss the store");
        records("changed.jsonl").forEach(r -> assertNull(r.get("cached_from")));
    }

    @Test
    void anotherRealModelBehindTheSameNameIsAskedAgain() throws IOException {
        server.root("/weights/a");
        assertEquals(0, classify("a.jsonl", "--limit", "2").exitCode());
        server.root("/weights/b");
        assertEquals(0, classify("b.jsonl", "--limit", "2").exitCode());
        assertEquals(
                4, server.chatRequests(), "vLLM's root names the real model: another one misses");
        server.root("/weights/a");
        assertEquals(0, classify("a-again.jsonl", "--limit", "2").exitCode());
        assertEquals(4, server.chatRequests());
    }

    @Test
    void sampledAnswersAreKeptButReusedOnlyWhenAsked() throws IOException {
        assertEquals(0, classify("s1.jsonl", "--limit", "3", "--temperature", "0.8").exitCode());
        CliRun again = classify("s2.jsonl", "--limit", "3", "--temperature", "0.8");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(6, server.chatRequests(), "replicates of a sampled run are sampled afresh");
        assertTrue(
                again.err()
                        .contains(
                                "3 sampled answers found but not reused (--reuse sampled reuses"
                                        + " them)"),
                again.err());

        CliRun reused =
                classify("s3.jsonl", "--limit", "3", "--temperature", "0.8", "--reuse", "sampled");
        assertEquals(0, reused.exitCode(), reused.toString());
        assertEquals(6, server.chatRequests());
        records("s3.jsonl").forEach(r -> assertTrue(r.has("cached_from")));

        assertEquals(
                0,
                classify("seeded1.jsonl", "--limit", "3", "--temperature", "0.8", "--seed", "1")
                        .exitCode());
        assertEquals(
                0,
                classify("seeded2.jsonl", "--limit", "3", "--temperature", "0.8", "--seed", "1")
                        .exitCode());
        assertEquals(9, server.chatRequests(), "a fixed seed makes a sampled answer reusable");
    }

    @Test
    void noStoreNeitherReadsNorWrites() throws IOException {
        assertEquals(0, classify("a.jsonl", "--limit", "2", "--no-store").exitCode());
        assertFalse(Files.exists(store), "nothing written");
        assertEquals(0, classify("b.jsonl", "--limit", "2").exitCode());
        assertEquals(0, classify("c.jsonl", "--limit", "2", "--no-store").exitCode());
        assertEquals(6, server.chatRequests(), "--no-store does not read either");
        assertNull(manifest("c.jsonl").get("store"));
    }

    @Test
    void refreshSendsAgainAndReplacesTheKeptAnswers() throws IOException {
        assertEquals(0, classify("a.jsonl", "--limit", "2").exitCode());
        CliRun refreshed = classify("b.jsonl", "--limit", "2", "--refresh");
        assertEquals(0, refreshed.exitCode(), refreshed.toString());
        assertEquals(4, server.chatRequests());
        assertEquals(0, classify("c.jsonl", "--limit", "2").exitCode());
        assertEquals(4, server.chatRequests());
        String refreshRun = manifest("b.jsonl").get("run_id").asText();
        var outputs = new java.util.HashSet<String>();
        records("b.jsonl").forEach(r -> outputs.add(r.get("output").asText()));
        for (JsonNode record : records("c.jsonl")) {
            assertEquals(refreshRun, record.get("cached_from").asText());
            assertTrue(
                    outputs.contains(record.get("output").asText()),
                    "the refreshed answer, not the first");
        }
    }

    @Test
    void theStoreHoldsNoApiKey() throws IOException {
        Path keyFile = Files.writeString(dir.resolve("key"), "sk-test-SECRET-5678\n");
        assertEquals(
                0,
                classify("k.jsonl", "--limit", "2", "--api-key-file", keyFile.toString())
                        .exitCode());
        assertEquals(
                "Bearer sk-test-SECRET-5678", server.received().get(0).header("Authorization"));
        try (var files = Files.list(store)) {
            for (Path file : files.toList()) {
                assertFalse(
                        new String(
                                        Files.readAllBytes(file),
                                        java.nio.charset.StandardCharsets.ISO_8859_1)
                                .contains("SECRET"),
                        file + " holds the key");
            }
        }
        try (AnswerStore opened = AnswerStore.open(store)) {
            assertEquals(2, opened.stats().answers());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--reuse=everything", "--no-store --refresh", "--no-store --store=x"})
    void contradictoryStoreOptionsAreUsageErrors(String options) {
        var args =
                new ArrayList<>(
                        List.of(
                                "classify",
                                "--data",
                                TinyFixture.CSV.toString(),
                                "--base-url",
                                server.baseUrl(),
                                "--output",
                                dir.resolve("x.jsonl").toString()));
        args.addAll(List.of(options.split(" ")));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertEquals(0, server.chatRequests());
    }

    /**
     * The store opens while the run starts (on its writer thread); one that cannot be opened still
     * stops the run as an input error before any request, with one line naming it.
     */
    @Test
    void aStoreThatCannotBeOpenedStopsTheRunBeforeAnyRequest() throws IOException {
        Files.writeString(store, "a file where the store's directory should be");
        CliRun run = classify("blocked.jsonl");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("cannot create the answer store directory"), run.err());
        assertTrue(run.err().contains(store.toString()), run.err());
        assertEquals(0, server.chatRequests(), "nothing sent");
    }

    /** A classify child with {@code java.io.tmpdir} missing and {@code LLMCLS_CACHE} as given. */
    private Process classifyWithoutTmp(Path missing, Path cache, Path log) throws IOException {
        List<String> command =
                new ArrayList<>(
                        dev.llmcls.testing.ChildLlmcls.command(
                                "classify",
                                "--data",
                                TinyFixture.CSV.toString(),
                                "--base-url",
                                server.baseUrl(),
                                "--output",
                                dir.resolve("t.jsonl").toString(),
                                "--store",
                                store.toString()));
        command.add(1, "-Djava.io.tmpdir=" + missing);
        var builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("LLMCLS_CACHE", cache.toString());
        return builder.start();
    }

    /**
     * SQLite's native library is kept in the user's cache, so a run needs no temporary directory:
     * sqlite-jdbc, left to itself, unpacks it there on every start.
     */
    @Test
    @Timeout(120)
    void aRunLoadsSqliteFromTheCacheWithoutTheTemporaryDirectory() throws Exception {
        Path log = dir.resolve("child.log");
        Path cache = dir.resolve("cache");
        Process process = classifyWithoutTmp(dir.resolve("no-such-tmp"), cache, log);
        assertTrue(process.waitFor(100, java.util.concurrent.TimeUnit.SECONDS));
        String output = Files.readString(log);
        assertEquals(ExitCodes.OK, process.exitValue(), output);
        try (var files = Files.walk(cache.resolve("native"))) {
            assertEquals(
                    1,
                    files.filter(file -> file.getFileName().toString().endsWith(".so")).count(),
                    "one copy of the library in the cache");
        }
    }

    /**
     * Where neither the cache nor the temporary directory can hold SQLite's native library, the run
     * stops with one line that names the directory and the way out (no stack trace), before
     * anything is sent.
     */
    @Test
    @Timeout(120)
    void aTemporaryDirectorySqliteCannotUseIsOneClearLine() throws Exception {
        Path missing = dir.resolve("no-such-tmp");
        Path log = dir.resolve("child.log");
        Path notADirectory = Files.writeString(dir.resolve("cache-is-a-file"), "x");
        Process process = classifyWithoutTmp(missing, notADirectory, log);
        assertTrue(process.waitFor(100, java.util.concurrent.TimeUnit.SECONDS));
        String output = Files.readString(log);
        assertEquals(ExitCodes.USAGE, process.exitValue(), output);
        List<String> errors = output.lines().filter(line -> line.startsWith("llmcls:")).toList();
        assertEquals(1, errors.size(), output);
        assertTrue(errors.get(0).contains(missing.toString()), output);
        assertTrue(errors.get(0).contains("-Djava.io.tmpdir"), output);
        assertTrue(errors.get(0).contains("org.sqlite.tmpdir"), output);
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
        assertFalse(output.contains("Exception"), "no stack trace: " + output);
        assertEquals(0, server.chatRequests(), "nothing sent");
    }
}
