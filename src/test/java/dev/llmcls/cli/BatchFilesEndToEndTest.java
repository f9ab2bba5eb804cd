package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batch export}, a stand-in for {@code vllm run-batch} (src/test/scripts/fake_run_batch.py,
 * answering as the online stand-in keyword_server.py does, with some failed lines in both of vLLM's
 * error shapes), then {@code batch import}: {@code evaluate} gives the figures of the same run done
 * online, failures resume, and the exported bodies are byte for byte the bodies classify sends.
 */
@Tag("slow") // Python stand-ins and hundreds of AG News texts through classify several times
class BatchFilesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REJECT_MOD = "13";

    @TempDir Path dir;

    private static String data() {
        return SharedData.testSlice().toString();
    }

    private static List<String> options(String limit, Path output, String... more) {
        var args =
                new ArrayList<>(
                        List.of(
                                "--mode",
                                "basic",
                                "--data",
                                data(),
                                "--limit",
                                limit,
                                "--model",
                                "glm-4-9b-chat",
                                "--output",
                                output.toString(),
                                "--quiet"));
        args.addAll(List.of(more));
        return args;
    }

    private static CliRun llmcls(String first, String second, List<String> rest) {
        var args = new ArrayList<String>();
        args.add(first);
        if (second != null) {
            args.add(second);
        }
        args.addAll(rest);
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void exportRunBatchImportEvaluatesAsTheOnlineRunAndFailuresAreExportedAgain() throws Exception {
        Path online = dir.resolve("online.jsonl");
        Process server = startKeywordServer(REJECT_MOD);
        try {
            var args = new ArrayList<>(options("400", online));
            args.addAll(List.of("--base-url", baseUrl, "--concurrency", "8"));
            CliRun run = llmcls("classify", null, args);
            assertEquals(1, run.exitCode(), "the stand-in rejects some texts: " + run);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }

        Path imported = dir.resolve("imported.jsonl");
        Path requests = dir.resolve("batch").resolve("basic.requests.jsonl");
        CliRun export =
                llmcls(
                        "batch",
                        "export",
                        options(
                                "400",
                                imported,
                                "--requests",
                                requests.toString(),
                                "--max-lines",
                                "150"));
        assertEquals(0, export.exitCode(), export.toString());
        List<Path> parts =
                List.of(
                        dir.resolve("batch/basic.requests.part-001.jsonl"),
                        dir.resolve("batch/basic.requests.part-002.jsonl"),
                        dir.resolve("batch/basic.requests.part-003.jsonl"));
        assertEquals(
                List.of(150, 150, 100),
                parts.stream().map(BatchFilesEndToEndTest::lineCount).toList());
        JsonNode manifest =
                JSON.readTree(dir.resolve("batch/basic.requests.jsonl.manifest.json").toFile());
        assertEquals(400, manifest.get("requests").asInt());
        assertEquals("exported", manifest.get("run").get("status").asText());
        JsonNode first = JSON.readTree(Files.readAllLines(parts.get(0)).get(0));
        assertEquals("0", first.get("custom_id").asText());
        assertEquals("POST", first.get("method").asText());
        assertEquals("/v1/chat/completions", first.get("url").asText());
        assertEquals("glm-4-9b-chat", first.get("body").get("model").asText());

        List<String> results = new ArrayList<>();
        for (Path part : parts) {
            Path result = dir.resolve(part.getFileName().toString().replace("requests", "results"));
            runBatch(part, result, REJECT_MOD);
            results.add(result.toString());
        }
        var importArgs = new ArrayList<>(options("400", imported));
        importArgs.addAll(results);
        CliRun importRun = llmcls("batch", "import", importArgs);
        assertEquals(1, importRun.exitCode(), "failed lines make the import exit 1: " + importRun);

        JsonNode onlineFigures = evaluate(online);
        JsonNode importedFigures = evaluate(imported);
        assertTrue(
                onlineFigures.get("errors").asInt() > 10, "some examples failed: " + onlineFigures);
        assertEquals(withoutFile(onlineFigures), withoutFile(importedFigures));
        List<JsonNode> failed =
                records(imported).stream().filter(r -> !r.get("error").isNull()).toList();
        assertTrue(
                failed.stream()
                        .allMatch(
                                r ->
                                        r.get("error")
                                                .asText()
                                                .startsWith(
                                                        "rejected: batch HTTP 400: This model's"
                                                                + " maximum context length")),
                failed.get(0).toString());
        assertEquals(
                records(online).stream().map(r -> r.get("output").asText()).sorted().toList(),
                records(imported).stream().map(r -> r.get("output").asText()).sorted().toList(),
                "the same answers");
        JsonNode importManifest =
                JSON.readTree(dir.resolve("imported.jsonl.manifest.json").toFile());
        JsonNode onlineManifest = JSON.readTree(dir.resolve("online.jsonl.manifest.json").toFile());
        assertEquals(onlineManifest.get("sampling"), importManifest.get("sampling"));
        assertEquals("finished_with_failures", importManifest.get("status").asText());

        // Exporting again sends exactly the failed examples; answered by a run-batch without
        // rejections, all done.
        Path again = dir.resolve("again.requests.jsonl");
        CliRun reexport =
                llmcls("batch", "export", options("400", imported, "--requests", again.toString()));
        assertEquals(0, reexport.exitCode(), reexport.toString());
        assertEquals(failed.size(), lineCount(again));
        Path againResults = dir.resolve("again.results.jsonl");
        runBatch(again, againResults, "0");
        var finalImport = new ArrayList<>(options("400", imported));
        finalImport.add(againResults.toString());
        CliRun done = llmcls("batch", "import", finalImport);
        assertEquals(0, done.exitCode(), done.toString());
        JsonNode complete = evaluate(imported);
        assertEquals(0, complete.get("errors").asInt());
        assertEquals(400, complete.get("records").asInt());

        // Importing the same results twice adds nothing.
        CliRun twice = llmcls("batch", "import", finalImport);
        assertEquals(0, twice.exitCode(), twice.toString());
        assertEquals(400 + failed.size(), records(imported).size());
    }

    @Test
    void exportedBodiesAreTheBodiesClassifySendsForEveryMethodOption() throws IOException {
        try (var server = FakeOpenAiServer.start(request -> "label: Sports")) {
            List<String> method =
                    List.of(
                            "--mode",
                            "carp",
                            "--shots",
                            "2",
                            "--train",
                            "src/test/resources/fixtures/pool.csv",
                            "--votes",
                            "3",
                            "--temperature",
                            "0.7",
                            "--seed",
                            "5",
                            "--constrain",
                            "choice",
                            "--max-tokens",
                            "300");
            Path online = dir.resolve("carp.jsonl");
            var args =
                    new ArrayList<>(
                            List.of(
                                    "classify",
                                    "--data",
                                    data(),
                                    "--limit",
                                    "25",
                                    "--model",
                                    "glm-4-9b-chat",
                                    "--output",
                                    online.toString(),
                                    "--base-url",
                                    server.baseUrl(),
                                    "--quiet"));
            args.addAll(method);
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.toString());
            Map<String, JsonNode> sent = new HashMap<>();
            server.received().forEach(r -> sent.put(r.prompt(), r.body()));

            Path requests = dir.resolve("carp.requests.jsonl");
            var export =
                    new ArrayList<>(
                            List.of(
                                    "batch",
                                    "export",
                                    "--data",
                                    data(),
                                    "--limit",
                                    "25",
                                    "--model",
                                    "glm-4-9b-chat",
                                    "--output",
                                    dir.resolve("carp-batch.jsonl").toString(),
                                    "--requests",
                                    requests.toString(),
                                    "--quiet"));
            export.addAll(method);
            CliRun exported = CliRun.of(export.toArray(String[]::new));
            assertEquals(0, exported.exitCode(), exported.toString());
            List<String> lines = Files.readAllLines(requests, StandardCharsets.UTF_8);
            assertEquals(25, lines.size());
            for (String line : lines) {
                JsonNode body = JSON.readTree(line).get("body");
                String prompt = body.get("messages").get(0).get("content").asText();
                assertEquals(sent.get(prompt), body, "the exported body is the one classify sent");
                assertEquals(3, body.get("n").asInt());
                assertTrue(body.has("structured_outputs"));
            }
        }
    }

    @Test
    void votesAsRequestsAreReassembledAndWhatCannotBeExpressedIsRefused() throws Exception {
        Path out = dir.resolve("votes.jsonl");
        Path requests = dir.resolve("votes.requests.jsonl");
        List<String> votes =
                options(
                        "30",
                        out,
                        "--votes",
                        "3",
                        "--temperature",
                        "0.8",
                        "--requests",
                        requests.toString(),
                        "--votes-as-requests");
        CliRun export = llmcls("batch", "export", votes);
        assertEquals(0, export.exitCode(), export.toString());
        List<String> lines = Files.readAllLines(requests, StandardCharsets.UTF_8);
        assertEquals(90, lines.size());
        assertEquals(
                List.of("0#0", "0#1", "0#2"),
                lines.subList(0, 3).stream()
                        .map(l -> readTree(l).get("custom_id").asText())
                        .toList());
        assertTrue(
                lines.stream().noneMatch(l -> readTree(l).get("body").has("n")),
                "one answer per request");

        Path results = dir.resolve("votes.results.jsonl");
        runBatch(requests, results, "0");
        var importArgs =
                new ArrayList<>(
                        options(
                                "30",
                                out,
                                "--votes",
                                "3",
                                "--temperature",
                                "0.8",
                                "--votes-as-requests"));
        importArgs.add(results.toString());
        CliRun imported = llmcls("batch", "import", importArgs);
        assertEquals(0, imported.exitCode(), imported.toString());
        List<JsonNode> records = records(out);
        assertEquals(30, records.size());
        int unanimous = 0;
        for (JsonNode record : records) {
            assertEquals(3, record.get("outputs").size(), record.toString());
            assertEquals(3, record.get("attempts").asInt());
            assertEquals(
                    record.get("outputs").get(0),
                    record.get("outputs").get(2),
                    "one prompt, one stand-in answer");
            int total = 0;
            for (JsonNode count : record.get("votes")) {
                total += count.asInt();
            }
            // The three answers are the same, so they all name the label or none of them does.
            assertTrue(total == 0 || total == 3, record.toString());
            unanimous += total == 3 ? 1 : 0;
        }
        assertTrue(unanimous > 15, "most answers name a label: " + unanimous);

        CliRun seeded =
                llmcls(
                        "batch",
                        "export",
                        options(
                                "30",
                                out,
                                "--votes",
                                "3",
                                "--temperature",
                                "0.8",
                                "--seed",
                                "1",
                                "--votes-as-requests",
                                "--overwrite"));
        assertEquals(2, seeded.exitCode());
        assertTrue(seeded.err().contains("identical requests"), seeded.err());
        CliRun knn =
                llmcls(
                        "batch",
                        "export",
                        List.of("--mode", "similarity", "--data", data(), "--model", "m"));
        assertEquals(2, knn.exitCode());
        assertTrue(knn.err().contains("sends no requests"), knn.err());
        CliRun likelihood =
                llmcls(
                        "batch",
                        "export",
                        List.of("--data", data(), "--model", "m", "--scoring", "likelihood"));
        assertEquals(2, likelihood.exitCode(), likelihood.toString());
        assertTrue(
                likelihood.err().contains("--scoring likelihood is not exported"),
                likelihood.err());
        CliRun noModel = llmcls("batch", "export", List.of("--data", data()));
        assertEquals(2, noModel.exitCode());
        assertTrue(noModel.err().contains("need --model"), noModel.err());
    }

    private String baseUrl;

    private Process startKeywordServer(String rejectMod) throws IOException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process server =
                new ProcessBuilder(
                                "python3",
                                "src/test/scripts/keyword_server.py",
                                Integer.toString(port),
                                rejectMod)
                        .redirectErrorStream(true)
                        .start();
        var ready =
                new BufferedReader(
                        new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        assertTrue(ready.readLine().startsWith("listening"), "the Python server did not start");
        baseUrl = "http://127.0.0.1:" + port + "/v1";
        return server;
    }

    private static void runBatch(Path input, Path output, String rejectMod) throws Exception {
        Process process =
                new ProcessBuilder(
                                "python3",
                                "src/test/scripts/fake_run_batch.py",
                                "-i",
                                input.toString(),
                                "-o",
                                output.toString(),
                                "--reject-mod",
                                rejectMod)
                        .redirectErrorStream(true)
                        .start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), log);
    }

    private static JsonNode evaluate(Path file) throws IOException {
        CliRun run = CliRun.of("evaluate", "--format", "json", file.toString());
        assertEquals(0, run.exitCode(), run.toString());
        return JSON.readTree(run.out()).get("runs").get(0);
    }

    private static JsonNode withoutFile(JsonNode run) {
        ObjectNode copy = run.deepCopy();
        copy.remove("file");
        return copy;
    }

    private static List<JsonNode> records(Path file) throws IOException {
        var records = new ArrayList<JsonNode>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            records.add(JSON.readTree(line));
        }
        return records;
    }

    private static JsonNode readTree(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int lineCount(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).size();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
