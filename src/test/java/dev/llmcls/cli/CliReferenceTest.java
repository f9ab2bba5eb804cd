package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code docs/cli/} pages are the ones the annotations give today. When an option
 * changes, this test fails and names the command that rewrites them ({@link #REGENERATE}).
 */
class CliReferenceTest {
    static final String REGENERATE =
            "mvn -B -ntp -Pquick test -Dtest=CliReferenceTest -Dllmcls.docs.write=true";

    private static final Path FOLDER = Path.of(CliReference.FOLDER);

    @Test
    void committedReferencePagesMatchTheAnnotations() throws IOException {
        Map<String, String> expected = CliReference.files();
        if (Boolean.getBoolean("llmcls.docs.write")) {
            write(expected);
        }
        List<String> stale = new ArrayList<>();
        for (var entry : expected.entrySet()) {
            Path file = FOLDER.resolve(entry.getKey());
            if (!Files.isRegularFile(file)
                    || !Files.readString(file, StandardCharsets.UTF_8).equals(entry.getValue())) {
                stale.add(file.toString());
            }
        }
        for (Path file : committed()) {
            if (!expected.containsKey(file.getFileName().toString())) {
                stale.add(file + " (no such command any more)");
            }
        }
        assertEquals(List.of(), stale, "docs/cli is stale; regenerate it with: " + REGENERATE);
    }

    @Test
    void everyCommandHasAPageAndTheClassifyPageShowsItsSections() {
        Map<String, String> files = CliReference.files();
        for (String page :
                List.of(
                        "llmcls.md",
                        "llmcls-classify.md",
                        "llmcls-evaluate.md",
                        "llmcls-batch.md",
                        "llmcls-batch-export.md",
                        "llmcls-batch-import.md")) {
            assertTrue(files.containsKey(page), page + " in " + files.keySet());
        }
        String classify = files.get("llmcls-classify.md");
        for (String heading :
                List.of(
                        "Data:",
                        "Method:",
                        "Model and sampling:",
                        "Server:",
                        "Execution:",
                        "Output:")) {
            assertTrue(classify.contains("\n" + heading + "\n"), heading);
        }
        assertTrue(files.get("llmcls_completion.bash").contains("--base-url"));
    }

    private static void write(Map<String, String> files) throws IOException {
        Files.createDirectories(FOLDER);
        for (Path old : committed()) {
            if (!files.containsKey(old.getFileName().toString())) {
                Files.delete(old);
            }
        }
        for (var entry : files.entrySet()) {
            Files.writeString(
                    FOLDER.resolve(entry.getKey()), entry.getValue(), StandardCharsets.UTF_8);
        }
    }

    private static List<Path> committed() throws IOException {
        if (!Files.isDirectory(FOLDER)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
