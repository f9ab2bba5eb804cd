package dev.llmcls.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the text files users give the tool (data, labels, prompt templates, API keys) as UTF-8,
 * dropping a leading byte-order mark: Excel and Notepad write one, and it would otherwise become
 * part of the first header name, label, template line or key.
 */
public final class TextFiles {
    /** U+FEFF, which UTF-8 encodes as EF BB BF at the start of a file. */
    public static final char BOM = '\uFEFF';

    private TextFiles() {}

    /** A UTF-8 reader positioned after the file's byte-order mark, if it has one. */
    public static BufferedReader newReader(Path file) throws IOException {
        BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        try {
            reader.mark(1);
            if (reader.read() != BOM) {
                reader.reset();
            }
            return reader;
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    public static String readString(Path file) throws IOException {
        return withoutBom(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static List<String> readAllLines(Path file) throws IOException {
        return readString(file).lines().toList();
    }

    public static String withoutBom(String text) {
        return !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
    }

    /** Whether the file holds nothing but, at most, a byte-order mark and white space. */
    public static boolean isBlank(Path file) throws IOException {
        try (BufferedReader reader = newReader(file)) {
            int c;
            while ((c = reader.read()) >= 0) {
                if (!Character.isWhitespace(c)) {
                    return false;
                }
            }
            return true;
        }
    }
}
