package dev.llmcls.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.InputException;
import dev.llmcls.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatasetReaderTest {
    private static final LabelSet AG = LabelSet.parse(LabelSet.AG_NEWS);

    @TempDir Path dir;

    private static List<Example> readAll(DatasetSpec spec, LabelSet labels) {
        var examples = new ArrayList<Example>();
        try (ExampleSource source = DatasetReader.open(spec, labels)) {
            source.forEachRemaining(examples::add);
        }
        return examples;
    }

    @Test
    void agNewsSliceYieldsTheSeedsFirstInputs() {
        Path slice = SharedData.testSlice();
        assertEquals(DatasetFormat.AGNEWS, DatasetFormat.detect(slice));
        List<Example> examples = readAll(DatasetSpec.of(slice), AG);
        assertEquals(400, examples.size());
        Example first = examples.get(0);
        assertEquals("0", first.id());
        assertEquals(2, first.gold(), "class 3 is Business, index 2");
        assertEquals(
                "Fears for T N pension after talks Unions representing workers at Turner   Newall"
                    + " say they are 'disappointed' after talks with stricken parent firm Federal"
                    + " Mogul.",
                first.text());
        assertTrue(
                examples.get(1).text().contains("second\\team"),
                "backslash sequences are kept as they are");
        assertEquals(
                List.of(103, 123, 72, 102),
                perClass(examples),
                "the slice's README gives these counts");
    }

    @Test
    void agNewsFullTestSplitYieldsTheSeeds7600Inputs() {
        Path test = SharedData.fullAgNews("test.csv");
        List<Example> examples = readAll(DatasetSpec.of(test), AG);
        assertEquals(7600, examples.size());
        assertEquals(List.of(1900, 1900, 1900, 1900), perClass(examples));
        assertEquals(
                readAll(DatasetSpec.of(SharedData.testSlice()), AG),
                examples.subList(0, 400),
                "the slice is the head of the full split");
    }

    private static List<Integer> perClass(List<Example> examples) {
        int[] counts = new int[4];
        examples.forEach(e -> counts[e.gold()]++);
        return List.of(counts[0], counts[1], counts[2], counts[3]);
    }

    @Test
    void headerCsvAcceptsLabelIndexOrName() throws IOException {
        Path csv = write("d.csv", "text,label\nhello,Sports\nworld,3\n");
        List<Example> examples = readAll(DatasetSpec.of(csv), AG);
        assertEquals(List.of(new Example("0", "hello", 1), new Example("1", "world", 3)), examples);
    }

    @Test
    void jsonlUsesTheIdFieldWhenGiven() throws IOException {
        Path jsonl =
                write(
                        "d.jsonl",
                        "{\"id\":\"a7\",\"body\":\"x\",\"y\":\"World\"}\n\n"
                                + "{\"id\":9,\"body\":\"z\",\"y\":2}\n");
        List<Example> examples = readAll(new DatasetSpec(jsonl, null, "body", "y", "id"), AG);
        assertEquals(List.of(new Example("a7", "x", 0), new Example("9", "z", 2)), examples);
    }

    /**
     * Each malformed fixture stops the reader with an input error naming the file, the line and the
     * problem.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown-label.csv             | 5 | label 'Weather' is neither an index below 4"
                        + " nor one of",
                "malformed.jsonl               | 2 | not valid JSON",
                "not-an-object.jsonl           | 1 | expected a JSON object",
                "missing-text.jsonl            | 2 | field 'text' is missing or not a string",
                "agnews-class-out-of-range.csv | 2 | class 5 is outside 1..4",
                "missing-column.csv            | 1 | no column 'text'; the header has [sentence,"
                        + " label]",
                "ragged-row.csv                | 3 | expected 2 columns but found 3"
            })
    void aMalformedFileNamesFileLineAndProblem(String name, int line, String problem) {
        Path file = Path.of("src/test/resources/fixtures/readers", name);
        var error = assertThrows(InputException.class, () -> readAll(DatasetSpec.of(file), AG));
        assertTrue(error.getMessage().startsWith(file + ":" + line + ": "), error.getMessage());
        assertTrue(error.getMessage().contains(problem), error.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
