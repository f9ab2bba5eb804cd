package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.ExitCodes;
import dev.llmcls.core.Json;
import dev.llmcls.store.AnswerStore;
import dev.llmcls.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCommandTest {
    @TempDir Path dir;

    private void fill(Path store) {
        try (AnswerStore answers = AnswerStore.open(store)) {
            answers.put(
                    List.of(
                            new AnswerStore.Entry(
                                    "m",
                                    "{\"q\":1}",
                                    "{\"a\":1}",
                                    false,
                                    "run-1",
                                    Instant.now().minus(Duration.ofDays(40))),
                            new AnswerStore.Entry(
                                    "m", "{\"q\":2}", "{\"a\":2}", true, "run-2", Instant.now()),
                            new AnswerStore.Entry(
                                    "n", "{\"q\":3}", "{\"a\":3}", false, "run-2", Instant.now())),
                    false);
        }
    }

    @Test
    void exportThenImportMovesEveryAnswerToAnotherStore() throws Exception {
        Path store = dir.resolve("a");
        fill(store);
        Path file = dir.resolve("answers.jsonl");
        CliRun export = CliRun.of("store", "export", "--store", store.toString(), file.toString());
        assertEquals(0, export.exitCode(), export.toString());
        assertEquals(3, Files.readAllLines(file).size());

        Path other = dir.resolve("b");
        CliRun imported =
                CliRun.of("store", "import", "--store", other.toString(), file.toString());
        assertEquals(0, imported.exitCode(), imported.toString());
        assertTrue(
                imported.out().startsWith("imported 3 answers (0 already present)"),
                imported.out());

        CliRun stats = CliRun.of("store", "stats", "--store", other.toString(), "--format", "json");
        assertEquals(0, stats.exitCode(), stats.toString());
        var json = Json.MAPPER.readTree(stats.out());
        assertEquals(3, json.get("answers").asInt());
        assertEquals(1, json.get("sampled").asInt());
        assertEquals(2, json.get("runs").asInt());
        assertEquals(0, CliRun.of("store", "check", "--store", other.toString()).exitCode());
    }

    @Test
    void pruneRemovesWhatIsOlderOrOfAModel() {
        Path store = dir.resolve("a");
        fill(store);
        CliRun old =
                CliRun.of("store", "prune", "--store", store.toString(), "--older-than", "30d");
        assertEquals(0, old.exitCode(), old.toString());
        assertTrue(old.out().startsWith("removed 1 answers"), old.out());
        CliRun model = CliRun.of("store", "prune", "--store", store.toString(), "--model", "n");
        assertTrue(model.out().startsWith("removed 1 answers"), model.out());
        CliRun text = CliRun.of("store", "stats", "--store", store.toString());
        assertTrue(text.out().contains("answers: 1 (1 sampled) from 1 runs"), text.out());
    }

    @Test
    void pruneWithNothingToPruneByIsAUsageError() {
        CliRun run = CliRun.of("store", "prune", "--store", dir.resolve("a").toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
    }

    @Test
    void importOfAFileThatIsNotAnExportIsAnInputError() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"nope\":1}\n");
        CliRun run =
                CliRun.of(
                        "store", "import", "--store", dir.resolve("a").toString(), bad.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("line 1 is not an exported answer"), run.err());
    }
}
