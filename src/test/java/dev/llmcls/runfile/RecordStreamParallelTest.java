package dev.llmcls.runfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parallel reader cuts a file into many small pieces here (a few hundred bytes), so that
 * records, errors and a truncated last line fall in different pieces: it must hand over what the
 * sequential reader hands over, in the same order and with the same line numbers, and report an
 * error at the file's line, after the records before it.
 */
class RecordStreamParallelTest {
    @TempDir Path dir;

    private static String record(int i) {
        String text = "text " + "x".repeat(i % 97) + " \\u00e9\\n";
        return "{\"id\":\""
                + (i % 700)
                + "\",\"text\":\""
                + text
                + "\",\"gold\":\"G"
                + (i % 3)
                + "\",\"output\":\"reason: "
                + i
                + "\\nlabel: G"
                + (i % 4)
                + "\",\"error\":null}";
    }

    private Path write(List<String> lines, boolean finalNewline) throws IOException {
        Path file = dir.resolve("run.jsonl");
        String body = String.join("\n", lines) + (finalNewline ? "\n" : "");
        Files.writeString(file, body, StandardCharsets.UTF_8);
        return file;
    }

    private static List<String> sequential(Path file) {
        var seen = new ArrayList<String>();
        RecordStream.forEach(
                file,
                false,
                r -> seen.add(r.line() + " " + r.id() + " " + r.gold() + " " + r.output()));
        return seen;
    }

    @Test
    void manySmallPiecesGiveWhatTheSequentialReaderGivesInOrder() throws IOException {
        var lines = new ArrayList<String>();
        for (int i = 0; i < 2000; i++) {
            lines.add(record(i));
            if (i % 250 == 0) {
                lines.add(""); // blank lines count as lines
            }
        }
        Path file = write(lines, true);
        for (boolean fast : new boolean[] {true, false}) {
            for (int piece : new int[] {97, 1000, 1 << 20}) {
                var seen = new ArrayList<String>();
                int truncated =
                        RecordStream.forEachParallel(
                                file,
                                piece,
                                fast,
                                r -> r.id() + " " + r.gold() + " " + r.output(),
                                (mapped, line) -> seen.add(line + " " + mapped));
                assertEquals(0, truncated);
                assertEquals(
                        sequential(file),
                        seen,
                        "pieces of " + piece + " bytes, byte scanner " + fast);
            }
        }
    }

    @ParameterizedTest(name = "byte scanner {0}")
    @ValueSource(booleans = {true, false})
    void anErrorNamesTheFilesLineAfterTheRecordsBeforeIt(boolean fast) throws IOException {
        var lines = new ArrayList<String>();
        for (int i = 0; i < 1500; i++) {
            lines.add(i == 1234 ? "{\"id\":\"x\",\"output\":\"no gold\"}" : record(i));
        }
        Path file = write(lines, true);
        var seen = new ArrayList<Long>();
        var error =
                assertThrows(
                        InputException.class,
                        () ->
                                RecordStream.forEachParallel(
                                        file, 300, fast, r -> r, (r, line) -> seen.add(line)));
        assertTrue(error.getMessage().contains(":1235"), error.getMessage());
        assertTrue(error.getMessage().contains("no \"gold\""), error.getMessage());
        assertEquals(1234, seen.size(), "every record before the bad line was consumed");

        lines.set(1234, "{\"id\":\"x\", broken");
        Path broken = write(lines, true);
        var malformed =
                assertThrows(
                        InputException.class,
                        () ->
                                RecordStream.forEachParallel(
                                        broken, 300, fast, r -> r, (r, line) -> {}));
        assertTrue(malformed.getMessage().contains(":1235"), malformed.getMessage());
    }

    @ParameterizedTest(name = "byte scanner {0}")
    @ValueSource(booleans = {true, false})
    void aHalfWrittenLastLineIsSkippedAndCounted(boolean fast) throws IOException {
        var lines = new ArrayList<String>();
        for (int i = 0; i < 800; i++) {
            lines.add(record(i));
        }
        lines.add("{\"id\":\"800\",\"text\":\"cut sh");
        Path file = write(lines, false);
        var seen = new ArrayList<Long>();
        assertEquals(
                1,
                RecordStream.forEachParallel(file, 500, fast, r -> r, (r, line) -> seen.add(line)));
        assertEquals(800, seen.size());
        assertEquals(800L, seen.get(seen.size() - 1));
    }
}
