package dev.llmcls.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evaluate reports tokens per example, so the cost of a constraint, a reason or votes shows next to
 * accuracy.
 */
class TokenUsageTest {
    @TempDir Path dir;

    @Test
    void meanTokensCountEachExampleOnceFromItsNewestRecord() throws IOException {
        Path run =
                Files.writeString(
                        dir.resolve("run.jsonl"),
                        String.join(
                                        "\n",
                                        "{\"id\":\"0\",\"gold\":\"World\",\"output\":\"label:"
                                            + " World\",\"prompt_tokens\":100,\"completion_tokens\":10,\"error\":null}",
                                        "{\"id\":\"1\",\"gold\":\"Sports\",\"output\":null,\"prompt_tokens\":null,\"completion_tokens\":null,\"error\":\"timeout:"
                                            + " x\"}",
                                        "{\"id\":\"1\",\"gold\":\"Sports\",\"output\":\"label:"
                                            + " Sports\",\"prompt_tokens\":120,\"completion_tokens\":30,\"error\":null}",
                                        "{\"id\":\"2\",\"gold\":\"Business\",\"output\":null,\"error\":\"rejected:"
                                            + " HTTP 400\"}")
                                + "\n");
        CliRun json = CliRun.of("evaluate", "--format", "json", run.toString());
        assertEquals(0, json.exitCode(), json.toString());
        JsonNode tokens = new ObjectMapper().readTree(json.out()).get("runs").get(0).get("tokens");
        assertEquals(2, tokens.get("examples").asInt(), "the failed example reports no usage");
        assertEquals(110.0, tokens.get("prompt_per_example").asDouble(), 1e-9);
        assertEquals(20.0, tokens.get("completion_per_example").asDouble(), 1e-9);

        CliRun table = CliRun.of("evaluate", run.toString());
        assertTrue(table.out().contains("Tokens per example"), table.out());
        assertTrue(
                table.out()
                        .lines()
                        .anyMatch(
                                l ->
                                        l.contains("run.jsonl")
                                                && l.contains("110.0")
                                                && l.contains("20.0")),
                table.out());
    }

    @Test
    void runsWithoutUsageShowNoTokenTable() throws IOException {
        Path run =
                Files.writeString(
                        dir.resolve("knn.jsonl"),
                        "{\"id\":\"0\",\"gold\":\"World\",\"output\":\"World\",\"label\":\"World\",\"error\":null}\n");
        CliRun table = CliRun.of("evaluate", run.toString());
        assertEquals(0, table.exitCode(), table.toString());
        assertFalse(table.out().contains("Tokens per example"), table.out());
    }
}
