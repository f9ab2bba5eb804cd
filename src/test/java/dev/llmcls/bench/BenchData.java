package dev.llmcls.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Benchmark datasets: {@code text,label} CSV files of any length, made by cycling through the AG
 * News test texts (title + " " + description, as the seed classifies them), or through synthetic
 * news-like texts when the shared data is not beside the checkout. Written under target/bench,
 * never committed; reused when already there.
 */
final class BenchData {
    private static final Path AG_NEWS = Path.of("..", "shared", "data", "ag_news", "test.csv");

    private BenchData() {}

    static Path csv(Path dir, long rows) {
        return csv(dir, rows, false);
    }

    /**
     * As {@link #csv}, with {@code unique}: each text ends in its row number, so no two rows make
     * the same request (the answer store finds none of them before it has kept it).
     */
    static Path csv(Path dir, long rows, boolean unique) {
        Path file = dir.resolve("examples-" + rows + (unique ? "-unique" : "") + ".csv");
        if (Files.exists(file)) {
            return file;
        }
        List<String[]> source = source();
        try {
            Files.createDirectories(dir);
            Path partial = dir.resolve(file.getFileName() + ".partial");
            try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
                    CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT)) {
                printer.printRecord("text", "label");
                for (long i = 0; i < rows; i++) {
                    String[] row = source.get((int) (i % source.size()));
                    printer.printRecord(unique ? row[0] + " (" + i + ")" : row[0], row[1]);
                }
            }
            Files.move(partial, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The first {@code count} texts of the source, cycling when it holds fewer. */
    static List<String> texts(int count) {
        List<String[]> source = source();
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(source.get(i % source.size())[0]);
        }
        return texts;
    }

    private static List<String[]> source() {
        List<String[]> rows = new ArrayList<>();
        if (Files.exists(AG_NEWS)) {
            try (Reader in = Files.newBufferedReader(AG_NEWS, StandardCharsets.UTF_8)) {
                for (CSVRecord record : CSVFormat.DEFAULT.parse(in)) {
                    rows.add(
                            new String[] {
                                record.get(1) + " " + record.get(2),
                                Integer.toString(Integer.parseInt(record.get(0)) - 1)
                            });
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + AG_NEWS, e);
            }
            return rows;
        }
        String[] topics = {"the election", "the cup final", "quarterly earnings", "a new chip"};
        for (int i = 0; i < 7600; i++) {
            rows.add(
                    new String[] {
                        "Report "
                                + i
                                + " on "
                                + topics[i % 4]
                                + ": officials said on Tuesday that the talks would continue next"
                                + " week, according to people familiar with the matter, while"
                                + " markets and fans waited for a decision that could shape the"
                                + " rest of the season.",
                        Integer.toString(i % 4)
                    });
        }
        return rows;
    }
}
