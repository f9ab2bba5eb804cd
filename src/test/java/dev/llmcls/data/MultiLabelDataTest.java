package dev.llmcls.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Multi-label data: a list label (JSONL array, CSV cell with a separator) becomes a set of gold
 * indices.
 */
class MultiLabelDataTest {
    private static final LabelSet EMOTIONS = LabelSet.parse("joy,anger,sadness,surprise");
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures/multilabel");

    @TempDir Path dir;

    private static List<Example> readAll(DatasetSpec spec) {
        var examples = new ArrayList<Example>();
        try (ExampleSource source = DatasetReader.open(spec, EMOTIONS)) {
            source.forEachRemaining(examples::add);
        }
        return examples;
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of(
                        new DatasetSpec(
                                FIXTURES.resolve("emotions.jsonl"), null, null, "labels", "id")),
                Arguments.of(
                        new DatasetSpec(
                                FIXTURES.resolve("emotions.csv"),
                                null,
                                null,
                                "labels",
                                "id",
                                ";")));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void listLabelsBecomeGoldSets(DatasetSpec spec) {
        List<Example> examples = readAll(spec);
        assertEquals(
                List.of("e1", "e2", "e3", "e4", "e5", "e6"),
                examples.stream().map(Example::id).toList());
        assertEquals(
                List.of(
                        List.of("joy"),
                        List.of("joy", "surprise"),
                        List.of("anger", "sadness"),
                        List.of(),
                        List.of("sadness"),
                        List.of("surprise")),
                examples.stream().map(e -> e.goldNames(EMOTIONS)).toList());
        for (Example example : examples) {
            assertTrue(example.multiLabel());
            assertEquals(Example.MULTI, example.gold());
        }
        assertTrue(Datasets.multiLabel(spec, EMOTIONS));
    }

    @Test
    void singleLabelExamplesStayAsTheyWere() throws IOException {
        Path data = write("one.jsonl", "{\"text\":\"a\",\"label\":\"anger\"}\n");
        Example example = readAll(DatasetSpec.of(data)).get(0);
        assertEquals(new Example("0", "a", 1), example);
        assertFalse(example.multiLabel());
        assertNull(example.goldSet());
        assertFalse(Datasets.multiLabel(DatasetSpec.of(data), EMOTIONS));
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(
                        "bad.jsonl",
                        "{\"text\":\"a\",\"label\":\"joy\"}\n"
                                + "{\"text\":\"b\",\"label\":[\"joy\"]}\n",
                        null,
                        "bad.jsonl:2: field 'label' is a list of labels, but line 1 has a single"
                            + " label; a dataset is single-label or multi-label throughout (write"
                            + " one label as a list of one)"),
                Arguments.of(
                        "bad.jsonl",
                        "{\"text\":\"a\",\"label\":[\"joy\"]}\n"
                                + "{\"text\":\"b\",\"label\":\"joy\"}\n",
                        null,
                        "bad.jsonl:2: field 'label' is a single label, but line 1 has a list of"
                            + " labels; a dataset is single-label or multi-label throughout (write"
                            + " one label as a list of one)"),
                Arguments.of(
                        "bad.jsonl",
                        "{\"text\":\"a\",\"label\":[\"joy\",\"fear\"]}\n",
                        null,
                        "bad.jsonl:1: label 'fear' in the list is neither an index below 4 nor one"
                                + " of [joy, anger, sadness, surprise]"),
                Arguments.of(
                        "bad.jsonl",
                        "{\"text\":\"a\",\"label\":[\"joy\",[\"anger\"]]}\n",
                        null,
                        "bad.jsonl:1: field 'label' lists [\"anger\"], which is neither a label"
                                + " name nor an index"),
                Arguments.of(
                        "bad.jsonl",
                        "{\"text\":\"a\",\"label\":{\"joy\":1}}\n",
                        null,
                        "bad.jsonl:1: field 'label' is missing (an object is neither a label nor a"
                                + " list of labels)"),
                Arguments.of(
                        "bad.csv",
                        "text,label\na,joy;fear\n",
                        ";",
                        "bad.csv:2: label 'fear' in the list is neither an index below 4 nor one of"
                                + " [joy, anger, sadness, surprise]"),
                Arguments.of(
                        "bad.jsonl",
                        "{\"text\":\"a\",\"label\":[\"joy\"]}\n",
                        ";",
                        "--label-separator applies to CSV data; DIR/bad.jsonl is jsonl (a JSONL"
                                + " record gives several labels as a JSON array)"));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void badInputNamesFileLineAndProblem(
            String name, String content, String separator, String message) throws IOException {
        Path data = write(name, content);
        var spec = new DatasetSpec(data, null, null, null, null, separator);
        InputException e = assertThrows(InputException.class, () -> readAll(spec));
        assertEquals(
                message.replace("DIR/", dir + "/").replace(name + ":", data + ":"), e.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
