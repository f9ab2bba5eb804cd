package dev.llmcls.data;

import dev.llmcls.core.InputException;
import dev.llmcls.core.TextFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/** The layouts a dataset file can have. */
public enum DatasetFormat {
    /**
     * The original AG's News release: no header, {@code "class","title","description"}, class 1..N.
     */
    AGNEWS,
    /** A CSV file with a header row naming its columns. */
    CSV,
    /** One JSON object a line. */
    JSONL,
    /** Apache Parquet, read a row group at a time (what the Hugging Face Hub serves). */
    PARQUET;

    /** The name users write, e.g. {@code --format csv}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static final Pattern AGNEWS_FIRST_LINE = Pattern.compile("^\"?\\d+\"?,\".*");

    /**
     * Guesses the format from the file name and, for CSV, from whether the first line looks like a
     * header; a directory is read as Parquet files.
     */
    public static DatasetFormat detect(Path file) {
        if (java.nio.file.Files.isDirectory(file)) {
            return PARQUET;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return PARQUET;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return JSONL;
        }
        try (BufferedReader reader = TextFiles.newReader(file)) {
            String first = reader.readLine();
            if (first == null) {
                throw new InputException(file + ": the file is empty");
            }
            if (first.startsWith("{")) {
                return JSONL;
            }
            return AGNEWS_FIRST_LINE.matcher(first).matches() ? AGNEWS : CSV;
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
