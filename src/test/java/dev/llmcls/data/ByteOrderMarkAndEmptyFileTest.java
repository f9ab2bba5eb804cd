package dev.llmcls.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.InputException;
import dev.llmcls.core.TextFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files as editors and spreadsheets save them: a UTF-8 byte-order mark (Excel's "CSV UTF-8",
 * Notepad) and CRLF line ends read exactly like the plain file; an empty data file says it is
 * empty.
 */
class ByteOrderMarkAndEmptyFileTest {
    private static final LabelSet AG = LabelSet.parse(LabelSet.AG_NEWS);
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final List<Example> EXPECTED =
            List.of(
                    new Example("0", "Leaders meet in Geneva", 0),
                    new Example("1", "Home team wins", 1));

    @TempDir Path dir;

    /** The same two examples in each format, as a file name and its lines. */
    static Stream<Arguments> datasets() {
        var cases = new ArrayList<Arguments>();
        var files =
                List.of(
                        Arguments.of(
                                "data.csv",
                                null,
                                List.of(
                                        "text,label",
                                        "Leaders meet in Geneva,World",
                                        "Home team wins,1")),
                        Arguments.of(
                                "data.jsonl",
                                null,
                                List.of(
                                        "{\"text\":\"Leaders meet in Geneva\",\"label\":\"World\"}",
                                        "{\"text\":\"Home team wins\",\"label\":1}")),
                        Arguments.of(
                                "agnews.csv",
                                null,
                                List.of(
                                        "\"1\",\"Leaders meet\",\"in Geneva\"",
                                        "\"2\",\"Home team\",\"wins\"")),
                        Arguments.of(
                                "data.txt",
                                DatasetFormat.CSV,
                                List.of(
                                        "text,label",
                                        "Leaders meet in Geneva,World",
                                        "Home team wins,1")),
                        Arguments.of(
                                "data.txt",
                                DatasetFormat.JSONL,
                                List.of(
                                        "{\"text\":\"Leaders meet in Geneva\",\"label\":0}",
                                        "{\"text\":\"Home team wins\",\"label\":1}")),
                        Arguments.of(
                                "data.txt",
                                DatasetFormat.AGNEWS,
                                List.of(
                                        "\"1\",\"Leaders meet\",\"in Geneva\"",
                                        "\"2\",\"Home team\",\"wins\"")));
        for (Arguments file : files) {
            for (String lineEnd : List.of("\n", "\r\n")) {
                Object[] a = file.get();
                cases.add(Arguments.of(a[0], a[1], a[2], lineEnd));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} format={1} line end={3}")
    @MethodSource("datasets")
    void aByteOrderMarkAndCrlfReadLikeThePlainFile(
            String name, DatasetFormat format, List<String> lines, String lineEnd)
            throws IOException {
        Path file = write(name, true, String.join(lineEnd, lines) + lineEnd);
        if (format == null) {
            assertEquals(
                    name.startsWith("agnews")
                            ? DatasetFormat.AGNEWS
                            : name.endsWith(".jsonl") ? DatasetFormat.JSONL : DatasetFormat.CSV,
                    DatasetFormat.detect(file));
        }
        assertEquals(EXPECTED, readAll(new DatasetSpec(file, format, "text", "label", null)));
    }

    static Stream<Arguments> emptyFiles() {
        var cases = new ArrayList<Arguments>();
        for (String content : List.of("", "\n", "\r\n  \r\n")) {
            for (boolean bom : List.of(false, true)) {
                for (String name : List.of("empty.csv", "empty.jsonl")) {
                    cases.add(Arguments.of(name, null, content, bom));
                }
                for (DatasetFormat format : DatasetFormat.values()) {
                    cases.add(Arguments.of("empty.txt", format, content, bom));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} format={1} content={2} bom={3}")
    @MethodSource("emptyFiles")
    void anEmptyDataFileSaysItIsEmpty(
            String name, DatasetFormat format, String content, boolean bom) throws IOException {
        Path file = write(name, bom, content);
        var error =
                assertThrows(
                        InputException.class,
                        () -> readAll(new DatasetSpec(file, format, "text", "label", null)));
        assertTrue(
                error.getMessage().equals(file + ": the file is empty (no header, no rows)"),
                error.getMessage());
    }

    @ParameterizedTest(name = "bom={0}")
    @MethodSource("bomOrNot")
    void labelsFileNamesDescriptionsAndAliasesIgnoreTheMark(boolean bom) throws IOException {
        Path described =
                write(
                        "described.txt",
                        bom,
                        "World: international news\r\nSports\r\nBusiness\r\n"
                                + "Science | Technology\r\n");
        assertEquals(
                List.of("World", "Sports", "Business", "Science | Technology"),
                LabelSet.read(described).names());
        assertEquals("international news", LabelSet.read(described).descriptions().get("World"));

        Path aliased =
                write(
                        "aliased.txt",
                        bom,
                        "World = Intl\r\nSports\r\nBusiness\r\nScience | Technology\r\n");
        LabelSet labels = LabelSet.read(aliased);
        assertEquals("World", labels.name(0));
        assertEquals(Map.of("Intl", "World"), labels.aliases());

        Path commented = write("commented.txt", bom, "# AG News\r\nWorld\r\nSports\r\n");
        assertEquals(
                List.of("World", "Sports"),
                LabelSet.read(commented).names(),
                "the comment stays a comment");
    }

    static Stream<Boolean> bomOrNot() {
        return Stream.of(false, true);
    }

    @ParameterizedTest(name = "bom={0}")
    @MethodSource("bomOrNot")
    void textFilesDropOnlyALeadingMark(boolean bom) throws IOException {
        Path file = write("key.txt", bom, "sk-1\uFEFF2\n");
        assertEquals(
                "sk-1\uFEFF2\n",
                TextFiles.readString(file),
                "a mark inside the text is the text's own");
        assertEquals(List.of("sk-1\uFEFF2"), TextFiles.readAllLines(file));
    }

    private List<Example> readAll(DatasetSpec spec) {
        var examples = new ArrayList<Example>();
        try (ExampleSource source = DatasetReader.open(spec, AG)) {
            source.forEachRemaining(examples::add);
        }
        return examples;
    }

    private Path write(String name, boolean bom, String content) throws IOException {
        byte[] text = content.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[(bom ? BOM.length : 0) + text.length];
        if (bom) {
            System.arraycopy(BOM, 0, bytes, 0, BOM.length);
        }
        System.arraycopy(text, 0, bytes, bom ? BOM.length : 0, text.length);
        return Files.write(dir.resolve(name), bytes);
    }
}
