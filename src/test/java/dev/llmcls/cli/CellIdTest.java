package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.experiment.Cell;
import dev.llmcls.experiment.ExperimentFile;
import dev.llmcls.experiment.Grid;
import dev.llmcls.testing.TinyFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A cell's id is derived from the settings that decide its answers: changing one of them gives the
 * cell a new id (and a new output), while options that only change how the cell is run (the answer
 * store, retries, timeouts, concurrency, caches, the API key's source) keep the id, so finished
 * cells are neither re-run nor orphaned. Ids of studies that set no such option are those today's
 * files already have.
 */
class CellIdTest {
    @TempDir Path dir;

    @BeforeEach
    void data() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.copy(TinyFixture.CSV, dir.resolve("data/tiny.csv"));
        Files.copy(TinyFixture.CSV, dir.resolve("data/other.csv"));
        Files.writeString(dir.resolve("key.txt"), "sk-test\n");
        Files.writeString(dir.resolve("prompt.txt"), "Classify: {text}\nlabel:");
    }

    /**
     * The ids of the study's cells, with {@code extraDefaults} (" key: value") added or replacing.
     */
    private List<String> ids(String extraDefaults, String replicates) throws IOException {
        Path file = dir.resolve("study.yaml");
        String base =
                """
                experiment: ids
                defaults:
                  data: data/tiny.csv
                  base-url: http://127.0.0.1:9/v1
                  max-tokens: 64
                %s
                grid:
                  mode: [basic, reason]
                %s
                """;
        String key =
                extraDefaults.contains(":")
                        ? extraDefaults.substring(0, extraDefaults.indexOf(':') + 1)
                        : null;
        if (key != null && base.contains("\n" + key)) {
            base =
                    base.replaceAll(
                            "\n" + java.util.regex.Pattern.quote(key) + "[^\n]*",
                            "\n" + extraDefaults);
            extraDefaults = "";
        }
        Files.writeString(file, base.formatted(extraDefaults, replicates));
        ExperimentFile experiment = ExperimentFile.read(file);
        var options = new CellOptions(experiment, dir.resolve("out").resolve(experiment.name()));
        return Grid.cells(experiment).stream().map(options::resolve).map(Cell::id).toList();
    }

    @Test
    void idsOfStudiesThatSetNoExecutionOptionAreUnchanged() throws IOException {
        // pinned from the code of 2026-12-05 (main 65f6ef4), before execution options left the id
        assertEquals(List.of("basic-d63b3622", "reason-8a32a93f"), ids("", ""));
        assertEquals(
                List.of(
                        "basic_r1-797473f6",
                        "basic_r2-135a7e37",
                        "reason_r1-33cf7804",
                        "reason_r2-953e5b69"),
                ids("", "replicates: 2"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "store | stores/a",
                "no-store | true",
                "refresh | true",
                "reuse | sampled",
                "concurrency | 8",
                "timeout | 1m",
                "connect-timeout | 3s",
                "max-attempts | 2",
                "retry-delay | 5ms",
                "max-consecutive-failures | 0",
                "grace | 5s",
                "api-key-env | MY_KEY",
                "api-key-file | key.txt",
                "dataset-cache | cache",
                "embedding-cache | none",
            })
    void anExecutionOptionKeepsTheIds(String key, String value) throws IOException {
        assertEquals(ids("", ""), ids("  " + key + ": " + value, ""));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "data | data/other.csv",
                "limit | 3",
                "model | other-model",
                "temperature | 0.5",
                "max-tokens | 32",
                "seed | 7",
                "stop-token-ids | 151329",
                "base-url | http://127.0.0.1:10/v1",
                "prompt | prompt.txt",
                "labels | 'World,Sports,Business,Sci/Tech'",
                "truncate | chars:100",
            })
    void anAnswerOptionChangesTheIds(String key, String value) throws IOException {
        List<String> before = ids("", "");
        List<String> after = ids("  " + key + ": " + value, "");
        for (int i = 0; i < before.size(); i++) {
            assertNotEquals(before.get(i), after.get(i), key);
        }
    }

    @Test
    void everyExecutionOnlyNameIsAnOptionAFileMaySet() throws IOException {
        ids("", "");
        var options =
                new CellOptions(
                        ExperimentFile.read(dir.resolve("study.yaml")), dir.resolve("out/ids"));
        for (String key : CellOptions.EXECUTION_ONLY) {
            assertTrue(options.keys().contains(key), key + " is not an option of classify");
        }
    }
}
