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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code classify --scoring likelihood} against the stand-in, whose log-probabilities come from a
 * model this test defines: the label token after the prefilled {@code label:} gets a per-label base
 * log-probability, plus a boost when the example's text has that gold label; every other token gets
 * -0.1. So every expected probability is worked out here, from the model, without the code under
 * test.
 */
class LikelihoodEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each label's first token as the stand-in's tokenizer cuts {@code "label: " + name}. */
    private static final List<String> FIRST_TOKENS =
            List.of(" World", " Sports", " Business", " Science");

    /** Tokens of each label after its first: " |" and " Technology" for the last one. */
    private static final int[] EXTRA_TOKENS = {0, 0, 0, 2};

    private static final double OTHER = -0.1;
    private static final double BOOST = 1.5;

    @TempDir Path dir;

    private FakeOpenAiServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = FakeOpenAiServer.start(request -> "x");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** The stand-in's model with per-label base log-probabilities at the label position. */
    private static FakeOpenAiServer.LogprobModel model(double[] base) {
        return (context, token) -> {
            int label = FIRST_TOKENS.indexOf(token);
            if (label >= 0 && context.endsWith("<|assistant|>\nlabel:")) {
                return base[label] + (LABELS.get(label).equals(goldIn(context)) ? BOOST : 0);
            }
            return OTHER;
        };
    }

    private static String goldIn(String context) {
        return GOLD.entrySet().stream()
                .filter(e -> context.contains("text: " + e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    /**
     * The distribution this test expects for a text of gold label {@code gold} (null:
     * content-free).
     */
    private static double[] expected(double[] base, String gold) {
        double[] scores = new double[LABELS.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < scores.length; i++) {
            scores[i] =
                    base[i] + (LABELS.get(i).equals(gold) ? BOOST : 0) + EXTRA_TOKENS[i] * OTHER;
            max = Math.max(max, scores[i]);
        }
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = Math.exp(scores[i] - max);
            total += scores[i];
        }
        for (int i = 0; i < scores.length; i++) {
            scores[i] /= total;
        }
        return scores;
    }

    @Test
    void likelihoodPicksTheRightLabelRecordsItsDistributionAndCountsEveryRequest()
            throws Exception {
        double[] base = {-2.0, -2.0, -2.0, -2.0};
        server.logprobModel(model(base));
        server.engine(
                request ->
                        Thread.sleep(30)); // so that the label requests of an example are in flight
        // together
        Path output = dir.resolve("lik.jsonl");
        CliRun run = classify("--scoring", "likelihood", "--output", output.toString());
        assertEquals(0, run.exitCode(), run.toString());

        List<JsonNode> records = Jsonl.read(output);
        assertEquals(9, records.size());
        Map<String, Integer> promptTokensByText = promptTokensByText();
        for (JsonNode record : records) {
            String gold = record.path("gold").asText();
            assertEquals(gold, record.path("label").asText(), record.toString());
            assertEquals("label: " + gold, record.path("output").asText());
            assertEquals("likelihood", record.path("scoring").asText());
            double[] want = expected(base, gold);
            for (int i = 0; i < LABELS.size(); i++) {
                assertEquals(
                        want[i],
                        record.path("label_probs").path(LABELS.get(i)).asDouble(),
                        1e-12,
                        record.toString());
                double logLikelihood =
                        base[i]
                                + (LABELS.get(i).equals(gold) ? BOOST : 0)
                                + EXTRA_TOKENS[i] * OTHER;
                assertEquals(
                        logLikelihood,
                        record.path("label_logprobs").path(LABELS.get(i)).asDouble(),
                        1e-12);
                assertEquals(
                        1 + EXTRA_TOKENS[i],
                        record.path("label_tokens").path(LABELS.get(i)).asInt());
            }
            assertEquals(4, record.path("requests").asInt());
            assertEquals(4, record.path("attempts").asInt());
            assertEquals(
                    promptTokensByText.get(record.path("text").asText()),
                    record.path("prompt_tokens").asInt(),
                    "the tokens of all four label requests");
            assertEquals(4, record.path("completion_tokens").asInt());
        }

        // What went over the wire, field by field as vLLM's ChatCompletionRequest names them.
        FakeOpenAiServer.ChatRequest first = server.received().get(1);
        JsonNode body = first.body();
        assertEquals("user", body.path("messages").get(0).path("role").asText());
        assertEquals("assistant", body.path("messages").get(1).path("role").asText());
        assertTrue(
                body.path("messages").get(1).path("content").asText().startsWith("label: "),
                body.toString());
        assertTrue(body.path("continue_final_message").asBoolean(), body.toString());
        assertFalse(body.path("add_generation_prompt").asBoolean(true), body.toString());
        assertEquals(1, body.path("prompt_logprobs").asInt());
        assertEquals(1, body.path("max_tokens").asInt());
        assertFalse(body.has("logprobs"), "no answer log-probabilities are needed");

        assertEquals(
                1 + 9 * 4,
                server.chatRequests(),
                "one probe, then one request per label and example");
        assertEquals(
                4,
                server.maxInFlight(),
                "an example's four label requests go together, never more than --concurrency 4");
        JsonNode manifest = JSON.readTree(Files.readString(Path.of(output + ".manifest.json")));
        assertEquals(
                37, manifest.path("counts").path("requests").asLong(), "the probe is counted too");
        assertEquals("likelihood", manifest.path("sampling").path("scoring").asText());
        assertEquals("sum", manifest.path("sampling").path("likelihood_normalisation").asText());

        CliRun again = classify("--scoring", "likelihood", "--output", output.toString());
        assertEquals(
                0,
                again.exitCode(),
                "the manifest's scoring settings read back equal, so it resumes: " + again);
        assertEquals(
                1 + 9 * 4 + 1,
                server.chatRequests(),
                "a resumed finished run sends only its probe");
        CliRun refused =
                classify(
                        "--scoring",
                        "likelihood",
                        "--likelihood-norm",
                        "mean",
                        "--output",
                        output.toString());
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(
                refused.err()
                        .contains(
                                "scoring (--scoring, --likelihood-norm, --answer-prefix) differs"),
                refused.err());

        CliRun evaluate = CliRun.of("evaluate", "--format", "json", output.toString());
        assertEquals(0, evaluate.exitCode(), evaluate.toString());
        JsonNode report = JSON.readTree(evaluate.out());
        assertEquals(
                9,
                report.path("runs").get(0).path("seed").path("right").asInt(),
                "the seed rule reads 'label: X'");
        JsonNode calibration = report.path("calibration").get(0);
        assertEquals("confidence", calibration.path("variant").asText());
        assertEquals(1.0, calibration.path("accuracy").asDouble());
        double meanConfidence = 0;
        for (JsonNode record : records) {
            meanConfidence +=
                    expected(base, record.path("gold").asText())[
                                    LABELS.indexOf(record.path("gold").asText())]
                            / 9;
        }
        assertEquals(
                1 - meanConfidence,
                calibration.path("ece").asDouble(),
                1e-12,
                "all right: ECE is the gap between accuracy 1 and the mean confidence (every"
                        + " confidence in one bin)");
    }

    @Test
    void aServerWithoutPromptLogprobsIsRefusedAtStartAfterOneProbe() throws IOException {
        server.promptLogprobs(false);
        Path output = dir.resolve("none.jsonl");
        CliRun run = classify("--scoring", "likelihood", "--output", output.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("returned no prompt_logprobs"), run.err());
        assertEquals(1, server.chatRequests(), "one probe, no run of failures");
        assertFalse(Files.exists(output) && Files.size(output) > 0);
    }

    @Test
    void contextualCalibrationRemovesAConstructedBiasTowardOneLabel() throws Exception {
        // The model prefers "World" by 2 nats whatever the text; the text itself adds 1.5 to its
        // gold label.
        double[] base = {-0.5, -2.5, -2.5, -2.5};
        server.logprobModel(model(base));
        Path output = dir.resolve("biased.jsonl");
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
                                "--progress-interval",
                                "1h",
                                "--scoring",
                                "likelihood",
                                "--calibrate",
                                "contextual",
                                "--output",
                                output.toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(
                1 + 3 * 4 + 9 * 4,
                server.chatRequests(),
                "probe, 3 content-free inputs and 9 examples, 4 labels each");
        assertTrue(
                run.err().contains("requests: 49 (5.44 per example)"),
                "the summary counts every request: " + run.err());
        assertTrue(
                run.err()
                        .contains(
                                "contextual calibration: 12 requests for the content-free inputs"),
                run.err());

        // Raw: only the three World texts are right (a boosted gold label still loses to World's
        // bias).
        long rawRight =
                Jsonl.read(output).stream()
                        .filter(r -> r.path("label").asText().equals(r.path("gold").asText()))
                        .count();
        assertEquals(3, rawRight);

        JsonNode contentFree =
                JSON.readTree(Files.readString(Path.of(output + ".content-free.json")));
        double[] cf = expected(base, null);
        for (int i = 0; i < LABELS.size(); i++) {
            assertEquals(cf[i], contentFree.path("mean").path(LABELS.get(i)).asDouble(), 1e-12);
        }
        assertEquals(
                List.of("N/A", "", "[MASK]"),
                JSON.convertValue(contentFree.path("inputs"), List.class));

        CliRun evaluate =
                CliRun.of(
                        "evaluate", "--format", "json", "--calibrate", "batch", output.toString());
        assertEquals(0, evaluate.exitCode(), evaluate.toString());
        Map<String, JsonNode> byVariant = new HashMap<>();
        JSON.readTree(evaluate.out())
                .path("calibration")
                .forEach(r -> byVariant.put(r.path("variant").asText(), r));
        assertEquals(3.0 / 9, byVariant.get("confidence").path("accuracy").asDouble(), 1e-12);

        // Dividing by the content-free distribution leaves exp(1.5) for the gold label and 1 for
        // the others.
        JsonNode contextual = byVariant.get("contextual");
        assertEquals(
                1.0, contextual.path("accuracy").asDouble(), 1e-12, "accuracy rises by 6 of 9");
        JsonNode versus = contextual.path("versus_raw");
        assertEquals(6, versus.path("only_calibrated_right").asInt());
        assertEquals(0, versus.path("only_raw_right").asInt());
        assertEquals(
                2 * Math.pow(0.5, 6),
                versus.path("mcnemar_p").asDouble(),
                1e-12,
                "exact McNemar, 6 vs 0");
        double gold = Math.exp(BOOST) / (Math.exp(BOOST) + 3);
        assertEquals(
                1 - gold,
                contextual.path("ece").asDouble(),
                1e-12,
                "every calibrated confidence is " + gold);

        // Batch calibration divides by the run's own mean distribution, computed here from the
        // model.
        double[] mean = new double[4];
        for (String g : GOLD.values()) {
            double[] p = expected(base, g);
            for (int i = 0; i < 4; i++) {
                mean[i] += p[i] / 9;
            }
        }
        long batchRight = 0;
        for (String g : GOLD.values()) {
            double[] p = expected(base, g);
            int best = 0;
            for (int i = 1; i < 4; i++) {
                if (p[i] / mean[i] > p[best] / mean[best]) {
                    best = i;
                }
            }
            batchRight += LABELS.get(best).equals(g) ? 1 : 0;
        }
        assertEquals(batchRight / 9.0, byVariant.get("batch").path("accuracy").asDouble(), 1e-12);
        for (int i = 0; i < 4; i++) {
            assertEquals(
                    mean[i],
                    byVariant.get("batch").path("reference").path(LABELS.get(i)).asDouble(),
                    1e-12);
        }
    }

    /**
     * Per example text, the prompt tokens of all its label requests as the stand-in counted them.
     */
    private Map<String, Integer> promptTokensByText() {
        Map<String, Integer> sums = new HashMap<>();
        for (FakeOpenAiServer.ChatRequest request : server.received()) {
            String prompt = request.prompt();
            GOLD.keySet().stream()
                    .filter(text -> prompt.contains("text: " + text))
                    .findFirst()
                    .ifPresent(
                            text ->
                                    sums.merge(
                                            text,
                                            FakeOpenAiServer.tokenize(
                                                            FakeOpenAiServer.render(request.body()))
                                                    .size(),
                                            Integer::sum));
        }
        return sums;
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
}
