package dev.llmcls.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.InputException;
import dev.llmcls.data.parquet.PureJavaCodecs;
import dev.llmcls.testing.HubParquet;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParquetSourceTest {
    private static final LabelSet SENTIMENT = LabelSet.parse("negative,positive");

    @TempDir Path dir;

    private static List<Example> readAll(DatasetSpec spec, LabelSet labels) {
        var examples = new ArrayList<Example>();
        try (ExampleSource source = DatasetReader.open(spec, labels)) {
            source.forEachRemaining(examples::add);
        }
        return examples;
    }

    private Path sst2() {
        return new HubParquet()
                .int32("idx")
                .string("sentence")
                .classLabel("label", "negative", "positive")
                .row(0, "it 's a charming and often affecting journey . ", 1)
                .row(1, "unflinchingly bleak and desperate ", 0)
                .write(dir.resolve("test-00000-of-00001.parquet"));
    }

    @Test
    void aHubFileIsDetectedByItsNameAndReadWithItsClassLabelNames() {
        Path file = sst2();
        assertEquals(DatasetFormat.PARQUET, DatasetFormat.detect(file));
        var spec = new DatasetSpec(file, null, "sentence", "label", "idx");
        assertEquals(
                Optional.of(List.of("negative", "positive")), DatasetReader.classLabelNames(spec));
        assertEquals(
                List.of(
                        new Example("0", "it 's a charming and often affecting journey . ", 1),
                        new Example("1", "unflinchingly bleak and desperate ", 0)),
                readAll(spec, SENTIMENT));
    }

    @Test
    void anIntegerLabelIsMappedByItsClassLabelNameNotItsPosition() {
        // the run's list names the classes in another order: the file's ClassLabel names decide
        // which is which
        Path file = sst2();
        List<Example> examples =
                readAll(
                        new DatasetSpec(file, null, "sentence", "label", null),
                        LabelSet.parse("positive,negative"));
        assertEquals(List.of(0, 1), examples.stream().map(Example::gold).toList());
    }

    @Test
    void withoutFeaturesAnIntegerLabelIsAnIndexAndAStringLabelAName() {
        Path ints =
                new HubParquet()
                        .string("text")
                        .classLabel("label")
                        .withoutFeatures()
                        .row("a", 1)
                        .row("b", 0)
                        .write(dir.resolve("ints.parquet"));
        assertEquals(
                List.of(1, 0),
                readAll(DatasetSpec.of(ints), SENTIMENT).stream().map(Example::gold).toList());
        assertEquals(Optional.empty(), DatasetReader.classLabelNames(DatasetSpec.of(ints)));
        Path names =
                new HubParquet()
                        .string("text")
                        .string("label")
                        .row("a", "positive")
                        .row("b", "negative")
                        .write(dir.resolve("names.parquet"));
        assertEquals(
                List.of(1, 0),
                readAll(DatasetSpec.of(names), SENTIMENT).stream().map(Example::gold).toList());
    }

    @ParameterizedTest
    @EnumSource(names = {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "LZ4_RAW"})
    void everyCodecTheHubWritesIsReadInPureJavaAcrossRowGroups(CompressionCodecName codec)
            throws IOException {
        var fixture =
                new HubParquet()
                        .string("text")
                        .classLabel("label", "negative", "positive")
                        .codec(codec)
                        .rowGroupBytes(4 * 1024);
        for (int i = 0; i < 3000; i++) {
            fixture.row("review number " + i + " " + "x".repeat(i % 50), i % 2);
        }
        Path file = fixture.write(dir.resolve(codec + ".parquet"));
        assertTrue(rowGroups(file).size() > 3, "the fixture spans several row groups");
        List<Example> examples = readAll(DatasetSpec.of(file), SENTIMENT);
        assertEquals(3000, examples.size());
        for (int i = 0; i < 3000; i += 457) {
            assertEquals(
                    new Example(
                            Integer.toString(i),
                            "review number " + i + " " + "x".repeat(i % 50),
                            i % 2),
                    examples.get(i));
        }
    }

    @Test
    void promptFieldsAreCarriedWithEachExample() {
        Path file =
                new HubParquet()
                        .string("premise")
                        .string("hypothesis")
                        .classLabel("label", "entailment", "neutral", "contradiction")
                        .row("A man plays a guitar.", "A man makes music.", 0)
                        .write(dir.resolve("mnli.parquet"));
        var spec =
                new DatasetSpec(file, null, "premise", "label", null)
                        .withFields(List.of("hypothesis"));
        Example example = readAll(spec, LabelSet.parse("entailment,neutral,contradiction")).get(0);
        assertEquals("A man plays a guitar.", example.text());
        assertEquals(Map.of("hypothesis", "A man makes music."), example.fields());
    }

    @Test
    void aMissingColumnIsNamedWithTheColumnsThatArePresent() {
        Path file = sst2();
        var e = assertThrows(InputException.class, () -> readAll(DatasetSpec.of(file), SENTIMENT));
        assertEquals(
                file + ": no column 'text'; the file has [idx, sentence, label]", e.getMessage());
        var field =
                assertThrows(
                        InputException.class,
                        () ->
                                readAll(
                                        new DatasetSpec(file, null, "sentence", "label", null)
                                                .withFields(List.of("hypothesis")),
                                        SENTIMENT));
        assertTrue(field.getMessage().contains("no column 'hypothesis'"), field.getMessage());
    }

    @Test
    void aTextColumnThatIsNotStringsIsRefused() {
        Path file = sst2();
        var e =
                assertThrows(
                        InputException.class,
                        () ->
                                readAll(
                                        new DatasetSpec(file, null, "idx", "label", null),
                                        SENTIMENT));
        assertEquals(
                file + ": the text column 'idx' does not hold strings (it is int32)",
                e.getMessage());
    }

    @Test
    void aListOfLabelNamesIsAMultiLabelColumn() {
        Path file =
                new HubParquet()
                        .string("text")
                        .stringList("labels")
                        .row("a", List.of("joy", "love"))
                        .row("b", List.of())
                        .write(dir.resolve("go.parquet"));
        LabelSet emotions = LabelSet.parse("joy,love,anger");
        assertEquals(
                List.of(
                        Example.multiLabel("0", "a", List.of(0, 1)),
                        Example.multiLabel("1", "b", List.of())),
                readAll(new DatasetSpec(file, null, "text", "labels", null), emotions));
    }

    @Test
    void aListOfClassLabelIndicesTakesTheirNames() {
        Path file =
                new HubParquet()
                        .string("text")
                        .classLabelList("labels", "anger", "joy", "love")
                        .row("a", List.of(2, 1))
                        .row("b", List.of(0))
                        .write(dir.resolve("go-ids.parquet"));
        var spec = new DatasetSpec(file, null, "text", "labels", null);
        assertEquals(
                List.of("anger", "joy", "love"), DatasetReader.classLabelNames(spec).orElseThrow());
        LabelSet names =
                LabelSet.parse(
                        "love,joy,anger"); // another order: the names, not the indices, decide
        assertEquals(
                List.of(
                        Example.multiLabel("0", "a", List.of(0, 1)),
                        Example.multiLabel("1", "b", List.of(2))),
                readAll(spec, names));
        assertTrue(Datasets.multiLabel(spec, names));
    }

    @Test
    void aListLabelOutsideTheLabelsNamesTheRow() {
        Path file =
                new HubParquet()
                        .string("text")
                        .stringList("labels")
                        .row("a", List.of("joy", "grief"))
                        .write(dir.resolve("go-bad.parquet"));
        var e =
                assertThrows(
                        InputException.class,
                        () ->
                                readAll(
                                        new DatasetSpec(file, null, "text", "labels", null),
                                        LabelSet.parse("joy,love")));
        assertTrue(
                e.getMessage().startsWith(file + ": row 0 (row group 0): label 'grief'"),
                e.getMessage());
    }

    @Test
    void aLabelOutsideTheClassLabelNamesNamesTheRowAndRowGroup() {
        Path file =
                new HubParquet()
                        .string("text")
                        .classLabel("label", "negative", "positive")
                        .row("a", 1)
                        .row("b", 2)
                        .write(dir.resolve("bad-label.parquet"));
        var e = assertThrows(InputException.class, () -> readAll(DatasetSpec.of(file), SENTIMENT));
        assertEquals(
                file
                        + ": row 1 (row group 0): label 2 is outside the 2 ClassLabel names"
                        + " [negative, positive]",
                e.getMessage());
    }

    @Test
    void aFileWithoutAFooterIsNotAReadableParquetFile() throws IOException {
        Path file = sst2();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(InputException.class, () -> readAll(DatasetSpec.of(file), SENTIMENT));
        assertTrue(
                e.getMessage().startsWith(file + ": not a readable Parquet file"), e.getMessage());
    }

    @Test
    void aCorruptRowGroupIsNamedByNumber() throws IOException {
        var fixture =
                new HubParquet()
                        .string("text")
                        .classLabel("label", "negative", "positive")
                        .rowGroupBytes(2 * 1024);
        for (int i = 0; i < 2000; i++) {
            fixture.row("text " + i + " " + "y".repeat(i % 40), i % 2);
        }
        Path file = fixture.write(dir.resolve("corrupt.parquet"));
        List<BlockMetaData> groups = rowGroups(file);
        assertTrue(groups.size() > 2);
        long start = groups.get(2).getColumns().get(0).getStartingPos();
        try (var out = new RandomAccessFile(file.toFile(), "rw")) {
            out.seek(start);
            out.write(new byte[64]); // zeroes over the page header of row group 2's first column
            // chunk
            out.seek(start + 64);
            out.write("garbage".repeat(20).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        var e = assertThrows(InputException.class, () -> readAll(DatasetSpec.of(file), SENTIMENT));
        assertTrue(
                e.getMessage().startsWith(file + ": row group 2 cannot be read"), e.getMessage());
    }

    private static List<BlockMetaData> rowGroups(Path file) throws IOException {
        var options =
                ParquetReadOptions.builder(new PlainParquetConfiguration())
                        .withCodecFactory(new PureJavaCodecs())
                        .build();
        try (var reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
            return reader.getFooter().getBlocks();
        }
    }

    private Path part(Path split, String name, int firstIdx, int rows) {
        var parquet =
                new HubParquet()
                        .int32("idx")
                        .string("sentence")
                        .classLabel("label", "negative", "positive");
        for (int i = 0; i < rows; i++) {
            parquet.row(firstIdx + i, "text " + (firstIdx + i), (firstIdx + i) % 2);
        }
        return parquet.write(split.resolve(name));
    }

    @Test
    void aDirectoryIsOneDatasetOfItsParquetFilesInNaturalOrder() throws IOException {
        // a split held in several files, as the Hub stores a large one
        // (data/train-00000-of-00003.parquet ...); train-10 comes after train-2, not before
        Path split = Files.createDirectories(dir.resolve("train"));
        part(split, "train-10.parquet", 5, 1);
        part(split, "train-2.parquet", 2, 3);
        part(split, "train-0.parquet", 0, 2);
        Files.writeString(split.resolve(".files"), "not data");
        Files.writeString(split.resolve("README.md"), "not data");
        assertEquals(DatasetFormat.PARQUET, DatasetFormat.detect(split));
        var spec = new DatasetSpec(split, null, "sentence", "label", "idx");
        assertEquals(
                Optional.of(List.of("negative", "positive")), DatasetReader.classLabelNames(spec));
        List<Example> examples = readAll(spec, SENTIMENT);
        assertEquals(
                List.of("0", "1", "2", "3", "4", "5"), examples.stream().map(Example::id).toList());
        assertEquals(List.of(0, 1, 0, 1, 0, 1), examples.stream().map(Example::gold).toList());

        String before = DatasetReader.sha256(split);
        assertEquals(64, before.length());
        part(split, "train-2.parquet", 2, 2);
        assertTrue(
                !before.equals(DatasetReader.sha256(split)),
                "the directory's sha256 changes with any file's content");
        assertEquals(
                dev.llmcls.core.Sha256.hexOfFile(split.resolve("train-0.parquet")),
                DatasetReader.sha256(split.resolve("train-0.parquet")),
                "one file's is its own sha256, as before");
    }

    @Test
    void aPartUnlikeTheFirstIsRefusedNamingIt() throws IOException {
        Path split = Files.createDirectories(dir.resolve("test"));
        part(split, "test-0.parquet", 0, 1);
        Path odd =
                new HubParquet()
                        .int32("idx")
                        .string("text")
                        .classLabel("label", "negative", "positive")
                        .row(1, "x", 0)
                        .write(split.resolve("test-1.parquet"));
        var error =
                assertThrows(
                        InputException.class,
                        () ->
                                readAll(
                                        new DatasetSpec(split, null, "sentence", "label", "idx"),
                                        SENTIMENT));
        assertTrue(
                error.getMessage().startsWith(odd + ": no column 'sentence'"), error.getMessage());

        var empty = Files.createDirectories(dir.resolve("empty"));
        var none =
                assertThrows(
                        InputException.class,
                        () -> readAll(new DatasetSpec(empty, null, null, null, null), SENTIMENT));
        assertTrue(none.getMessage().contains("must hold .parquet files"), none.getMessage());
        var csv =
                assertThrows(
                        InputException.class,
                        () ->
                                readAll(
                                        new DatasetSpec(split, DatasetFormat.CSV, null, null, null),
                                        SENTIMENT));
        assertTrue(csv.getMessage().contains("is a directory"), csv.getMessage());
    }
}
