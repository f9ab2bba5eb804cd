package dev.llmcls.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * A CSV of numbered texts ({@code "<prefix>0"}, {@code "<prefix>1"}, ...) for runs against the
 * stand-in server.
 */
public final class NumberedCsv {
    private NumberedCsv() {}

    /** Writes {@code count} rows, every one labelled World, to {@code file} and returns it. */
    public static Path write(Path file, String prefix, int count) throws IOException {
        return write(file, prefix, count, i -> "World");
    }

    /**
     * Writes {@code count} rows, row {@code i} with text {@code prefix + i} and gold label {@code
     * gold(i)}.
     */
    public static Path write(Path file, String prefix, int count, IntFunction<String> gold)
            throws IOException {
        var csv = new StringBuilder("text,label\n");
        for (int i = 0; i < count; i++) {
            csv.append(prefix).append(i).append(',').append(gold.apply(i)).append('\n');
        }
        return Files.writeString(file, csv);
    }
}
