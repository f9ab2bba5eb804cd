package dev.llmcls.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Listing runs from fixture files: what is read (the summary and the tail), what is skipped, what
 * is noted.
 */
class RunListerTest {
    @TempDir Path dir;

    private static final String OK_WORLD =
            "{\"id\":\"%s\",\"text\":\"t\",\"gold\":\"World\",\"output\":\"label: World\"}\n";
    private static final String WRONG =
            "{\"id\":\"%s\",\"text\":\"t\",\"gold\":\"Sports\",\"output\":\"label: World\"}\n";
    private static final String FAILED =
            "{\"id\":\"%s\",\"text\":\"t\",\"gold\":\"World\",\"output\":null,\"error\":\"HTTP"
                    + " 500\"}\n";

    private Path run(String name, String status, long examples, String records) throws IOException {
        Path output = dir.resolve(name);
        Files.createDirectories(output.getParent());
        Files.writeString(output, records, StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve(name + ".manifest.json"),
                """
                {"mode": "basic", "labels": ["World", "Sports"], "model": "glm-4-9b-chat",
                 "data": {"file": "data/tiny.csv", "format": "csv", "sha256": "x", "examples": %d},
                 "status": "%s", "started_at": "2026-12-05T10:00:00Z", "run_id": "r1"}
                """
                        .formatted(examples, status));
        return output;
    }

    /** A complete run of one answer whose manifest is {@code manifest}. */
    private Path runWithManifest(String name, String manifest) throws IOException {
        Path output = dir.resolve(name);
        Files.writeString(output, OK_WORLD.formatted("1"), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(name + ".manifest.json"), manifest);
        return output;
    }

    private RunRow only(Path where) {
        List<RunRow> rows = new RunLister("this-host", Instant.now()).list(List.of(where));
        assertEquals(1, rows.size(), rows.toString());
        return rows.get(0);
    }

    @Test
    void aRunWithASummaryIsReadFromTheSummaryOnAndOnlyTheTail() throws IOException {
        // What the summary covers is not JSON at all: reading it would make the run unreadable.
        String covered = "not json, covered by the summary\nneither is this\n";
        Path output =
                run(
                        "a/run.jsonl",
                        "running",
                        6,
                        covered
                                + OK_WORLD.formatted("3")
                                + FAILED.formatted("4")
                                + "{\"id\":\"5\",\"te");
        Files.writeString(
                Progress.pathFor(output),
                """
                {"bytes": %d, "counts": {"records": 2, "ok": 2, "failed": 0, "superseded": 0, "scored": 2, "right": 1},
                 "session_started_at": "2026-12-05T10:00:00Z", "session_records": 2,
                 "updated_at": "2026-12-05T10:00:01Z"}
                """
                        .formatted(covered.getBytes(StandardCharsets.UTF_8).length));
        RunRow row = only(dir);
        assertEquals("progress", row.summary());
        assertEquals(3, row.answered());
        assertEquals(6, row.total());
        assertEquals(1, row.errors());
        assertEquals(2.0 / 3, row.accuracy(), 1e-9);
        assertEquals(
                RunState.STOPPED, row.state()); // status running, no lock file: nobody holds it
        assertEquals("basic", row.mode());
        assertEquals("glm-4-9b-chat", row.model());
        assertEquals("data/tiny.csv", row.data());
        assertEquals("2026-12-05T10:00:00Z", row.started());
    }

    @Test
    void anOlderRunWithoutASummaryIsReadWholeAndSaysSo() throws IOException {
        run(
                "old.jsonl",
                "complete",
                3,
                FAILED.formatted("1")
                        + OK_WORLD.formatted("2")
                        + WRONG.formatted("3")
                        + OK_WORLD.formatted("1"));
        RunRow row = only(dir);
        assertEquals("scanned", row.summary());
        assertEquals(3, row.answered());
        assertEquals(0, row.errors());
        assertEquals(2.0 / 3, row.accuracy(), 1e-9);
        assertEquals(RunState.COMPLETE, row.state());
    }

    @Test
    void aSummaryLongerThanTheFileIsStaleAndTheFileIsReadWhole() throws IOException {
        Path output =
                run(
                        "stale.jsonl",
                        "finished_with_failures",
                        3,
                        OK_WORLD.formatted("1") + FAILED.formatted("2"));
        Files.writeString(
                Progress.pathFor(output),
                """
                {"bytes": 999999, "counts": {"records": 50, "ok": 50, "failed": 0, "superseded": 0, "scored": 0,
                 "right": 0}, "session_started_at": null, "session_records": 0, "updated_at": null}
                """);
        RunRow row = only(dir);
        assertEquals("scanned", row.summary());
        assertEquals(1, row.answered());
        assertEquals(1, row.errors());
        assertEquals(RunState.PARTIAL, row.state());
    }

    @Test
    void batchRequestManifestsAndOtherJsonAreNotRuns() throws IOException {
        run("real.jsonl", "complete", 1, OK_WORLD.formatted("1"));
        Files.writeString(
                dir.resolve("requests.jsonl.manifest.json"), "{\"format\": \"openai-batch\"}");
        Files.writeString(dir.resolve("export.jsonl"), "");
        Files.writeString(
                dir.resolve("export.jsonl.manifest.json"),
                "{\"mode\": \"basic\", \"status\": \"exported\"}");
        assertEquals(dir.resolve("real.jsonl").toString(), only(dir).output());
    }

    @Test
    void anUnreadableRunIsListedWithANoteAndDoesNotStopTheListing() throws IOException {
        run("good.jsonl", "complete", 1, OK_WORLD.formatted("1"));
        run(
                "bad.jsonl",
                "complete",
                2,
                OK_WORLD.formatted("1") + "{broken\n" + OK_WORLD.formatted("2"));
        List<RunRow> rows = new RunLister("this-host", Instant.now()).list(List.of(dir));
        assertEquals(2, rows.size());
        RunRow bad = rows.get(0);
        assertEquals("unreadable", bad.summary());
        assertNull(bad.state());
        assertTrue(bad.note().contains("bad.jsonl"), bad.note());
        assertEquals(RunState.COMPLETE, rows.get(1).state());
    }

    @Test
    void aFileNamesOneRunAndAManifestItsRun() throws IOException {
        Path output = run("x/one.jsonl", "complete", 1, OK_WORLD.formatted("1"));
        run("x/two.jsonl", "complete", 1, OK_WORLD.formatted("1"));
        assertEquals(output.toString(), only(output).output());
        assertEquals(output.toString(), only(dir.resolve("x/one.jsonl.manifest.json")).output());
    }

    @Test
    void aLiveHolderOnThisHostMakesTheRunRunningWithItsPidAndRate() throws IOException {
        Path output =
                run("live.jsonl", "running", 10, OK_WORLD.formatted("1") + OK_WORLD.formatted("2"));
        ProcessHandle self = ProcessHandle.current();
        Instant lockedAt = Instant.now().minusSeconds(4);
        Files.writeString(
                output.resolveSibling("live.jsonl.lock"),
                "{\"pid\":%d,\"host\":\"this-host\",\"started_at\":\"%s\",\"locked_at\":\"%s\"}\n"
                        .formatted(self.pid(), self.info().startInstant().orElseThrow(), lockedAt));
        Files.writeString(
                Progress.pathFor(output),
                """
                {"bytes": 0, "counts": {"records": 0, "ok": 0, "failed": 0, "superseded": 0, "scored": 0, "right": 0},
                 "session_started_at": "%s", "session_records": 0, "updated_at": null}
                """
                        .formatted(lockedAt));
        Files.setLastModifiedTime(
                output, java.nio.file.attribute.FileTime.from(lockedAt.plusSeconds(4)));
        RunRow row = only(dir);
        assertEquals(RunState.RUNNING, row.state());
        assertEquals(self.pid(), row.pid());
        assertEquals("this-host", row.host());
        assertEquals(0.5, row.rate(), 1e-9); // 2 records in the 4 s since the lock was taken
        assertEquals(16, row.etaSeconds()); // 8 to go at 0.5 a second
    }

    @ParameterizedTest(name = "sampling {0} -> method {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "{\"temperature\": 0.0, \"max_tokens\": 1024, \"seed\": null, \"stop_token_ids\":"
                        + " [1, 2]} | -",
                "{\"temperature\": 0.0, \"max_tokens\": 64, \"votes\": 5}                          "
                        + "        | voting",
                "{\"temperature\": 0.0, \"max_tokens\": 64, \"constraint\": \"choice\"}            "
                        + "       | constraint",
                "{\"temperature\": 0.7, \"votes\": 3, \"constraint\": \"choice\"}                  "
                        + "        | voting, constraint",
                "{}                                                                                "
                        + "           | -",
                "null                                                                              "
                        + "           | -",
            })
    void theMethodNamesTheSettingsBeyondTheModelsSampling(String sampling, String method)
            throws IOException {
        runWithManifest(
                "m.jsonl",
                """
                {"tool_version": "0.1.0", "mode": "basic", "labels": ["World", "Sports"],
                 "template": {"file": "t.txt", "sha256": "x", "text": "Which of {labels}?\\n{text}\\n"},
                 "model": "m", "base_urls": ["http://127.0.0.1:1/v1"], "sampling": %s,
                 "data": {"file": "d.csv", "format": "csv", "sha256": "x", "examples": 1,
                          "hub": {"repo": "x"}},
                 "counts": {"examples": 1, "succeeded": 1}, "status": "complete",
                 "started_at": "2026-12-05T10:00:00Z", "finished_at": null, "unknown": [1, {"a": 2}]}
                """
                        .formatted(sampling));
        RunRow row = only(dir);
        assertEquals(method, row.method());
        assertEquals("basic", row.mode());
        assertEquals("m", row.model());
        assertEquals("d.csv", row.data());
        assertEquals(1, row.total());
        assertEquals(RunState.COMPLETE, row.state());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{\"mode\": \"basic\", \"status\": \"complete\"",
                "{\"mode\": \"basic\", \"data\": {\"file\": \"d.csv\", \"examples\": \"many\"}}",
                "{\"mode\": \"basic\", \"model\": {\"name\": \"m\"}}",
                "{\"mode\": \"basic\", \"sampling\": [1, 2]}",
                "[\"not\", \"an\", \"object\"]",
            })
    void aManifestThatIsNotARunsJsonIsListedUnreadableWithANote(String manifest)
            throws IOException {
        runWithManifest("broken.jsonl", manifest);
        RunRow row = only(dir);
        assertEquals("unreadable", row.summary());
        assertNull(row.state());
        assertTrue(row.note().startsWith("manifest: cannot read manifest "), row.note());
    }

    @Test
    void manyRunsAreListedInPathOrderWhateverOrderTheyAreReadIn() throws IOException {
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Path output =
                    run(
                            "many/r%02d/out.jsonl".formatted(i),
                            i % 2 == 0 ? "complete" : "running",
                            1,
                            OK_WORLD.formatted("1"));
            expected.add(output.toString());
        }
        List<RunRow> rows = new RunLister("this-host", Instant.now()).list(List.of(dir));
        assertEquals(expected, rows.stream().map(RunRow::output).toList());
        assertEquals(30, rows.stream().filter(row -> row.state() == RunState.COMPLETE).count());
        assertEquals(30, rows.stream().filter(row -> row.state() == RunState.STOPPED).count());
    }
}
