package dev.llmcls.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.InputException;
import dev.llmcls.data.LabelSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {
    private static final LabelSet AG = LabelSet.parse(LabelSet.AG_NEWS);

    @TempDir Path dir;

    private Path file(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private static String record(String id, String gold, String output, String error) {
        return "{\"id\":\""
                + id
                + "\",\"text\":\"t"
                + id
                + "\",\"gold\":\""
                + gold
                + "\",\"output\":"
                + (output == null ? "null" : "\"" + output + "\"")
                + ",\"error\":"
                + (error == null ? "null" : "\"" + error + "\"")
                + "}";
    }

    @Test
    void theNewestRecordOfAnIdCounts() throws IOException {
        Path run =
                file(
                        "run.jsonl",
                        record("0", "World", null, "connection: reset"),
                        record("1", "Sports", "label: Sports", null),
                        record("0", "World", "label: World", null),
                        record("1", "Sports", null, "timeout"));
        RunEvaluation result = Evaluator.evaluate(run, AG);
        assertEquals(2, result.records());
        assertEquals(1, result.errors(), "id 1's newest record is an error");
        assertEquals(1, result.score("seed").right());
        assertEquals(1, result.score("strict").right());
        assertEquals(1, result.score("strict").confusion().count(1, 6), "Sports → error column");
    }

    @Test
    void structuredLabelFieldIsTheStrictPredictionWhileSeedReadsTheOutput() throws IOException {
        Path run =
                file(
                        "structured.jsonl",
                        "{\"id\":\"0\",\"gold\":\"Business\",\"output\":\"{\\\"label\\\":"
                                + " \\\"business\\\"}\",\"label\":\"Business\",\"error\":null}",
                        "{\"id\":\"1\",\"gold\":\"World\",\"output\":\"{\\\"label\\\":"
                                + " \\\"Sports\\\"}\",\"label\":\"Sports\",\"error\":null}");
        RunEvaluation result = Evaluator.evaluate(run, AG);
        assertEquals(1, result.score("strict").right());
        assertEquals(1, result.score("strict").confusion().count(0, 1), "World read as Sports");
        assertEquals(
                0, result.score("seed").right(), "the seed rule is case-sensitive on the output");
        assertEquals(1, result.score("seed").noLabel());
    }

    @Test
    void votesGiveTheMajorityAndAreSummarised() throws IOException {
        Path run =
                file(
                        "votes.jsonl",
                        "{\"id\":\"0\",\"gold\":\"World\",\"output\":\"label:"
                            + " World\",\"label\":\"World\",\"votes\":{\"World\":3,\"Sports\":2},\"error\":null}",
                        "{\"id\":\"1\",\"gold\":\"Sports\",\"output\":null,\"votes\":{\"Sports\":4,\"World\":1},\"error\":null}",
                        "{\"id\":\"2\",\"gold\":\"Business\",\"output\":null,\"votes\":{\"Business\":2,\"World\":2},\"error\":null}");
        RunEvaluation result = Evaluator.evaluate(run, AG);
        assertEquals(2, result.score("strict").right());
        assertEquals(1, result.score("strict").multiLabel(), "a tie is several labels");
        assertEquals(0, result.errors());
        assertNotNull(result.voting());
        assertEquals(3, result.voting().records());
        assertEquals((0.6 + 0.8 + 0.5) / 3, result.voting().meanTopShare(), 1e-6);
        assertEquals(1, result.voting().ties());
    }

    @Test
    void aHalfWrittenLastLineIsSkippedButABadLineInsideIsAnError() throws IOException {
        Path killed = dir.resolve("killed.jsonl");
        Files.writeString(
                killed,
                record("0", "World", "label: World", null) + "\n{\"id\":\"1\",\"gold\":\"Spo");
        RunEvaluation result = Evaluator.evaluate(killed, AG);
        assertEquals(1, result.records());
        assertEquals(1, result.truncatedLines());

        Path broken =
                file(
                        "broken.jsonl",
                        record("0", "World", "label: World", null),
                        "{not json",
                        record("1", "World", "label: World", null));
        var error = assertThrows(InputException.class, () -> Evaluator.evaluate(broken, AG));
        assertTrue(
                error.getMessage().startsWith(broken + ":2: not a JSON record"),
                error.getMessage());

        Path twoOnALine =
                file(
                        "two.jsonl",
                        record("0", "World", "x", null) + record("1", "World", "x", null));
        var twice = assertThrows(InputException.class, () -> Evaluator.evaluate(twoOnALine, AG));
        assertTrue(twice.getMessage().startsWith(twoOnALine + ":1:"), twice.getMessage());
    }

    @Test
    void aGoldLabelOutsideTheLabelListNamesFileAndLine() throws IOException {
        Path run =
                file(
                        "other.jsonl",
                        record("0", "World", "x", null),
                        record("1", "Weather", "x", null));
        var error = assertThrows(InputException.class, () -> Evaluator.evaluate(run, AG));
        assertTrue(
                error.getMessage().startsWith(run + ":2: gold label 'Weather'"),
                error.getMessage());
    }

    @Test
    void pairingUsesOnlyIdsBothRunsHold() throws IOException {
        Path a =
                file(
                        "a.jsonl",
                        record("0", "World", "label: World", null),
                        record("1", "Sports", "label: World", null),
                        record("2", "Business", "label: Business", null));
        Path b =
                file(
                        "b.jsonl",
                        record("1", "Sports", "label: Sports", null),
                        record("2", "Business", "label: World", null),
                        record("3", "World", "label: World", null));
        Evaluation evaluation =
                Evaluator.evaluate(
                        List.of(new Evaluator.Input(a, AG), new Evaluator.Input(b, AG)),
                        new Evaluator.Options(0, 2000, 1, 10));
        Comparison strict =
                evaluation.comparisons().stream()
                        .filter(c -> c.scorer().equals("strict"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(2, strict.pairs());
        assertEquals(1, strict.onlyBaselineRight());
        assertEquals(1, strict.onlyRunRight());
        assertEquals(1.0, strict.mcnemarP());
        assertEquals(
                List.of("0", "1", "2", "3"),
                evaluation.examples().stream().map(ExampleRow::id).toList(),
                "a run without a record for an example disagrees with one that has it");
        ExampleRow second = evaluation.examples().get(1);
        assertEquals("t1", second.text());
        assertEquals("World", second.answers().get(0).prediction());
        assertEquals("Sports", second.answers().get(1).prediction());
        assertTrue(second.answers().get(1).right());
    }
}
