package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluate command's options and errors, on small hand-written run files. */
class EvaluateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Path run(String name, String... outputs) throws IOException {
        var lines = new StringBuilder();
        String[] gold = {"World", "Sports", "Business", "Science | Technology"};
        for (int i = 0; i < outputs.length; i++) {
            lines.append(
                            JSON.writeValueAsString(
                                    java.util.Map.of(
                                            "id",
                                            String.valueOf(i),
                                            "text",
                                            "t" + i,
                                            "gold",
                                            gold[i % 4],
                                            "output",
                                            outputs[i])))
                    .append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, lines);
        return file;
    }

    @Test
    void baselineOptionPicksTheRunTheOthersAreComparedWith() throws IOException {
        Path a = run("a.jsonl", "label: World", "label: World", "label: Business");
        Path b = run("b.jsonl", "label: World", "label: Sports", "label: World");
        CliRun result =
                CliRun.of(
                        "evaluate",
                        "--format",
                        "json",
                        "--baseline",
                        "2",
                        a.toString(),
                        b.toString());
        assertEquals(0, result.exitCode(), result.toString());
        JsonNode strict = JSON.readTree(result.out()).get("comparisons").get(1);
        assertEquals(b.toString(), strict.get("baseline").asText());
        assertEquals(a.toString(), strict.get("run").asText());
        assertEquals(1, strict.get("only_baseline_right").asInt(), "only b got id 1 right");
        assertEquals(1, strict.get("only_run_right").asInt(), "only a got id 2 right");
    }

    @Test
    void badOptionValuesExitTwo() throws IOException {
        Path a = run("a.jsonl", "label: World");
        assertEquals(
                2, CliRun.of("evaluate", "--baseline", "3", a.toString(), a.toString()).exitCode());
        assertEquals(2, CliRun.of("evaluate", "--resamples", "500", a.toString()).exitCode());
        assertEquals(2, CliRun.of("evaluate", "--format", "xml", a.toString()).exitCode());
        CliRun alias = CliRun.of("evaluate", "--alias", "Tech=Technology", a.toString());
        assertEquals(2, alias.exitCode());
        assertTrue(alias.err().contains("not in the label list"), alias.err());
        assertEquals(2, CliRun.of("evaluate", dir.resolve("missing.jsonl").toString()).exitCode());
    }

    @Test
    void examplesWithDifferentGoldLabelsAreNotPaired() throws IOException {
        Path a = run("a.jsonl", "label: World", "label: Sports");
        Path b = dir.resolve("b.jsonl");
        Files.writeString(
                b,
                "{\"id\":\"0\",\"gold\":\"World\",\"output\":\"label: World\"}\n"
                        + "{\"id\":\"1\",\"gold\":\"Business\",\"output\":\"label: Business\"}\n");
        CliRun result = CliRun.of("evaluate", "--format", "json", a.toString(), b.toString());
        assertEquals(1, JSON.readTree(result.out()).get("comparisons").get(0).get("pairs").asInt());
        assertTrue(
                result.err()
                        .contains(
                                "on the 1 examples both hold with the same gold label (of up to"
                                        + " 2)"),
                result.err());
    }
}
