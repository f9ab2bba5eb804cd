package dev.llmcls.runfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.InputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parallel reader's byte scanner against its Jackson path. For every input, reading with the
 * scanner first must give exactly what Jackson alone gives: the same records, line numbers,
 * truncated-line count, or the same error after the same records. And the scanner must read the
 * common shapes itself (else it would be correct but useless) and give up on the doubtful ones,
 * where the Jackson path takes over.
 */
class RecordScannerTest {
    private static final String TAIL =
            ",\"finish_reason\":\"stop\",\"prompt_tokens\":180,\"completion_tokens\":90,"
                    + "\"latency_ms\":2577,\"error\":null,\"attempts\":1}";

    @TempDir Path dir;

    /**
     * What a reader handed over for a file: each record with its line, then the truncated count or
     * the error.
     */
    private List<String> outcome(Path file, int pieceBytes, boolean fast) {
        var seen = new ArrayList<String>();
        try {
            int truncated =
                    RecordStream.forEachParallel(
                            file,
                            pieceBytes,
                            fast,
                            r -> r,
                            (record, line) -> seen.add(line + " " + record));
            seen.add("truncated " + truncated);
        } catch (InputException e) {
            seen.add("error " + e.getMessage());
        }
        return seen;
    }

    private Path write(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(dir, "run", ".jsonl");
        Files.write(file, bytes);
        return file;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long scanned(byte[] bytes) {
        return RecordScanner.scan(bytes, bytes.length, record -> {});
    }

    static Stream<Arguments> lines() {
        return Stream.of(
                // Read by the scanner.
                fast(
                        "plain",
                        "{\"id\":\"0\",\"text\":\"a text\",\"gold\":\"World\",\"output\":\"reason:"
                                + " x\\n"
                                + "label: World\""
                                + TAIL),
                fast(
                        "every two-character escape",
                        "{\"id\":\"1\",\"gold\":\"G\",\"output\":\"q\\\" b\\\\ s\\/ \\b\\f\\n"
                                + "\\r"
                                + "\\t end\"}"),
                fast(
                        "unicode escapes, a pair and a lone surrogate",
                        "{\"id\":\"2\",\"gold\":\"G\",\"output\":\"\\u00e9 \\u4E2D \\ud83d\\ude00"
                                + " \\ud800 x\"}"),
                fast(
                        "raw UTF-8 in id, gold, output and text",
                        "{\"id\":\"é中😀\",\"text\":\"naïve 東京 😀\",\"gold\":\"Sci/Tech"
                                + " é\",\"output\":\"标签：Sci/Tech é 😀\"}"),
                fast(
                        "escapes and UTF-8 mixed",
                        "{\"id\":\"3\",\"gold\":\"G\",\"output\":\"é\\n中\\t\\u0041😀\\\\\"}"),
                fast(
                        "text before the id is decoded",
                        "{\"text\":\"first"
                                + " \\u00e9\",\"id\":\"4\",\"gold\":\"G\",\"output\":\"o\"}"),
                fast(
                        "null text before the id",
                        "{\"text\":null,\"id\":\"4\",\"gold\":\"G\",\"output\":\"o\"}"),
                fast(
                        "any value as text after the id",
                        "{\"id\":\"4\",\"text\":[1,{\"a\":\"b\"}],\"gold\":\"G\",\"output\":\"o\"}"),
                fast("no output", "{\"id\":\"5\",\"gold\":\"G\"}"),
                fast(
                        "an error",
                        "{\"id\":\"6\",\"gold\":\"G\",\"output\":null,\"error\":\"connection: reset"
                                + " \\\"x\\\"\"}"),
                fast(
                        "label, constraint and a broken constraint",
                        "{\"id\":\"7\",\"gold\":\"G\",\"output\":\"{}\",\"label\":\"Sports\",\"constraint\":\"json\",\"constraint_broken\":true}"),
                fast(
                        "constraint_broken false and null",
                        "{\"id\":\"7\",\"gold\":\"G\",\"constraint_broken\":false}\n"
                                + "{\"id\":\"8\",\"gold\":\"G\",\"constraint_broken\":null}"),
                fast("null votes", "{\"id\":\"8\",\"gold\":\"G\",\"votes\":null}"),
                fast(
                        "probabilities",
                        "{\"id\":\"9\",\"gold\":\"G\",\"label_probs\":{\"World\":0.25,\"Sports\":7.5e-1},\"confidence\":1,\"vote_share\":null}"),
                fast(
                        "null probabilities",
                        "{\"id\":\"9\",\"gold\":\"G\",\"label_probs\":null,\"confidence\":null,\"vote_share\":null}"),
                fast("a confidence alone", "{\"id\":\"9\",\"gold\":\"G\",\"confidence\":0.5}"),
                fast(
                        "negative, zero and null counts",
                        "{\"id\":\"10\",\"gold\":\"G\",\"prompt_tokens\":-3,\"completion_tokens\":0}\n"
                            + "{\"id\":\"11\",\"gold\":\"G\",\"prompt_tokens\":null,\"completion_tokens\":999999999}"),
                fast(
                        "unknown fields of every kind",
                        "{\"id\":\"12\",\"x\":{\"a\":[1,-0,0.5,1.5E+10,-2e-3,true,false,null,\"s\"],\"b\":{}},\"y\":[],\"gold\":\"G\",\"z\":\"\\u0000\"}"),
                fast(
                        "unknown names that look like known ones",
                        "{\"id\":\"13\",\"gold\":\"G\",\"latency_ms\":1,\"finish_reason\":\"stop\",\"ids\":2,\"golden\":3,\"outputs\":[\"a\",\"b\"],\"constrain\":1}"),
                fast(
                        "names that begin like the record before's",
                        "{\"idx\":\"9\",\"id\":\"60\",\"gold_\":1,\"gold\":\"G\",\"outputs\":\"x\",\"output\":\"o\",\"i\":0}"),
                fast(
                        "spaces and tabs between tokens",
                        " \t{ \"id\" :\t\"14\" , \"gold\": \"G\" ,\"output\" : \"o\" } \t"),
                fast(
                        "Windows line ends",
                        "{\"id\":\"15\",\"gold\":\"G\",\"output\":\"a\"}\r\n"
                                + "{\"id\":\"16\",\"gold\":\"G\"}\r\n"),
                fast(
                        "blank lines count as lines",
                        "\n\n"
                                + "{\"id\":\"17\",\"gold\":\"G\"}\n"
                                + "   \n\n"
                                + "{\"id\":\"18\",\"gold\":\"G\"}\n\n"),
                fast(
                        "duplicate ids: both records, in order",
                        "{\"id\":\"19\",\"gold\":\"G\",\"error\":\"e\"}\n"
                                + "{\"id\":\"19\",\"gold\":\"G\",\"output\":\"label: G\"}"),
                fast("empty strings", "{\"id\":\"\",\"gold\":\"\",\"output\":\"\",\"error\":null}"),
                fast(
                        "a last line without its newline",
                        "{\"id\":\"20\",\"gold\":\"G\"}\n"
                                + "{\"id\":\"21\",\"gold\":\"G\",\"output\":\"o\"}"),
                // Read by Jackson: the scanner gives up, and must not change the outcome.
                slow("a byte-order mark", "\uFEFF{\"id\":\"30\",\"gold\":\"G\"}"),
                slow(
                        "a half-written last line",
                        "{\"id\":\"31\",\"gold\":\"G\"}\n{\"id\":\"32\",\"text\":\"cut sh"),
                slow(
                        "a last line cut after a complete value",
                        "{\"id\":\"31\",\"gold\":\"G\"}\n{\"id\":\"32\",\"gold\":\"G\""),
                slow("no id", "{\"gold\":\"G\",\"output\":\"o\"}"),
                slow("null id", "{\"id\":null,\"gold\":\"G\"}"),
                slow("no gold", "{\"id\":\"33\",\"output\":\"o\"}"),
                fast("a number as id", "{\"id\":34,\"gold\":\"G\"}"),
                fast("a negative number as id", "{\"id\":-7,\"gold\":\"G\",\"output\":\"o\"}"),
                fast("a fraction with an exponent as id", "{\"id\":1.50e+3,\"gold\":\"G\"}"),
                fast("zero as id, a number as gold", "{\"id\":0,\"gold\":3,\"output\":\"o\"}"),
                fast("a number as text before the id", "{\"text\":12,\"id\":5,\"gold\":\"G\"}"),
                slow("a number with a leading zero as id", "{\"id\":012,\"gold\":\"G\"}"),
                slow("a number with a plus as id", "{\"id\":+3,\"gold\":\"G\"}"),
                slow("a number cut short as id", "{\"id\":3.,\"gold\":\"G\"}"),
                slow("a boolean as id", "{\"id\":true,\"gold\":\"G\"}"),
                slow("a boolean as output", "{\"id\":\"35\",\"gold\":\"G\",\"output\":true}"),
                slow("an object as output", "{\"id\":\"35\",\"gold\":\"G\",\"output\":{\"a\":1}}"),
                slow(
                        "votes",
                        "{\"id\":\"36\",\"gold\":\"World\",\"votes\":{\"World\":3,\"Sports\":2}}"),
                slow("a duplicate field", "{\"id\":\"37\",\"gold\":\"G\",\"gold\":\"H\"}"),
                slow("a float count", "{\"id\":\"38\",\"gold\":\"G\",\"prompt_tokens\":1.5}"),
                slow(
                        "a count beyond nine digits",
                        "{\"id\":\"38\",\"gold\":\"G\",\"prompt_tokens\":12345678901}"),
                slow(
                        "a count with a leading zero",
                        "{\"id\":\"38\",\"gold\":\"G\",\"completion_tokens\":012}"),
                slow(
                        "a string as constraint_broken",
                        "{\"id\":\"39\",\"gold\":\"G\",\"constraint_broken\":\"yes\"}"),
                slow(
                        "a lone carriage return",
                        "{\"id\":\"40\",\"gold\":\"G\"}\r{\"id\":\"41\",\"gold\":\"G\"}\n"),
                slow(
                        "two values on a line",
                        "{\"id\":\"42\",\"gold\":\"G\"} {\"id\":\"43\",\"gold\":\"G\"}"),
                slow(
                        "a record over two lines",
                        "{\"id\":\"44\",\n\"gold\":\"G\"}\n{\"id\":\"45\",\"gold\":\"G\"}"),
                slow("a raw tab in a string", "{\"id\":\"46\",\"text\":\"a\tb\",\"gold\":\"G\"}"),
                slow("an unknown escape", "{\"id\":\"47\",\"gold\":\"G\",\"output\":\"\\x41\"}"),
                slow(
                        "a short unicode escape",
                        "{\"id\":\"48\",\"gold\":\"G\",\"output\":\"\\u12\"}"),
                slow("an escape in a field name", "{\"\\u0069d\":\"49\",\"gold\":\"G\"}"),
                slow("a trailing comma", "{\"id\":\"50\",\"gold\":\"G\",}"),
                slow("a leading zero", "{\"id\":\"51\",\"gold\":\"G\",\"x\":01}"),
                slow("a bare fraction", "{\"id\":\"51\",\"gold\":\"G\",\"x\":1.}"),
                slow("a leading plus", "{\"id\":\"51\",\"gold\":\"G\",\"x\":+1}"),
                slow("NaN", "{\"id\":\"51\",\"gold\":\"G\",\"x\":NaN}"),
                slow("a misspelt literal", "{\"id\":\"52\",\"gold\":\"G\",\"x\":nul}"),
                slow("a literal run on", "{\"id\":\"52\",\"gold\":\"G\",\"x\":nullx}"),
                slow("a comment", "{\"id\":\"53\",\"gold\":\"G\"} // note"),
                slow("an empty object", "{}"),
                slow("an array", "[{\"id\":\"54\",\"gold\":\"G\"}]"),
                slow(
                        "a deeply nested value",
                        "{\"id\":\"55\",\"gold\":\"G\",\"x\":"
                                + "[".repeat(100)
                                + "]".repeat(100)
                                + "}"),
                slow("single quotes", "{'id':'56','gold':'G'}"));
    }

    private static Arguments fast(String name, String content) {
        return Arguments.of(name, content, true);
    }

    private static Arguments slow(String name, String content) {
        return Arguments.of(name, content, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void theScannerReadsWhatJacksonReads(String name, String content, boolean scannerReadsIt)
            throws IOException {
        byte[] bytes = utf8(content);
        assertEquals(scannerReadsIt, scanned(bytes) >= 0, "whether the scanner reads it itself");
        // The same record after many others, so that it falls inside a piece and at a piece's start
        // or end.
        for (String before :
                new String[] {
                    "", "{\"id\":\"p\",\"gold\":\"G\",\"output\":\"label: G\"}\n".repeat(40)
                }) {
            Path file = write(utf8(before + content));
            for (int piece : new int[] {64, 1 << 20}) {
                List<String> jackson = outcome(file, piece, false);
                assertEquals(
                        jackson,
                        outcome(file, piece, true),
                        name + ", pieces of " + piece + " bytes");
            }
        }
    }

    @Test
    void invalidUtf8IsLeftToJackson() throws IOException {
        byte[][] invalid = {
            {(byte) 0xC0, (byte) 0x80}, // overlong
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
            {(byte) 0xE4, (byte) 0xB8}, // cut short
            {(byte) 0x80}, // a continuation byte alone
            {(byte) 0xFF},
        };
        for (byte[] bad : invalid) {
            for (String field : new String[] {"text", "output"}) {
                var bytes = new ByteArrayOutputStream();
                bytes.writeBytes(utf8("{\"id\":\"1\",\"gold\":\"G\",\"" + field + "\":\"a"));
                bytes.writeBytes(bad);
                bytes.writeBytes(utf8("b\"}\n"));
                byte[] line = bytes.toByteArray();
                assertTrue(scanned(line) < 0, "gives up on invalid UTF-8 in " + field);
                Path file = write(line);
                assertEquals(outcome(file, 1 << 20, false), outcome(file, 1 << 20, true));
            }
        }
    }

    /**
     * Valid lines with random bytes changed, inserted or removed (seeded): whatever the scanner
     * accepts, Jackson must accept with equal records; what it does not, Jackson decides. Either
     * way the outcome is the same.
     */
    @Test
    void randomlyDamagedLinesGiveTheSameOutcome() throws IOException {
        String[] seeds = {
            "{\"id\":\"7\",\"text\":\"naïve \\\\ \\\"q\\\""
                + " 東京\",\"gold\":\"Sports\",\"output\":\"reason: é\\n"
                + "标签: Sports"
                + " 😀\",\"prompt_tokens\":12,\"completion_tokens\":3,\"error\":null,\"label_probs\":{\"Sports\":0.5,\"World\":5e-1},\"x\":[true,false,null,-0.5]}\n",
            "{\"id\":\"8\",\"gold\":\"World\",\"output\":null,\"error\":\"timeout\",\"constraint\":\"json\",\"constraint_broken\":true,\"votes\":null}\n",
        };
        byte[] alphabet = utf8("\"\\{}[],: \n\r\tu0e-+.nlt9aé");
        var random = new SplittableRandom(13);
        int scannerRead = 0;
        for (int round = 0; round < 1500; round++) {
            var bytes = new ArrayList<Byte>();
            for (byte x : utf8(seeds[round % seeds.length] + seeds[(round + 1) % seeds.length])) {
                bytes.add(x);
            }
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                int at = random.nextInt(bytes.size());
                byte value =
                        random.nextInt(4) == 0
                                ? (byte) random.nextInt(256)
                                : alphabet[random.nextInt(alphabet.length)];
                switch (random.nextInt(3)) {
                    case 0 -> bytes.set(at, value);
                    case 1 -> bytes.add(at, value);
                    default -> bytes.remove(at);
                }
            }
            byte[] damaged = new byte[bytes.size()];
            for (int i = 0; i < damaged.length; i++) {
                damaged[i] = bytes.get(i);
            }
            scannerRead += scanned(damaged) >= 0 ? 1 : 0;
            Path file = write(damaged);
            assertEquals(
                    outcome(file, 1 << 20, false),
                    outcome(file, 1 << 20, true),
                    "round " + round + ": " + new String(damaged, StandardCharsets.UTF_8));
            Files.delete(file);
        }
        assertTrue(
                scannerRead > 100,
                "the scanner read " + scannerRead + " of the damaged files itself");
    }
}
