package dev.llmcls.cli;

import static dev.llmcls.testing.TinyFixture.GOLD;
import static dev.llmcls.testing.TinyFixture.LABELS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.Jsonl;
import dev.llmcls.testing.TinyFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code classify --confidence} against the stand-in, which reports each answer token's
 * log-probability and alternatives ({@code logprobs}, {@code top_logprobs}) from a model this test
 * defines: where the label starts, the gold label's first token has log-probability -0.2, every
 * other label's -2.0, and "The" -1.0 (begins no label).
 */
class ConfidenceEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIRST_WORDS =
            List.of("World", "Sports", "Business", "Science");

    @TempDir Path dir;

    private FakeOpenAiServer server;

    @BeforeEach
    void startServer() throws IOException {
        server =
                FakeOpenAiServer.start(
                        request -> "It is news.\nlabel: " + goldIn(request.prompt()));
        server.logprobModel(
                new FakeOpenAiServer.LogprobModel() {
                    @Override
                    public double logprob(String context, String token) {
                        return alternatives(context).getOrDefault(token, -0.1);
                    }

                    @Override
                    public Map<String, Double> alternatives(String context) {
                        String space;
                        if (context.endsWith("\nlabel:")) {
                            space = " "; // a free answer: the label follows "label:" and a space
                        } else if (context.endsWith("<|assistant|>\n")) {
                            space = ""; // a choice answer starts with the label
                        } else {
                            return Map.of();
                        }
                        String gold = goldIn(context);
                        var alternatives = new LinkedHashMap<String, Double>();
                        for (int i = 0; i < LABELS.size(); i++) {
                            alternatives.put(
                                    space + FIRST_WORDS.get(i),
                                    LABELS.get(i).equals(gold) ? -0.2 : -2.0);
                        }
                        alternatives.put(space + "The", -1.0);
                        return alternatives;
                    }
                });
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static String goldIn(String text) {
        return GOLD.entrySet().stream()
                .filter(e -> text.contains("text: " + e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("World");
    }

    /**
     * The renormalised probability of the gold label: its first token against the other labels'
     * (not "The").
     */
    private static final double GOLD_P = Math.exp(-0.2) / (Math.exp(-0.2) + 3 * Math.exp(-2.0));

    @Test
    void freeAnswersGetTheProbabilityOfTheLabelAfterTheMarker() throws IOException {
        Path output = dir.resolve("free.jsonl");
        CliRun run = classify("--confidence", "--output", output.toString());
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode body = server.received().get(0).body();
        assertTrue(body.path("logprobs").asBoolean(), body.toString());
        assertEquals(20, body.path("top_logprobs").asInt(), "vLLM's default --max-logprobs");
        for (JsonNode record : Jsonl.read(output)) {
            String gold = record.path("gold").asText();
            assertEquals(gold, record.path("label").asText());
            assertEquals(GOLD_P, record.path("confidence").asDouble(), 1e-12, record.toString());
            for (String label : LABELS) {
                double want =
                        label.equals(gold)
                                ? GOLD_P
                                : Math.exp(-2.0) / (Math.exp(-0.2) + 3 * Math.exp(-2.0));
                assertEquals(want, record.path("label_probs").path(label).asDouble(), 1e-12);
            }
        }
        JsonNode calibration = evaluate(output).get("confidence");
        assertEquals(1.0, calibration.path("accuracy").asDouble());
        assertEquals(1 - GOLD_P, calibration.path("ece").asDouble(), 1e-12);
        assertEquals(
                9 * Math.pow(1 - GOLD_P, 2) / 9
                        + 3 * Math.pow(Math.exp(-2.0) / (Math.exp(-0.2) + 3 * Math.exp(-2.0)), 2),
                calibration.path("brier").asDouble(),
                1e-12);
        assertEquals(-Math.log(GOLD_P), calibration.path("nll").asDouble(), 1e-12);
    }

    @Test
    void choiceAnswersGetTheFirstTokenDistributionOverTheLabels() throws IOException {
        Path output = dir.resolve("choice.jsonl");
        CliRun run =
                classify(
                        "--confidence",
                        "--constrain",
                        "choice",
                        "--top-logprobs",
                        "5",
                        "--output",
                        output.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(5, server.received().get(0).body().path("top_logprobs").asInt());
        for (JsonNode record : Jsonl.read(output)) {
            assertEquals(record.path("gold").asText(), record.path("output").asText());
            assertEquals(GOLD_P, record.path("confidence").asDouble(), 1e-12, record.toString());
        }
    }

    /**
     * Issue 22 item 5: with two alternatives listed (vLLM's shape: the generated token first, then
     * the most likely other, "The"), the other labels are not listed. They count at the smallest
     * listed probability, "The"'s, instead of 0 (which made every confidence exactly 1.0); the
     * records say how many were unlisted, the run warns once, and evaluate counts the bounded
     * examples.
     */
    @Test
    void labelsOutsideTheTopAlternativesCountAtTheSmallestListedProbabilityAndTheRunWarns()
            throws IOException {
        Path output = dir.resolve("short.jsonl");
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
                                "--max-attempts",
                                "1",
                                "--progress-interval",
                                "1h",
                                "--confidence",
                                "--constrain",
                                "choice",
                                "--top-logprobs",
                                "2",
                                "--output",
                                output.toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.toString());
        double bounded = Math.exp(-0.2) / (Math.exp(-0.2) + 3 * Math.exp(-1.0));
        List<JsonNode> records = Jsonl.read(output);
        for (JsonNode record : records) {
            assertEquals(bounded, record.path("confidence").asDouble(), 1e-12, record.toString());
            assertEquals(3, record.path("labels_unlisted").asInt(), record.toString());
        }
        String warning =
                "warning: "
                        + records.size()
                        + " of "
                        + records.size()
                        + " answers had labels the server did "
                        + "not list among its top alternatives";
        assertTrue(run.err().contains(warning), run.err());
        assertEquals(
                run.err().indexOf("labels_unlisted"),
                run.err().lastIndexOf("labels_unlisted"),
                "once: " + run.err());
        assertEquals(
                records.size(),
                evaluate(output).get("confidence").path("bounded_examples").asLong());
        CliRun table = CliRun.of("evaluate", output.toString());
        assertTrue(
                table.out()
                        .contains(
                                records.size()
                                        + " of "
                                        + records.size()
                                        + " confidences count labels the "
                                        + "server did not list"),
                table.out());

        Path listed = dir.resolve("listed.jsonl");
        CliRun full =
                classify(
                        "--confidence",
                        "--constrain",
                        "choice",
                        "--top-logprobs",
                        "5",
                        "--output",
                        listed.toString());
        assertEquals(0, full.exitCode(), full.toString());
        Jsonl.read(listed)
                .forEach(r -> assertEquals(0, r.path("labels_unlisted").asInt(-1), r.toString()));
        assertEquals(0, evaluate(listed).get("confidence").path("bounded_examples").asLong(-1));
    }

    @Test
    void votingRunsRecordTheVoteShareAsASecondConfidence() throws IOException {
        Path output = dir.resolve("votes.jsonl");
        CliRun run =
                classify(
                        "--confidence",
                        "--votes",
                        "3",
                        "--temperature",
                        "0.7",
                        "--output",
                        output.toString());
        assertEquals(0, run.exitCode(), run.toString());
        for (JsonNode record : Jsonl.read(output)) {
            assertEquals(1.0, record.path("vote_share").asDouble(), record.toString());
            assertEquals(GOLD_P, record.path("confidence").asDouble(), 1e-12);
        }
        Map<String, JsonNode> calibration = evaluate(output);
        assertEquals(1.0, calibration.get("vote_share").path("accuracy").asDouble());
        assertEquals(
                0.0,
                calibration.get("vote_share").path("ece").asDouble(),
                1e-12,
                "share 1, all right");
    }

    @Test
    void tooManyAlternativesAreVllmsFourHundredPerExample() throws IOException {
        Path output = dir.resolve("over.jsonl");
        CliRun run =
                classify("--confidence", "--top-logprobs", "21", "--output", output.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(
                Jsonl.read(output)
                        .get(0)
                        .path("error")
                        .asText()
                        .contains("which is greater than max allowed: 20"),
                Jsonl.read(output).get(0).toString());
    }

    private Map<String, JsonNode> evaluate(Path output) throws IOException {
        CliRun run = CliRun.of("evaluate", "--format", "json", output.toString());
        assertEquals(0, run.exitCode(), run.toString());
        Map<String, JsonNode> byVariant = new HashMap<>();
        JSON.readTree(run.out())
                .path("calibration")
                .forEach(r -> byVariant.put(r.path("variant").asText(), r));
        return byVariant;
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
                                "--quiet",
                                "--max-attempts",
                                "1"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }
}
