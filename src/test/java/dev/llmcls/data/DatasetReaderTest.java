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

class DatasetReaderTest {
    private static final LabelSet AG = LabelSet.parse(LabelSet.AG_NEWS);

    @TempDir
    Path dir;

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
        assertEquals("Fears for T N pension after talks Unions representing workers at Turner   Newall say they are "
                + "'disappointed' after talks with stricken parent firm Federal Mogul.", first.text());
        assertTrue(examples.get(1).text().contains("second\\team"), "backslash sequences are kept as they are");
        assertEquals(List.of(103, 123, 72, 102), perClass(examples), "the slice's README gives these counts");
    }

    @Test
    void agNewsFullTestSplitYieldsTheSeeds7600Inputs() {
        Path test = SharedData.fullAgNews("test.csv");
        List<Example> examples = readAll(DatasetSpec.of(test), AG);
        assertEquals(7600, examples.size());
        assertEquals(List.of(1900, 1900, 1900, 1900), perClass(examples));
        assertEquals(readAll(DatasetSpec.of(SharedData.testSlice()), AG), examples.subList(0, 400),
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
        Path jsonl = write("d.jsonl", "{\"id\":\"a7\",\"body\":\"x\",\"y\":\"World\"}\n\n{\"id\":9,\"body\":\"z\",\"y\":2}\n");
        List<Example> examples = readAll(new DatasetSpec(jsonl, null, "body", "y", "id"), AG);
        assertEquals(List.of(new Example("a7", "x", 0), new Example("9", "z", 2)), examples);
    }

    @Test
    void unknownLabelNamesFileAndLine() throws IOException {
        Path csv = write("bad.csv", "text,label\nfine,World\n\"multi\nline\",Sports\nbroken,Weather\n");
        var error = assertThrows(InputException.class, () -> readAll(DatasetSpec.of(csv), AG));
        assertTrue(error.getMessage().startsWith(csv + ":5:"), error.getMessage());
        assertTrue(error.getMessage().contains("'Weather'"), error.getMessage());
    }

    @Test
    void malformedJsonNamesFileAndLine() throws IOException {
        Path jsonl = write("bad.jsonl", "{\"text\":\"a\",\"label\":0}\n{\"text\": oops}\n");
        var error = assertThrows(InputException.class, () -> readAll(DatasetSpec.of(jsonl), AG));
        assertTrue(error.getMessage().startsWith(jsonl + ":2:"), error.getMessage());
    }

    @Test
    void agNewsClassOutOfRangeNamesTheLine() throws IOException {
        Path csv = write("ag.csv", "\"1\",\"t\",\"d\"\n\"5\",\"t\",\"d\"\n");
        var error = assertThrows(InputException.class, () -> readAll(DatasetSpec.of(csv), AG));
        assertTrue(error.getMessage().startsWith(csv + ":2:"), error.getMessage());
    }

    @Test
    void missingColumnIsNamedWithTheHeader() throws IOException {
        Path csv = write("cols.csv", "sentence,label\nx,0\n");
        var error = assertThrows(InputException.class, () -> readAll(DatasetSpec.of(csv), AG));
        assertTrue(error.getMessage().contains("no column 'text'"), error.getMessage());
        assertTrue(error.getMessage().contains("sentence"), error.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
