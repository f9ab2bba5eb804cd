package dev.llmcls.cli;

import static dev.llmcls.testing.TinyFixture.GOLD;
import static dev.llmcls.testing.TinyFixture.LABELS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.Jsonl;
import dev.llmcls.testing.TinyFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prompting methods beyond the seed (CARP, demonstrations, voting, constrained answers) run
 * through the real CLI against the stand-in server, which checks and applies the constraint
 * parameters it receives as vLLM does.
 */
@Timeout(120)
class PromptMethodsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path POOL = Path.of("src/test/resources/fixtures/pool.csv");

    @TempDir Path dir;

    private FakeOpenAiServer server;

    @BeforeEach
    void startServer() throws IOException {
        server =
                FakeOpenAiServer.start(
                        request ->
                                "clues: words.\nreasoning: it is news.\nlabel: "
                                        + GOLD.getOrDefault(textOf(request.prompt()), "no idea"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /**
     * The text being classified: the last {@code text: } line of the prompt (demonstrations come
     * before it).
     */
    private static String textOf(String prompt) {
        int start = prompt.lastIndexOf("text: ") + 6;
        return prompt.substring(start, prompt.indexOf('\n', start));
    }

    @Test
    void carpRendersClueReasoningLabelStructureAndKeepsSeedRecords() throws IOException {
        Path output = dir.resolve("carp.jsonl");
        CliRun run = classify("--mode", "carp", "--output", output.toString());
        assertEquals(0, run.exitCode(), run.toString());

        String prompt = server.received().get(0).prompt();
        assertTrue(prompt.contains("First, list CLUES"), prompt);
        assertTrue(
                prompt.contains("* World\n* Sports\n* Business\n* Science | Technology\n"), prompt);
        assertTrue(prompt.endsWith("\nclues:\nreasoning:\nlabel:\n"), prompt);
        assertFalse(
                prompt.contains("{examples}"), "no demonstrations: the placeholder renders empty");
        for (JsonNode record : Jsonl.read(output)) {
            assertFalse(
                    record.has("label"), "a plain prompt writes the seed fields only: " + record);
            assertFalse(record.has("constraint"));
        }
        assertEquals(9, evaluatedRight(output));
    }

    @Test
    void randomDemonstrationsAreRenderedBeforeTheTextAndRepeatOnResume() throws IOException {
        Path output = dir.resolve("fewshot.jsonl");
        CliRun run =
                classify(
                        "--mode",
                        "carp",
                        "--shots",
                        "3",
                        "--demos",
                        "random",
                        "--train",
                        POOL.toString(),
                        "--output",
                        output.toString(),
                        "--seed",
                        "7");
        assertEquals(0, run.exitCode(), run.toString());
        List<String> poolLines = Files.readAllLines(POOL).subList(1, 9);

        Map<String, String> firstPrompts = new HashMap<>();
        for (FakeOpenAiServer.ChatRequest request : server.received()) {
            String prompt = request.prompt();
            String demos =
                    prompt.substring(
                            prompt.indexOf("give the final category in label.\n") + 34,
                            prompt.lastIndexOf("text: "));
            String[] blocks = demos.split("\n\n");
            assertEquals(3, blocks.length, demos);
            for (String block : blocks) {
                String[] lines = block.split("\n");
                String text = lines[0].substring("text: ".length());
                String label = lines[1].substring("label: ".length());
                assertTrue(
                        poolLines.contains(text + "," + label),
                        "a pool row with its gold label: " + block);
            }
            firstPrompts.put(textOf(prompt), prompt);
        }
        assertEquals(9, firstPrompts.size());

        // The same seed draws the same demonstrations: a second run sends the very same prompts.
        server.close();
        server = FakeOpenAiServer.start(request -> "label: World");
        CliRun again =
                classify(
                        "--mode",
                        "carp",
                        "--shots",
                        "3",
                        "--demos",
                        "random",
                        "--train",
                        POOL.toString(),
                        "--output",
                        dir.resolve("again.jsonl").toString(),
                        "--seed",
                        "7");
        assertEquals(0, again.exitCode(), again.toString());
        for (FakeOpenAiServer.ChatRequest request : server.received()) {
            assertEquals(firstPrompts.get(textOf(request.prompt())), request.prompt());
        }
    }

    @Tag("slow") // loads the bundled embedding model
    @Test
    void knnDemonstrationsAreTheMostSimilarPoolTextsByTheRealModel() throws IOException {
        Path output = dir.resolve("knn-demos.jsonl");
        CliRun run =
                classify(
                        "--mode",
                        "carp",
                        "--shots",
                        "2",
                        "--demos",
                        "knn",
                        "--train",
                        POOL.toString(),
                        "--embedding-cache",
                        "none",
                        "--output",
                        output.toString());
        assertEquals(0, run.exitCode(), run.toString());

        int nearestHasTheGoldLabel = 0;
        for (FakeOpenAiServer.ChatRequest request : server.received()) {
            String prompt = request.prompt();
            String demos =
                    prompt.substring(
                            prompt.indexOf("give the final category in label.\n") + 34,
                            prompt.lastIndexOf("text: "));
            String[] blocks = demos.split("\n\n");
            assertEquals(2, blocks.length, demos);
            assertFalse(blocks[0].equals(blocks[1]), "two different pool rows");
            // The most similar demonstration comes last, right before the text; on these clear-cut
            // headlines it
            // is nearly always one of the same class.
            String nearestLabel = blocks[1].substring(blocks[1].indexOf("\nlabel: ") + 8);
            nearestHasTheGoldLabel += nearestLabel.equals(GOLD.get(textOf(prompt))) ? 1 : 0;
        }
        assertTrue(
                nearestHasTheGoldLabel >= 7,
                nearestHasTheGoldLabel + " of 9 nearest demonstrations share the gold label");
        JsonNode manifest = JSON.readTree(dir.resolve("knn-demos.jsonl.manifest.json").toFile());
        assertEquals("knn", manifest.path("sampling").path("demos").asText());
        assertEquals(
                "bge-small-en-v1.5-q", manifest.path("sampling").path("embedding_model").asText());
    }

    @Test
    void votesAskForNAnswersInOneRequestAndRecordTheMajority() throws IOException {
        // Per text, the three sampled answers are: the gold label, a wrong label, the gold label
        // again.
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        server.responder(
                request -> {
                    String text = textOf(request.prompt());
                    int call =
                            calls.computeIfAbsent(text, t -> new AtomicInteger()).getAndIncrement();
                    String gold = GOLD.get(text);
                    String wrong = gold.equals("Sports") ? "Business" : "Sports";
                    return "reason: sampled.\nlabel: " + (call % 3 == 1 ? wrong : gold);
                });
        Path output = dir.resolve("votes.jsonl");
        CliRun run =
                classify(
                        "--mode",
                        "reason",
                        "--votes",
                        "3",
                        "--temperature",
                        "0.7",
                        "--output",
                        output.toString());
        assertEquals(0, run.exitCode(), run.toString());

        assertEquals(9, server.chatRequests(), "one request per example, with n");
        for (FakeOpenAiServer.ChatRequest request : server.received()) {
            assertEquals(3, request.body().path("n").asInt());
            assertEquals(0.7, request.body().path("temperature").asDouble(), 1e-9);
        }
        for (JsonNode record : Jsonl.read(output)) {
            String gold = record.get("gold").asText();
            String wrong = gold.equals("Sports") ? "Business" : "Sports";
            assertEquals(gold, record.get("label").asText(), record.toString());
            assertEquals(3, record.get("outputs").size());
            assertEquals(2, record.get("votes").get(gold).asInt());
            assertEquals(1, record.get("votes").get(wrong).asInt());
            assertTrue(
                    record.get("output").asText().endsWith("label: " + gold),
                    "output shows a majority answer");
        }
        assertEquals(9, evaluatedRight(output), "evaluate scores the majority");
    }

    @Test
    void votesNeedATemperatureAboveZero() {
        CliRun run =
                classify(
                        "--mode",
                        "reason",
                        "--votes",
                        "3",
                        "--output",
                        dir.resolve("v.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--temperature"), run.err());
        assertEquals(0, server.chatRequests());
    }

    @Test
    void choiceConstraintSendsStructuredOutputsAndRemovesMultiLabelAnswers() throws IOException {
        // Unconstrained, this "model" names two labels for every text: the seed rule counts them
        // multi-label.
        server.responder(
                request -> "label: " + GOLD.get(textOf(request.prompt())) + " or maybe World");
        Path output = dir.resolve("choice.jsonl");
        CliRun run =
                classify("--mode", "basic", "--constrain", "choice", "--output", output.toString());
        assertEquals(0, run.exitCode(), run.toString());

        for (FakeOpenAiServer.ChatRequest request : server.received()) {
            JsonNode body = request.body();
            assertEquals(
                    LABELS, texts(body.path("structured_outputs").path("choice")), body.toString());
            assertFalse(
                    body.has("guided_choice"),
                    "vLLM 0.12 silently ignores guided_choice; it must not be relied on");
            assertFalse(body.has("response_format"));
        }
        for (JsonNode record : Jsonl.read(output)) {
            assertTrue(LABELS.contains(record.get("output").asText()), record.toString());
            assertEquals(record.get("output").asText(), record.get("label").asText());
            assertEquals("choice", record.get("constraint").asText());
        }
        JsonNode evaluation = evaluate(output);
        assertEquals(0, evaluation.path("seed").path("multi_label").asInt());
    }

    @Test
    void jsonConstraintSendsAJsonSchemaAndTheRecordKeepsTheParsedLabel() throws IOException {
        Path output = dir.resolve("json.jsonl");
        CliRun run =
                classify("--mode", "reason", "--constrain", "json", "--output", output.toString());
        assertEquals(0, run.exitCode(), run.toString());

        JsonNode format = server.received().get(0).body().path("response_format");
        assertEquals("json_schema", format.path("type").asText(), format.toString());
        JsonNode schema = format.path("json_schema").path("schema");
        assertEquals("string", schema.path("properties").path("reason").path("type").asText());
        assertEquals(LABELS, texts(schema.path("properties").path("label").path("enum")));
        assertEquals(List.of("reason", "label"), texts(schema.path("required")));
        assertFalse(server.received().get(0).body().has("structured_outputs"));
        for (JsonNode record : Jsonl.read(output)) {
            JsonNode answer = JSON.readTree(record.get("output").asText());
            assertEquals(record.get("gold").asText(), answer.get("label").asText());
            assertEquals(record.get("gold").asText(), record.get("label").asText());
            assertEquals("json", record.get("constraint").asText());
        }
        assertEquals(9, evaluatedRight(output));
    }

    @Test
    void aMalformedPoolStopsTheRunBeforeAnyRequestNamingFileAndLine() throws IOException {
        Path pool = dir.resolve("bad-pool.csv");
        Files.writeString(pool, "text,label\nGood row,World\nBad row,Cooking\n");
        Path output = dir.resolve("bad.jsonl");
        CliRun run =
                classify(
                        "--mode",
                        "carp",
                        "--shots",
                        "1",
                        "--train",
                        pool.toString(),
                        "--output",
                        output.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("bad-pool.csv:3:"), run.err());
        assertEquals(0, server.chatRequests());
        assertFalse(Files.exists(output));
    }

    @Test
    void shotsNeedATemplateWithAnExamplesPlaceholder() {
        CliRun run =
                classify(
                        "--mode",
                        "basic",
                        "--shots",
                        "2",
                        "--train",
                        POOL.toString(),
                        "--output",
                        dir.resolve("b.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("{examples}"), run.err());
        assertEquals(0, server.chatRequests());
    }

    @Test
    void theManifestRecordsTheMethodSoResumeRefusesAnotherOne() throws IOException {
        Path output = dir.resolve("m.jsonl");
        assertEquals(
                0,
                classify("--mode", "basic", "--constrain", "choice", "--output", output.toString())
                        .exitCode());
        JsonNode manifest = JSON.readTree(dir.resolve("m.jsonl.manifest.json").toFile());
        assertEquals(
                "choice",
                manifest.path("sampling").path("constraint").asText(),
                manifest.toString());

        CliRun other = classify("--mode", "basic", "--output", output.toString());
        assertEquals(2, other.exitCode(), other.toString());
        assertTrue(other.err().contains("answer constraint (--constrain) differs"), other.err());
    }

    /** Defect: a changed training pool was refused as "sampling parameters differ". */
    @Test
    void aChangedTrainingPoolIsNamedInTheRefusal() throws IOException {
        Path pool = dir.resolve("pool.csv");
        Files.copy(POOL, pool);
        Path output = dir.resolve("pool-run.jsonl");
        assertEquals(
                0,
                classify(
                                "--mode",
                                "carp",
                                "--shots",
                                "1",
                                "--train",
                                pool.toString(),
                                "--output",
                                output.toString())
                        .exitCode());
        Files.writeString(
                pool, "Another pool row,World\n", java.nio.file.StandardOpenOption.APPEND);
        int sent = server.chatRequests();
        CliRun again =
                classify(
                        "--mode",
                        "carp",
                        "--shots",
                        "1",
                        "--train",
                        pool.toString(),
                        "--output",
                        output.toString());
        assertEquals(2, again.exitCode(), again.toString());
        assertTrue(
                again.err().contains("training pool (--train) differs (was {train_sha256="),
                again.err());
        assertFalse(again.err().contains("sampling parameters"), again.err());
        assertEquals(sent, server.chatRequests(), "nothing sent");
    }

    private CliRun classify(String... extra) {
        var args =
                new ArrayList<>(
                        List.of(
                                "classify",
                                "--data",
                                TinyFixture.CSV.toString(),
                                "--base-url",
                                server.baseUrl(),
                                "--concurrency",
                                "4",
                                "--quiet"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private JsonNode evaluate(Path output) throws IOException {
        CliRun run = CliRun.of("evaluate", "--format", "json", output.toString());
        assertEquals(0, run.exitCode(), run.toString());
        return JSON.readTree(run.out()).path("runs").get(0);
    }

    private int evaluatedRight(Path output) throws IOException {
        return evaluate(output).path("seed").path("right").asInt();
    }

    private static List<String> texts(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }
}
