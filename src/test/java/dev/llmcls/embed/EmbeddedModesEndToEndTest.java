package dev.llmcls.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.Jsonl;
import dev.llmcls.testing.SharedData;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded modes through the real CLI, with the real bundled model, on real AG News rows: the
 * first 40 test texts, and the first 200 rows of the 5,000-row training sample as the kNN pool
 * (both from the slices in src/test/resources/fixtures/ag_news). No server runs: the base URL
 * points at a closed port, so any attempt to reach one would fail the run.
 */
@Tag("slow")
@Timeout(300)
class EmbeddedModesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LABELS =
            List.of("World", "Sports", "Business", "Science | Technology");

    @TempDir static Path dir;

    private static Path pool;
    private static String closedPort;

    @BeforeAll
    static void smallPool() throws IOException {
        pool = dir.resolve("pool200.csv");
        List<String> lines = Files.readAllLines(SharedData.trainSlice());
        // Rows hold no line breaks in this file, so the header plus 200 lines are 200 examples.
        Files.write(pool, lines.subList(0, 201));
        try (var socket = new ServerSocket(0)) {
            closedPort = "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
        }
    }

    @Test
    void knnClassifiesAgNewsWithNoServerAndCachesThePool() throws IOException {
        Path cache = dir.resolve("cache-knn");
        Path output = dir.resolve("knn.jsonl");
        CliRun run =
                classify(
                        "--mode",
                        "knn",
                        "--train",
                        pool.toString(),
                        "--k",
                        "10",
                        "--embedding-cache",
                        cache.toString(),
                        "--output",
                        output.toString());
        assertEquals(0, run.exitCode(), run.toString());

        List<JsonNode> records = Jsonl.read(output);
        assertEquals(40, records.size());
        for (JsonNode record : records) {
            String label = record.get("label").asText();
            assertTrue(LABELS.contains(label), record.toString());
            assertEquals(label, record.get("output").asText());
            int votes = 0;
            for (JsonNode count : record.get("votes")) {
                votes += count.asInt();
            }
            assertEquals(10, votes, "k neighbours vote: " + record);
            int most = 0;
            for (JsonNode count : record.get("votes")) {
                most = Math.max(most, count.asInt());
            }
            assertEquals(
                    most,
                    record.get("votes").get(label).asInt(),
                    "the label has the most votes: " + record);
        }
        JsonNode evaluation = evaluate(output);
        double accuracy = evaluation.path("seed").path("accuracy").asDouble();
        assertTrue(
                accuracy >= 0.6,
                "kNN over 200 AG News rows is far above chance (25 %): " + evaluation);
        assertEquals(0, evaluation.path("seed").path("multi_label").asInt());

        JsonNode manifest = JSON.readTree(dir.resolve("knn.jsonl.manifest.json").toFile());
        assertEquals("knn", manifest.path("mode").asText());
        assertEquals("bge-small-en-v1.5-q", manifest.path("model").asText());
        assertEquals(0, manifest.path("base_urls").size(), "no server is involved");
        assertEquals(10, manifest.path("sampling").path("k").asInt());

        // Re-running into the same output resumes: every example is done, nothing is added.
        CliRun resumed =
                classify(
                        "--mode",
                        "knn",
                        "--train",
                        pool.toString(),
                        "--k",
                        "10",
                        "--embedding-cache",
                        cache.toString(),
                        "--output",
                        output.toString());
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertEquals(40, Files.readAllLines(output).size());
        CliRun otherK =
                classify(
                        "--mode",
                        "knn",
                        "--train",
                        pool.toString(),
                        "--k",
                        "5",
                        "--embedding-cache",
                        cache.toString(),
                        "--output",
                        output.toString());
        assertEquals(2, otherK.exitCode(), "another k is another question: " + otherK);

        // 200 pool texts and 40 test texts were embedded once; a second run over the same pool adds
        // nothing.
        Path cacheFile = cache.resolve("bge-small-en-v1.5-q.f32");
        long size = Files.size(cacheFile);
        assertEquals(240L * (32 + 4 * 384), size);
        CliRun again =
                classify(
                        "--mode",
                        "knn",
                        "--train",
                        pool.toString(),
                        "--embedding-cache",
                        cache.toString(),
                        "--output",
                        dir.resolve("knn2.jsonl").toString());
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(size, Files.size(cacheFile));
        assertEquals(
                Files.readAllLines(output).stream()
                        .sorted()
                        .map(EmbeddedModesEndToEndTest::withoutLatency)
                        .toList(),
                Files.readAllLines(dir.resolve("knn2.jsonl")).stream()
                        .sorted()
                        .map(EmbeddedModesEndToEndTest::withoutLatency)
                        .toList(),
                "cached vectors give the same answers");
    }

    @Test
    void similarityClassifiesByLabelDescriptionsFromTheLabelsFile() throws IOException {
        Path labels = dir.resolve("labels.txt");
        Files.writeString(
                labels,
                "# AG News with descriptions\n"
                    + "World: international news, world politics, governments, elections, wars,"
                    + " conflicts, diplomacy\n"
                    + "Sports: sports news, games, matches, teams, players, coaches, leagues,"
                    + " championships\n"
                    + "Business: business and economy news, companies, markets, stocks, oil prices,"
                    + " trade, earnings\n"
                    + "Science | Technology: science and technology news, computers, software, the"
                    + " internet, space\n");
        Path output = dir.resolve("similarity.jsonl");
        CliRun run =
                classify(
                        "--mode",
                        "similarity",
                        "--labels-file",
                        labels.toString(),
                        "--embedding-cache",
                        "none",
                        "--output",
                        output.toString());
        assertEquals(0, run.exitCode(), run.toString());

        List<JsonNode> records = Jsonl.read(output);
        assertEquals(40, records.size());
        for (JsonNode record : records) {
            assertTrue(LABELS.contains(record.get("label").asText()), record.toString());
            assertFalse(record.has("votes"));
        }
        JsonNode manifest = JSON.readTree(dir.resolve("similarity.jsonl.manifest.json").toFile());
        assertEquals(
                LABELS,
                texts(manifest.path("labels")),
                "descriptions are not part of the label names");
        assertTrue(
                manifest.path("sampling")
                        .path("label_texts")
                        .get(3)
                        .asText()
                        .startsWith("Science | Technology: science and technology news"),
                manifest.toString());
        double accuracy = evaluate(output).path("seed").path("accuracy").asDouble();
        assertTrue(accuracy >= 0.6, "zero-shot similarity is far above chance (25 %): " + accuracy);
    }

    /**
     * The model's work is all CPU: {@code --concurrency 256} gets one worker per core, not 40 (one
     * per example) threads that wait for a core. Counted in-process: the live worker threads,
     * sampled while the run goes.
     */
    @Test
    void aHighConcurrencyRunsNoMoreWorkersThanCores() throws Exception {
        var most = new AtomicInteger();
        var running = new AtomicBoolean(true);
        Thread sampler =
                new Thread(
                        () -> {
                            while (running.get()) {
                                int workers = 0;
                                for (Thread thread : Thread.getAllStackTraces().keySet()) {
                                    if (thread.getName().startsWith("llmcls-worker-")) {
                                        workers++;
                                    }
                                }
                                most.accumulateAndGet(workers, Math::max);
                                Thread.onSpinWait();
                            }
                        });
        sampler.start();
        Path output = dir.resolve("similarity256.jsonl");
        CliRun run;
        try {
            run =
                    classify(
                            "--mode",
                            "similarity",
                            "--concurrency",
                            "256",
                            "--embedding-cache",
                            "none",
                            "--output",
                            output.toString());
        } finally {
            running.set(false);
            sampler.join();
        }
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(40, Jsonl.read(output).size());
        int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(most.get() >= 1, "the sampler saw the run's workers");
        assertTrue(
                most.get() <= cores,
                most.get() + " workers at --concurrency 256 on " + cores + " cores");
    }

    @Test
    void linearProbeRecordsADistributionOverTheLabelsThatCalibrationMetricsRead()
            throws IOException {
        Path output = dir.resolve("linear.jsonl");
        CliRun run =
                classify(
                        "--mode",
                        "linear",
                        "--train",
                        pool.toString(),
                        "--embedding-cache",
                        dir.resolve("cache-linear").toString(),
                        "--output",
                        output.toString());
        assertEquals(0, run.exitCode(), run.toString());
        List<JsonNode> records = Jsonl.read(output);
        assertEquals(40, records.size());
        for (JsonNode record : records) {
            String label = record.get("label").asText();
            assertEquals(label, record.get("output").asText());
            assertFalse(record.has("votes"), record.toString());
            JsonNode probs = record.get("label_probs");
            var names = new ArrayList<String>();
            probs.fieldNames().forEachRemaining(names::add);
            assertEquals(LABELS, names, record.toString());
            double sum = 0;
            double most = 0;
            for (JsonNode p : probs) {
                sum += p.asDouble();
                most = Math.max(most, p.asDouble());
            }
            assertEquals(1, sum, 1e-9, record.toString());
            assertEquals(
                    most,
                    probs.get(label).asDouble(),
                    "the decided label is the most probable: " + record);
        }
        JsonNode evaluation = evaluate(output);
        assertTrue(
                evaluation.path("seed").path("accuracy").asDouble() >= 0.6, evaluation.toString());
        CliRun calibration = CliRun.of("evaluate", output.toString());
        assertTrue(
                calibration.out().contains("Brier"),
                "calibration metrics apply to label_probs: " + calibration);
        JsonNode manifest = JSON.readTree(dir.resolve("linear.jsonl.manifest.json").toFile());
        assertEquals("linear", manifest.path("mode").asText());
        assertEquals("linear", manifest.path("sampling").path("classifier").asText());
        assertTrue(manifest.path("sampling").has("train_sha256"), manifest.toString());
        // The fit is deterministic: a second run from the same cache writes the same records.
        Path again = dir.resolve("linear2.jsonl");
        assertEquals(
                0,
                classify(
                                "--mode",
                                "linear",
                                "--train",
                                pool.toString(),
                                "--embedding-cache",
                                dir.resolve("cache-linear").toString(),
                                "--output",
                                again.toString())
                        .exitCode());
        assertEquals(
                Files.readAllLines(output).stream()
                        .sorted()
                        .map(EmbeddedModesEndToEndTest::withoutLatency)
                        .toList(),
                Files.readAllLines(again).stream()
                        .sorted()
                        .map(EmbeddedModesEndToEndTest::withoutLatency)
                        .toList());
    }

    @Test
    void knnTfidfRecordsTheNeighboursVotesAndADistributionAndResumesUnderItsOwnSettings()
            throws IOException {
        Path output = dir.resolve("knn-tfidf.jsonl");
        String cache = dir.resolve("cache-knn-tfidf").toString();
        CliRun run =
                classify(
                        "--mode",
                        "knn-tfidf",
                        "--train",
                        pool.toString(),
                        "--k",
                        "10",
                        "--embedding-cache",
                        cache,
                        "--output",
                        output.toString());
        assertEquals(0, run.exitCode(), run.toString());
        List<JsonNode> records = Jsonl.read(output);
        assertEquals(40, records.size());
        for (JsonNode record : records) {
            String label = record.get("label").asText();
            assertEquals(label, record.get("output").asText());
            int votes = 0;
            for (JsonNode count : record.get("votes")) {
                votes += count.asInt();
            }
            assertEquals(10, votes, record.toString());
            JsonNode probs = record.get("label_probs");
            var names = new ArrayList<String>();
            probs.fieldNames().forEachRemaining(names::add);
            assertEquals(LABELS, names, record.toString());
            double sum = 0;
            double most = 0;
            for (JsonNode p : probs) {
                sum += p.asDouble();
                most = Math.max(most, p.asDouble());
            }
            assertEquals(1, sum, 1e-9, record.toString());
            assertEquals(
                    most,
                    probs.get(label).asDouble(),
                    "the decided label is the most probable: " + record);
        }
        assertTrue(
                evaluate(output).path("seed").path("accuracy").asDouble() >= 0.6,
                "a 200-text pool classifies most of 40 texts");
        JsonNode manifest = JSON.readTree(dir.resolve("knn-tfidf.jsonl.manifest.json").toFile());
        assertEquals("knn-tfidf", manifest.path("mode").asText());
        assertEquals("knn-tfidf", manifest.path("sampling").path("classifier").asText());
        assertEquals(10, manifest.path("sampling").path("k").asInt());
        assertTrue(manifest.path("sampling").has("train_sha256"), manifest.toString());

        // The same command again finds every answer: the manifest's settings read back as its own.
        CliRun again =
                classify(
                        "--mode",
                        "knn-tfidf",
                        "--train",
                        pool.toString(),
                        "--k",
                        "10",
                        "--embedding-cache",
                        cache,
                        "--output",
                        output.toString());
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(40, Jsonl.read(output).size());
        // A plain kNN run is another method: it does not resume into this output.
        CliRun knn =
                classify(
                        "--mode",
                        "knn",
                        "--train",
                        pool.toString(),
                        "--embedding-cache",
                        cache,
                        "--output",
                        output.toString());
        assertEquals(2, knn.exitCode(), knn.toString());
        assertTrue(knn.err().contains("classifier"), knn.err());
    }

    @Test
    void knnTfidfWithoutAPoolIsAUsageError() {
        CliRun run =
                classify(
                        "--mode", "knn-tfidf", "--output", dir.resolve("none-kt.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--train"), run.err());
    }

    @Test
    void linearWithoutAPoolIsAUsageError() {
        CliRun run =
                classify(
                        "--mode",
                        "linear",
                        "--output",
                        dir.resolve("none-linear.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--train"), run.err());
    }

    @Test
    void knnWithoutAPoolIsAUsageError() {
        CliRun run = classify("--mode", "knn", "--output", dir.resolve("none.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--train"), run.err());
    }

    @Test
    void anUnknownEmbeddingModelNamesTheBundledOnes() {
        CliRun run =
                classify(
                        "--mode",
                        "similarity",
                        "--embedding-model",
                        "nope",
                        "--output",
                        dir.resolve("nope.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("bge-small-en-v1.5-q"), run.err());
    }

    private static CliRun classify(String... extra) {
        var args =
                new ArrayList<>(
                        List.of(
                                "classify",
                                "--data",
                                SharedData.testSlice().toString(),
                                "--limit",
                                "40",
                                "--base-url",
                                closedPort,
                                "--quiet"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static JsonNode evaluate(Path output) throws IOException {
        CliRun run = CliRun.of("evaluate", "--format", "json", output.toString());
        assertEquals(0, run.exitCode(), run.toString());
        return JSON.readTree(run.out()).path("runs").get(0);
    }

    private static String withoutLatency(String line) {
        return line.replaceAll("\"latency_ms\":\\d+", "");
    }

    private static List<String> texts(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }
}
