package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.Jsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A multi-label run end to end on the stand-in server: classify the six-text emotions fixture with
 * {@code --mode multi-label}, then evaluate it; the figures are worked out by hand below. Resume,
 * shards and batch files give the same figures.
 */
@Timeout(120)
class MultiLabelEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures/multilabel");
    private static final Path JSONL = FIXTURES.resolve("emotions.jsonl");
    private static final Path CSV = FIXTURES.resolve("emotions.csv");
    private static final Path LABELS = FIXTURES.resolve("emotions.labels.txt");

    /**
     * The scripted answer per text, and the set it is read as. Labels joy, anger, sadness, surprise
     * (k = 4).
     *
     * <pre>
     * id  gold                answer read as      |G xor P|  sample F1
     * e1  {joy}               {joy}               0          1
     * e2  {joy, surprise}     {joy, surprise}     0          1          ("happiness" is joy's alias)
     * e3  {anger, sadness}    {anger}             1          2*1/(2+1) = 2/3
     * e4  {}                  {}                  0          1          (both empty)
     * e5  {sadness}           {anger, sadness}    1          2*1/(1+2) = 2/3  ("joy" before the marker is not read)
     * e6  {surprise}          {}                  1          0
     * </pre>
     *
     * Subset accuracy 3/6; Hamming loss 3/(6*4) = 0.125; sample F1 (1+1+2/3+1+2/3+0)/6 = 13/18. Per
     * label (tp, predicted, support): joy (2, 2, 2): P 1, R 1, F1 1; anger (1, 2, 1): P 1/2, R 1,
     * F1 2/3; sadness (1, 1, 2): P 1, R 1/2, F1 2/3; surprise (1, 1, 2): P 1, R 1/2, F1 2/3. Micro:
     * tp 5, predicted 6, support 7: P 5/6, R 5/7, F1 10/13. Macro F1 (1 + 3 * 2/3)/4 = 3/4. No
     * label: e4, e6. Mean gold labels 7/6, mean predicted 6/6.
     */
    private static final Map<String, String> REPLIES =
            Map.of(
                    "t1", "labels: joy",
                    "t2", "labels: happiness, surprise",
                    "t3", "labels: anger",
                    "t4", "labels: 无",
                    "t5", "It reads like joy at first.\nlabels: sadness, anger",
                    "t6", "labels: none");

    @TempDir Path dir;

    private FakeOpenAiServer server;

    @BeforeEach
    void startServer() throws IOException {
        server =
                FakeOpenAiServer.start(
                        request -> REPLIES.getOrDefault(textOf(request.prompt()), "no idea"));
        server.recordRequests(true);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static String textOf(String prompt) {
        return prompt.substring(prompt.indexOf("text: ") + 6, prompt.indexOf("\nlabels:"));
    }

    private List<String> classifyArgs(Path data, Path output, String... extra) {
        var args =
                new ArrayList<>(
                        List.of(
                                "classify",
                                "--mode",
                                "multi-label",
                                "--data",
                                data.toString(),
                                "--labels-file",
                                LABELS.toString(),
                                "--label-field",
                                "labels",
                                "--id-field",
                                "id",
                                "--output",
                                output.toString(),
                                "--concurrency",
                                "3"));
        if (data.toString().endsWith(".csv")) {
            args.addAll(List.of("--label-separator", ";"));
        }
        args.addAll(List.of(extra));
        return args;
    }

    private CliRun classify(Path data, Path output, String... extra) {
        var args = classifyArgs(data, output, extra);
        args.addAll(List.of("--base-url", server.baseUrl()));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void classifiesAndEvaluatesToTheHandWorkedFigures() throws IOException {
        Path output = dir.resolve("emotions.jsonl");
        CliRun run = classify(JSONL, output);
        assertEquals(0, run.exitCode(), run.toString());

        String prompt = server.received().get(0).prompt();
        assertTrue(prompt.contains("* joy\n* anger\n* sadness\n* surprise\n"), prompt);
        assertTrue(prompt.contains("在labels中给出所有适用的类别"), prompt);

        List<JsonNode> records = Jsonl.read(output);
        assertEquals(6, records.size());
        JsonNode e2 =
                records.stream()
                        .filter(r -> r.get("id").asText().equals("e2"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(
                List.of(
                        "id",
                        "text",
                        "gold",
                        "output",
                        "finish_reason",
                        "prompt_tokens",
                        "completion_tokens",
                        "latency_ms",
                        "error",
                        "attempts",
                        "labels"),
                fieldNames(e2));
        assertEquals("[\"joy\",\"surprise\"]", e2.get("gold").toString());
        assertEquals("[\"joy\",\"surprise\"]", e2.get("labels").toString());
        JsonNode e4 =
                records.stream()
                        .filter(r -> r.get("id").asText().equals("e4"))
                        .findFirst()
                        .orElseThrow();
        assertEquals("[]", e4.get("gold").toString());
        assertEquals("[]", e4.get("labels").toString());
        JsonNode manifest = JSON.readTree(dir.resolve("emotions.jsonl.manifest.json").toFile());
        assertTrue(manifest.get("sampling").get("multi_label").asBoolean(), manifest.toString());
        assertEquals("multi-label", manifest.get("mode").asText());

        assertHandWorkedFigures(evaluateJson(output));

        CliRun table = CliRun.of("evaluate", output.toString());
        assertEquals(0, table.exitCode(), table.toString());
        assertTrue(
                table.out()
                        .lines()
                        .anyMatch(
                                l ->
                                        l.contains("emotions.jsonl")
                                                && l.contains("50.00%")
                                                && l.contains("0.1250")
                                                && l.contains("0.7692")
                                                && l.contains("0.7500")
                                                && l.contains("0.7222")),
                table.out());
        assertTrue(
                table.out()
                        .lines()
                        .anyMatch(
                                l ->
                                        l.matches(
                                                "anger\\s+0\\.5000\\s+1\\.0000\\s+0\\.6667\\s+1\\s+2")),
                table.out());
        CliRun markdown = CliRun.of("evaluate", "--format", "markdown", output.toString());
        assertTrue(
                markdown.out().contains("| sadness | 1.0000 | 0.5000 | 0.6667 | 2 | 1 |"),
                markdown.out());
        CliRun csv = CliRun.of("evaluate", "--format", "csv", output.toString());
        List<String> lines = csv.out().lines().toList();
        assertEquals(1 + 1 + 4, lines.size(), csv.out());
        assertTrue(
                lines.get(0).startsWith("file,examples,subset_accuracy,hamming_loss,"),
                lines.get(0));
        assertTrue(lines.get(2).endsWith(",joy,1.0,1.0,1.0,2,2,,"), lines.get(2));

        Path html = dir.resolve("report.html");
        CliRun page = CliRun.of("evaluate", "--html", html.toString(), output.toString());
        assertEquals(0, page.exitCode(), page.toString());
        String text = Files.readString(html);
        assertTrue(text.contains("Evaluation report (multi-label)"), text);
        assertTrue(
                text.contains("<td>e5</td><td>t5</td><td>sadness</td><td>anger, sadness</td>"),
                text);
        assertTrue(text.contains("Examples not exactly right (3)"), text);
        assertFalse(text.contains("<script"), "the multi-label page needs no script");
    }

    static void assertHandWorkedFigures(JsonNode run) {
        double eps = 1e-12;
        assertTrue(run.get("multi_label").asBoolean());
        assertEquals(6, run.get("examples").asInt());
        assertEquals(3, run.get("subset_right").asInt());
        assertEquals(0.5, run.get("subset_accuracy").asDouble(), eps);
        assertEquals(0.125, run.get("hamming_loss").asDouble(), eps);
        assertEquals(5.0 / 6, run.get("micro_precision").asDouble(), eps);
        assertEquals(5.0 / 7, run.get("micro_recall").asDouble(), eps);
        assertEquals(10.0 / 13, run.get("micro_f1").asDouble(), eps);
        assertEquals(0.75, run.get("macro_f1").asDouble(), eps);
        assertEquals(13.0 / 18, run.get("sample_f1").asDouble(), eps);
        assertEquals(0, run.get("errors").asInt());
        assertEquals(2, run.get("no_label").asInt());
        assertEquals(7.0 / 6, run.get("mean_gold_labels").asDouble(), eps);
        assertEquals(1.0, run.get("mean_predicted_labels").asDouble(), eps);
        double[][] perLabel = {
            {1, 1, 1, 2, 2},
            {0.5, 1, 2.0 / 3, 1, 2},
            {1, 0.5, 2.0 / 3, 2, 1},
            {1, 0.5, 2.0 / 3, 2, 1}
        };
        String[] names = {"joy", "anger", "sadness", "surprise"};
        for (int i = 0; i < 4; i++) {
            JsonNode label = run.get("per_label").get(i);
            assertEquals(names[i], label.get("label").asText());
            assertEquals(perLabel[i][0], label.get("precision").asDouble(), eps, names[i]);
            assertEquals(perLabel[i][1], label.get("recall").asDouble(), eps, names[i]);
            assertEquals(perLabel[i][2], label.get("f1").asDouble(), eps, names[i]);
            assertEquals((long) perLabel[i][3], label.get("support").asLong(), names[i]);
            assertEquals((long) perLabel[i][4], label.get("predicted").asLong(), names[i]);
        }
        assertNull(run.get("threshold_sweep"), "no record has probabilities");
    }

    @Test
    void csvWithALabelSeparatorGivesTheSameRun() throws IOException {
        Path output = dir.resolve("csv.jsonl");
        CliRun run = classify(CSV, output);
        assertEquals(0, run.exitCode(), run.toString());
        assertHandWorkedFigures(evaluateJson(output));
        JsonNode manifest = JSON.readTree(dir.resolve("csv.jsonl.manifest.json").toFile());
        assertEquals(";", manifest.get("sampling").get("label_separator").asText());
    }

    @Test
    void resumeSkipsWhatIsDoneAndRetriesFailures() throws IOException {
        Path output = dir.resolve("resume.jsonl");
        server.faults(
                request ->
                        textOf(request.prompt()).equals("t3")
                                ? FakeOpenAiServer.Fault.status(400)
                                : FakeOpenAiServer.Fault.none());
        CliRun first = classify(JSONL, output);
        assertEquals(1, first.exitCode(), first.toString());
        JsonNode failed =
                Jsonl.read(output).stream()
                        .filter(r -> r.get("id").asText().equals("e3"))
                        .findFirst()
                        .orElseThrow();
        assertFalse(failed.get("error").isNull());
        assertEquals(
                "[\"anger\",\"sadness\"]",
                failed.get("gold").toString(),
                "a failed record keeps its gold set");
        assertNull(failed.get("labels"));
        assertEquals(1, evaluateJson(output).get("errors").asInt());

        server.faults(FakeOpenAiServer.FaultPlan.NONE);
        int before = server.chatRequests();
        CliRun again = classify(JSONL, output);
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(1, server.chatRequests() - before, "only the failed example is asked again");
        assertHandWorkedFigures(evaluateJson(output));
    }

    @Test
    void shardsMergeIntoTheWholeRunsFigures() throws IOException {
        Path output = dir.resolve("sharded.jsonl");
        for (int shard = 0; shard < 2; shard++) {
            CliRun run = classify(JSONL, output, "--shard", shard + "/2");
            assertEquals(0, run.exitCode(), run.toString());
        }
        CliRun merged =
                CliRun.of(
                        "evaluate",
                        "--format",
                        "json",
                        "--merge",
                        dir.resolve("sharded.shard-0-of-2.jsonl").toString(),
                        dir.resolve("sharded.shard-1-of-2.jsonl").toString());
        assertEquals(0, merged.exitCode(), merged.toString());
        JsonNode run = JSON.readTree(merged.out()).get("runs").get(0);
        assertHandWorkedFigures(run);
    }

    @Test
    void batchExportAndImportGiveTheOnlineFigures() throws IOException {
        Path output = dir.resolve("batch.jsonl");
        Path requests = dir.resolve("batch.requests.jsonl");
        var export =
                classifyArgs(
                        JSONL,
                        output,
                        "--model",
                        "glm-4-9b-chat",
                        "--requests",
                        requests.toString());
        export.set(0, "export");
        export.add(0, "batch");
        dropConcurrency(export);
        CliRun exported = CliRun.of(export.toArray(String[]::new));
        assertEquals(0, exported.exitCode(), exported.toString());
        List<JsonNode> lines = Jsonl.read(requests);
        assertEquals(6, lines.size());
        var results = new StringBuilder();
        for (JsonNode line : lines) {
            String prompt = line.get("body").get("messages").get(0).get("content").asText();
            ObjectNode body = JSON.createObjectNode();
            body.put("id", "chatcmpl-" + line.get("custom_id").asText())
                    .put("object", "chat.completion")
                    .put("model", "glm-4-9b-chat");
            ObjectNode choice = body.putArray("choices").addObject();
            choice.put("index", 0).put("finish_reason", "stop");
            choice.putObject("message")
                    .put("role", "assistant")
                    .put("content", REPLIES.get(textOf(prompt)));
            body.putObject("usage")
                    .put("prompt_tokens", 50)
                    .put("completion_tokens", 5)
                    .put("total_tokens", 55);
            ObjectNode result = JSON.createObjectNode();
            result.put("id", "batch-" + line.get("custom_id").asText())
                    .put("custom_id", line.get("custom_id").asText());
            result.putObject("response")
                    .put("status_code", 200)
                    .put("request_id", "r")
                    .set("body", body);
            result.putNull("error");
            results.append(result).append('\n');
        }
        Path resultFile = Files.writeString(dir.resolve("batch.results.jsonl"), results);
        var importArgs = classifyArgs(JSONL, output, "--model", "glm-4-9b-chat");
        importArgs.set(0, "import");
        importArgs.add(0, "batch");
        dropConcurrency(importArgs);
        importArgs.add(resultFile.toString());
        CliRun imported = CliRun.of(importArgs.toArray(String[]::new));
        assertEquals(0, imported.exitCode(), imported.toString());
        assertHandWorkedFigures(evaluateJson(output));
    }

    /**
     * Batch files send nothing, so batch export and import take no server options such as
     * --concurrency.
     */
    private static void dropConcurrency(List<String> args) {
        int at = args.indexOf("--concurrency");
        args.remove(at + 1);
        args.remove(at);
    }

    @Test
    void likelihoodProbabilitiesGetAThresholdSweep() throws IOException {
        Path file = FIXTURES.resolve("probabilities.jsonl");
        CliRun run = CliRun.of("evaluate", "--format", "json", "--labels", "a,b", file.toString());
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode sweep = JSON.readTree(run.out()).get("runs").get(0).get("threshold_sweep");
        // Worked by hand in MultiLabelTallyTest.thresholdSweepMatchesTheHandWorkedCounts.
        assertEquals(3, sweep.get("examples").asInt());
        assertEquals(1.0, sweep.get("micro_f1").get(3).asDouble(), 1e-12);
        assertEquals(0.4, sweep.get("per_label").get(0).get("threshold").asDouble());
        assertEquals(0.3, sweep.get("per_label").get(1).get("threshold").asDouble());
        CliRun table = CliRun.of("evaluate", "--labels", "a,b", file.toString());
        assertTrue(table.out().contains("Threshold sweep: " + file), table.out());
        assertTrue(
                table.out().lines().anyMatch(l -> l.startsWith("micro F1") && l.contains("0.8889")),
                table.out());
    }

    static Stream<Arguments> refusedBeforeAnythingIsSent() {
        return Stream.of(
                Arguments.of(
                        List.of("--mode", "basic"),
                        "prompts/basic.txt asks for one label: use --mode multi-label"),
                Arguments.of(
                        List.of("--votes", "3", "--temperature", "0.7"),
                        "--votes, --constrain, --confidence and --shots decide or show one label"
                                + " per text; the data is multi-label"),
                Arguments.of(
                        List.of("--constrain", "choice"),
                        "--votes, --constrain, --confidence and --shots"),
                Arguments.of(
                        List.of("--mode", "similarity"),
                        "--mode similarity decides one label per text"),
                Arguments.of(
                        List.of("--labels", "joy,anger,sadness"),
                        "label 'surprise' in the list is neither an "
                                + "index below 3 nor one of [joy, anger, sadness]"));
    }

    @ParameterizedTest
    @MethodSource("refusedBeforeAnythingIsSent")
    void badInputExitsTwoAndSendsNothing(List<String> extra, String message) {
        var args = classifyArgs(JSONL, dir.resolve("bad.jsonl"));
        if (extra.contains("--mode")) {
            int at = args.indexOf("--mode");
            args.remove(at);
            args.remove(at);
        }
        args.addAll(extra);
        args.addAll(List.of("--base-url", server.baseUrl()));
        if (extra.contains("--labels")) {
            int at = args.indexOf("--labels-file");
            args.remove(at);
            args.remove(at);
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains(message), run.err());
        assertEquals(0, server.chatRequests(), "nothing is sent");
    }

    @Test
    void multiLabelModeOnSingleLabelDataAndAMixedDatasetAreRefused() throws IOException {
        Path single =
                Files.writeString(
                        dir.resolve("single.jsonl"),
                        "{\"id\":\"1\",\"text\":\"t1\",\"labels\":\"joy\"}\n");
        CliRun run = classify(single, dir.resolve("out.jsonl"));
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--mode multi-label is for multi-label data"), run.err());

        Path mixed =
                Files.writeString(
                        dir.resolve("mixed.jsonl"),
                        "{\"id\":\"1\",\"text\":\"t1\",\"labels\":[\"joy\"]}\n"
                                + "{\"id\":\"2\",\"text\":\"t2\",\"labels\":\"anger\"}\n");
        CliRun mixedRun = classify(mixed, dir.resolve("out2.jsonl"));
        assertEquals(2, mixedRun.exitCode(), mixedRun.toString());
        assertTrue(
                mixedRun.err()
                        .contains(
                                "mixed.jsonl:2: field 'labels' is a single label, but line 1 has a"
                                        + " list"),
                mixedRun.err());

        Path pool =
                Files.writeString(
                        dir.resolve("pool.jsonl"), "{\"text\":\"p\",\"label\":[\"World\"]}\n");
        CliRun knn =
                CliRun.of(
                        "classify",
                        "--mode",
                        "knn",
                        "--data",
                        "src/test/resources/fixtures/tiny.csv",
                        "--train",
                        pool.toString(),
                        "--output",
                        dir.resolve("knn.jsonl").toString(),
                        "--embedding-cache",
                        "none");
        assertEquals(2, knn.exitCode(), knn.toString());
        assertTrue(
                knn.err()
                        .contains(
                                "gives example '0' a list of labels; a pool's texts (kNN votes, "
                                        + "demonstrations) need one label each"),
                knn.err());
        assertEquals(0, server.chatRequests(), "nothing is sent");
    }

    @Test
    void multiLabelAndSingleLabelRunsAreNotEvaluatedTogether() throws IOException {
        Path multi = dir.resolve("multi.jsonl");
        assertEquals(0, classify(JSONL, multi).exitCode());
        Path single =
                Files.writeString(
                        dir.resolve("single.jsonl"),
                        "{\"id\":\"1\",\"text\":\"t\",\"gold\":\"joy\",\"output\":\"label:"
                            + " joy\",\"finish_reason\":\"stop\",\"prompt_tokens\":1,\"completion_tokens\":1,\"latency_ms\":1,\"error\":null,\"attempts\":1}\n");
        CliRun run =
                CliRun.of(
                        "evaluate",
                        "--labels",
                        "joy,anger,sadness,surprise",
                        single.toString(),
                        multi.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(
                run.err()
                        .contains(
                                multi
                                        + " is a multi-label run and "
                                        + single
                                        + " a single-label one; evaluate "
                                        + "them separately"),
                run.err());
    }

    private static JsonNode evaluateJson(Path output) throws IOException {
        CliRun run = CliRun.of("evaluate", "--format", "json", output.toString());
        assertEquals(0, run.exitCode(), run.toString());
        return JSON.readTree(run.out()).get("runs").get(0);
    }

    private static List<String> fieldNames(JsonNode record) {
        var names = new ArrayList<String>();
        record.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
