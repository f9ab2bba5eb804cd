package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which values of an experiment file's path options are paths relative to the file: a dataset named
 * by a scheme (the Hugging Face Hub's {@code hf:}, a suite's {@code suite:}) is not a path.
 */
class CellOptionsTest {
    private static final Path FOLDER = Path.of("/studies/seed");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "data/test.csv, /studies/seed/data/test.csv",
        "../shared/test.csv, /studies/shared/test.csv",
        "/abs/test.csv, /abs/test.csv",
        "hf:stanfordnlp/sst2, hf:stanfordnlp/sst2",
        "hf:glue-team/sst2-mini:default, hf:glue-team/sst2-mini:default",
        "suite:carp, suite:carp",
        "-, -",
        "none, none",
        // one letter before the colon is a Windows drive, so a path (relative on this system)
        "C:test.csv, /studies/seed/C:test.csv",
        // a colon after a folder is part of a file name
        "data/a:b.csv, /studies/seed/data/a:b.csv",
    })
    void onlyRealPathsAreMadeRelativeToTheFile(String value, String expected) {
        assertEquals(expected, CellOptions.relativeToFile(FOLDER, value));
    }
}
