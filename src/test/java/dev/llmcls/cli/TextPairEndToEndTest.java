package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.HubParquet;
import dev.llmcls.testing.Jsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A template over two fields of the data (MNLI's premise and hypothesis), from the file to the
 * records.
 */
@Timeout(120)
class TextPairEndToEndTest {
    private static final String TEMPLATE =
            """
            Does the premise entail the hypothesis? Answer with one of:
            {labels}
            {examples}premise: {premise}
            hypothesis: {hypothesis}
            label:\
            """;
    private static final String LABELS = "entailment,neutral,contradiction";

    @TempDir Path dir;

    private FakeOpenAiServer server;

    @BeforeEach
    void startServer() throws IOException {
        server =
                FakeOpenAiServer.start(
                        request -> {
                            String prompt = request.prompt();
                            String hypothesis =
                                    prompt.substring(
                                            prompt.lastIndexOf("hypothesis: ") + 12,
                                            prompt.lastIndexOf("\nlabel:"));
                            return hypothesis.contains("not")
                                    ? "label: contradiction"
                                    : "label: entailment";
                        });
        server.recordRequests(true);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private Path template() throws IOException {
        return Files.writeString(dir.resolve("nli.txt"), TEMPLATE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jsonl", "csv", "parquet"})
    void bothFieldsReachThePromptFromEveryFormat(String format) throws IOException {
        Path data =
                switch (format) {
                    case "jsonl" ->
                            Files.writeString(
                                    dir.resolve("mnli.jsonl"),
                                    """
                                    {"premise": "A man plays a guitar.", "hypothesis": "A man makes music.", "label": 0}
                                    {"premise": "A cat sleeps.", "hypothesis": "The cat is not asleep.", "label": 2}
                                    """);
                    case "csv" ->
                            Files.writeString(
                                    dir.resolve("mnli.csv"),
                                    """
                                    premise,hypothesis,label
                                    A man plays a guitar.,A man makes music.,entailment
                                    A cat sleeps.,The cat is not asleep.,contradiction
                                    """);
                    default ->
                            new HubParquet()
                                    .string("premise")
                                    .string("hypothesis")
                                    .classLabel("label", "entailment", "neutral", "contradiction")
                                    .row("A man plays a guitar.", "A man makes music.", 0)
                                    .row("A cat sleeps.", "The cat is not asleep.", 2)
                                    .write(dir.resolve("mnli.parquet"));
                };
        Path output = dir.resolve("out.jsonl");
        var args =
                new java.util.ArrayList<>(
                        List.of(
                                "classify",
                                "--data",
                                data.toString(),
                                "--text-field",
                                "premise",
                                "--prompt",
                                template().toString(),
                                "--base-url",
                                server.baseUrl(),
                                "--output",
                                output.toString(),
                                "--concurrency",
                                "1"));
        if (!format.equals("parquet")) {
            args.addAll(
                    List.of(
                            "--labels",
                            LABELS)); // the Parquet file's ClassLabel metadata names them
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.toString());
        String first = server.received().get(0).prompt();
        assertTrue(
                first.contains(
                        "* entailment\n* neutral\n* contradiction\npremise: A man plays a guitar.\n"
                                + "hypothesis: A man makes music.\nlabel:"),
                first);
        List<JsonNode> records = Jsonl.read(output);
        assertEquals(
                List.of("entailment", "contradiction"),
                records.stream().map(r -> r.get("gold").asText()).toList());
        assertEquals(
                "A cat sleeps.",
                records.get(1).get("text").asText(),
                "the record's text is the text field");
        assertEquals("label: contradiction", records.get(1).get("output").asText());
    }

    @Test
    void demonstrationsShowTheSameFields() throws IOException {
        Path data =
                Files.writeString(
                        dir.resolve("test.jsonl"),
                        """
                        {"premise": "A cat sleeps.", "hypothesis": "The cat is not asleep.", "label": "contradiction"}
                        """);
        Path train =
                Files.writeString(
                        dir.resolve("train.jsonl"),
                        """
                        {"premise": "Two dogs run.", "hypothesis": "Animals move.", "label": "entailment"}
                        """);
        CliRun run =
                CliRun.of(
                        "classify",
                        "--data",
                        data.toString(),
                        "--train",
                        train.toString(),
                        "--shots",
                        "1",
                        "--text-field",
                        "premise",
                        "--labels",
                        LABELS,
                        "--prompt",
                        template().toString(),
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        dir.resolve("out.jsonl").toString(),
                        "--concurrency",
                        "1");
        assertEquals(0, run.exitCode(), run.toString());
        String prompt = server.received().get(0).prompt();
        assertTrue(
                prompt.contains(
                        "text: Two dogs run.\nhypothesis: Animals move.\nlabel: entailment\n\n"
                                + "premise: A cat sleeps.\n"),
                prompt);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jsonl", "csv", "parquet"})
    void aFieldTheDataLacksStopsTheRunBeforeAnyRequest(String format) throws IOException {
        Path data =
                switch (format) {
                    case "jsonl" ->
                            Files.writeString(
                                    dir.resolve("d.jsonl"),
                                    """
                                    {"premise": "A man plays a guitar.", "hypothesis": "A man makes music.", "label": 0}
                                    {"premise": "A cat sleeps.", "label": 2}
                                    """);
                    case "csv" ->
                            Files.writeString(
                                    dir.resolve("d.csv"), "premise,label\nA cat sleeps.,2\n");
                    default ->
                            new HubParquet()
                                    .string("premise")
                                    .classLabel("label")
                                    .row("A cat sleeps.", 2)
                                    .write(dir.resolve("d.parquet"));
                };
        CliRun run =
                CliRun.of(
                        "classify",
                        "--data",
                        data.toString(),
                        "--text-field",
                        "premise",
                        "--labels",
                        LABELS,
                        "--prompt",
                        template().toString(),
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        dir.resolve("out.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("hypothesis"), run.err());
        assertEquals(0, server.chatRequests(), "nothing is sent");
    }
}
