package dev.llmcls.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.InputException;
import dev.llmcls.core.Sha256;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.LabelSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan hashes the data on a thread of its own while it reads the examples; what the manifest
 * records (and a resume compares) is still the file's SHA-256, and a bad file still stops the run
 * with the scan's error.
 */
class DataScanTest {
    @TempDir Path dir;

    private static ClassifyConfig.Input input(Path file, Long limit) {
        return new ClassifyConfig.Input(
                DatasetSpec.of(file), LabelSet.parse(LabelSet.AG_NEWS), limit);
    }

    private Path csv(String name, String... rows) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "text,label\n" + String.join("\n", rows) + "\n");
        return file;
    }

    @Test
    void theManifestsHashIsTheWholeFilesSha256WhateverTheLimit() throws Exception {
        Path file = csv("data.csv", "a,World", "b,Sports", "c,Business");
        DataScan all = DataScan.of(input(file, null));
        DataScan two = DataScan.of(input(file, 2L));
        assertEquals(Sha256.hexOfFile(file), all.sha256());
        assertEquals(Sha256.hexOfFile(file), two.sha256());
        assertEquals(3, all.examples());
        assertEquals(2, two.allExamples());
        assertEquals("csv", all.format());
    }

    @Test
    void aChangedFileHasAnotherHash() throws Exception {
        Path file = csv("data.csv", "a,World");
        String before = DataScan.of(input(file, null)).sha256();
        csv("data.csv", "a,Sports");
        assertTrue(!before.equals(DataScan.of(input(file, null)).sha256()));
    }

    @Test
    void aBadFileStopsWithTheScansError() throws Exception {
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "text,label\n");
        var e = assertThrows(InputException.class, () -> DataScan.of(input(empty, null)));
        assertEquals(empty + " holds no examples", e.getMessage());
        var missing =
                assertThrows(
                        InputException.class,
                        () -> DataScan.of(input(dir.resolve("missing.csv"), null)));
        assertTrue(missing.getMessage().startsWith("data file not found"), missing.getMessage());
    }
}
