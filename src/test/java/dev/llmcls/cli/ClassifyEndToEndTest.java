package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.Jsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code classify} and {@code evaluate} against the stand-in server on a small
 * scripted fixture.
 */
@Timeout(120)
class ClassifyEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/tiny.csv");

    /** The scripted answer for each fixture text, chosen to hit the seed rule's corner cases. */
    private static final Map<String, String> REPLIES =
            Map.of(
                    "Leaders meet in Geneva for peace talks", "label: World", // right
                    "Home team wins the cup final", "reason: a match.\nlabel: Sports", // right
                    "Shares climb after strong quarterly earnings",
                            "Label: Business", // right: no marker
                    "New chip design doubles battery life",
                            "label: Science and Technology", // wrong: split name
                    "Ceasefire holds along the border", "label: World Business", // multi, wrong
                    "Striker signs a record contract",
                            "label: Sports\nthe label is World", // wrong: last label
                    "Central bank leaves rates unchanged", "I think Business", // right
                    "Researchers unveil a {text} placeholder-looking, quoted title",
                            "label: Science | Technology", // right
                    "Election observers report a calm vote",
                            "label: Sports and World"); // multi, wrong

    @TempDir Path dir;

    private FakeOpenAiServer server;

    @BeforeEach
    void startServer() throws IOException {
        server =
                FakeOpenAiServer.start(
                        request -> {
                            String prompt = request.prompt();
                            String text =
                                    prompt.substring(
                                            prompt.indexOf("text: ") + 6,
                                            prompt.indexOf("\nlabel:"));
                            return REPLIES.getOrDefault(text, "no idea");
                        });
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void classifiesThenEvaluatesWithTheSeedRule() throws IOException {
        Path output = dir.resolve("basic.jsonl");
        CliRun run =
                CliRun.of(
                        "classify",
                        "--mode",
                        "basic",
                        "--data",
                        FIXTURE.toString(),
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        output.toString(),
                        "--concurrency",
                        "4");
        assertEquals(0, run.exitCode(), run.toString());

        List<JsonNode> records = Jsonl.read(output);
        assertEquals(9, records.size());
        var ids = new HashSet<String>();
        for (JsonNode record : records) {
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
                            "attempts"),
                    fieldNames(record));
            assertTrue(record.get("error").isNull());
            assertEquals(REPLIES.get(record.get("text").asText()), record.get("output").asText());
            ids.add(record.get("id").asText());
        }
        assertEquals(9, ids.size(), "one record per example");
        JsonNode braces =
                records.stream()
                        .filter(r -> r.get("id").asText().equals("7"))
                        .findFirst()
                        .orElseThrow();
        assertEquals("Science | Technology", braces.get("gold").asText());

        CliRun json = CliRun.of("evaluate", "--format", "json", output.toString());
        assertEquals(0, json.exitCode(), json.toString());
        JsonNode score = JSON.readTree(json.out()).get("runs").get(0);
        assertEquals(9, score.get("records").asInt());
        assertEquals(5, score.get("seed").get("right").asInt());
        assertEquals(2, score.get("seed").get("multi_label").asInt());
        assertEquals(5.0 / 9, score.get("seed").get("accuracy").asDouble(), 1e-12);
        assertEquals(0, score.get("errors").asInt());

        CliRun table = CliRun.of("evaluate", output.toString());
        assertTrue(
                table.out()
                        .lines()
                        .anyMatch(line -> line.contains("basic.jsonl") && line.contains("55.56%")),
                table.out());
    }

    @Test
    void sendsOneUserMessageOverHttp11WithTheSeedSampling() throws IOException {
        Path output = dir.resolve("reason.jsonl");
        CliRun run =
                CliRun.of(
                        "classify",
                        "--mode",
                        "reason",
                        "--data",
                        FIXTURE.toString(),
                        "--limit",
                        "2",
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        output.toString());
        assertEquals(0, run.exitCode(), run.toString());

        List<FakeOpenAiServer.ChatRequest> requests = server.received();
        assertEquals(2, requests.size());
        for (var request : requests) {
            assertEquals("HTTP/1.1", request.protocol());
            assertNull(request.header("Upgrade"), "an h2c upgrade makes uvicorn drop the body");
            JsonNode body = request.body();
            assertEquals("glm-4-9b-chat", body.get("model").asText());
            assertEquals(1, body.get("messages").size());
            assertEquals("user", body.get("messages").get(0).get("role").asText());
            assertTrue(request.prompt().contains("请你一步一步思考,首先在reason中说明你的判断理由"), request.prompt());
            assertEquals(0.0, body.get("temperature").asDouble());
            assertEquals(1024, body.get("max_tokens").asInt());
            assertEquals("[151329,151336,151338]", body.get("stop_token_ids").toString());
        }

        JsonNode manifest = JSON.readTree(dir.resolve("reason.jsonl.manifest.json").toFile());
        assertEquals("glm-4-9b-chat", manifest.get("model").asText());
        assertEquals("complete", manifest.get("status").asText());
        assertEquals(2, manifest.get("counts").get("succeeded").asInt());
        assertEquals(64, manifest.get("template").get("sha256").asText().length());
        assertEquals(64, manifest.get("data").get("sha256").asText().length());
        assertEquals(
                List.of("World", "Sports", "Business", "Science | Technology"),
                JSON.convertValue(manifest.get("labels"), List.class));
    }

    @Test
    void apiKeyReachesTheServerButNoFile() throws IOException {
        Path keyFile = Files.writeString(dir.resolve("key"), "sk-test-SECRET-1234\n");
        Path output = dir.resolve("keyed.jsonl");
        CliRun run =
                CliRun.of(
                        "classify",
                        "--data",
                        FIXTURE.toString(),
                        "--limit",
                        "1",
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        output.toString(),
                        "--api-key-file",
                        keyFile.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(
                "Bearer sk-test-SECRET-1234", server.received().get(0).header("Authorization"));
        for (Path file : List.of(output, dir.resolve("keyed.jsonl.manifest.json"))) {
            assertFalse(Files.readString(file).contains("SECRET"), file + " leaks the key");
        }
        assertFalse(run.err().contains("SECRET") || run.out().contains("SECRET"));
    }

    @Test
    void promptTooLongForTheContextIsRecordedAndExitsOne() throws IOException {
        server.contextLength(1050);
        Path output = dir.resolve("long.jsonl");
        CliRun run =
                CliRun.of(
                        "classify",
                        "--data",
                        FIXTURE.toString(),
                        "--limit",
                        "3",
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        output.toString());
        assertEquals(1, run.exitCode(), run.toString());
        List<JsonNode> records = Jsonl.read(output);
        assertEquals(3, records.size());
        for (JsonNode record : records) {
            assertTrue(record.get("output").isNull());
            assertTrue(
                    record.get("error").asText().contains("maximum context length"),
                    record.toString());
            assertEquals(1, record.get("attempts").asInt(), "a 400 is not retried");
        }
        assertTrue(run.err().contains("rejected 3"), run.err());
    }

    @Test
    void progressGoesToStderrAsLinesAndQuietSilencesIt() {
        server.faults(request -> FakeOpenAiServer.Fault.delay(30));
        CliRun chatty =
                CliRun.of(
                        "classify",
                        "--data",
                        FIXTURE.toString(),
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        dir.resolve("p.jsonl").toString(),
                        "--concurrency",
                        "1",
                        "--progress-interval",
                        "50ms");
        assertEquals(0, chatty.exitCode(), chatty.toString());
        assertTrue(chatty.err().contains("progress: "), chatty.err());
        assertTrue(chatty.err().contains("done: 9 examples (9 ok, 0 failed)"), chatty.err());
        assertEquals("", chatty.out(), "stdout is kept for results");

        CliRun quiet =
                CliRun.of(
                        "classify",
                        "--data",
                        FIXTURE.toString(),
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        dir.resolve("q.jsonl").toString(),
                        "--progress-interval",
                        "50ms",
                        "--quiet");
        assertEquals(0, quiet.exitCode(), quiet.toString());
        assertEquals("", quiet.err());
        assertEquals("", quiet.out());
    }

    @Test
    void formatIsGivenInLowerCaseAsTheHelpShowsIt() {
        CliRun run =
                CliRun.of(
                        "classify",
                        "--format",
                        "csv",
                        "--data",
                        FIXTURE.toString(),
                        "--limit",
                        "2",
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        dir.resolve("f.jsonl").toString());
        assertEquals(0, run.exitCode(), run.toString());
        CliRun wrong =
                CliRun.of(
                        "classify",
                        "--format",
                        "agnews",
                        "--data",
                        FIXTURE.toString(),
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        dir.resolve("g.jsonl").toString());
        assertEquals(2, wrong.exitCode(), "a header row is not an AG News row: " + wrong);
        assertTrue(CliRun.of("classify", "--help").out().contains("agnews, csv, jsonl"));
    }

    @Test
    void aPlaceholderTheDataLacksStopsBeforeAnyRequest() throws IOException {
        // any {name} is a dataset field since issue 21: a typo is a field the data does not have
        Path template = Files.writeString(dir.resolve("bad.txt"), "classify {txt}\n");
        CliRun run =
                CliRun.of(
                        "classify",
                        "--data",
                        FIXTURE.toString(),
                        "--prompt",
                        template.toString(),
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        dir.resolve("x.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("no column 'txt'"), run.err());
        assertEquals(0, server.chatRequests());
    }

    @Test
    void noServerExitsTwoAndSaysWhatToStart() {
        int port = server.port();
        server.close();
        CliRun run =
                CliRun.of(
                        "classify",
                        "--data",
                        FIXTURE.toString(),
                        "--base-url",
                        "http://127.0.0.1:" + port + "/v1",
                        "--output",
                        dir.resolve("x.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("no OpenAI-compatible server answers"), run.err());
        assertFalse(Files.exists(dir.resolve("x.jsonl")));
    }

    @Test
    void modelTheServerDoesNotServeExitsTwo() {
        CliRun run =
                CliRun.of(
                        "classify",
                        "--data",
                        FIXTURE.toString(),
                        "--base-url",
                        server.baseUrl(),
                        "--model",
                        "llama-3",
                        "--output",
                        dir.resolve("x.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("does not serve model 'llama-3'"), run.err());
    }

    @Test
    void malformedDataRowExitsTwoNamingFileAndLine() throws IOException {
        Path data =
                Files.writeString(dir.resolve("bad.csv"), "text,label\nok,World\nbad,Weather\n");
        CliRun run =
                CliRun.of(
                        "classify",
                        "--data",
                        data.toString(),
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        dir.resolve("x.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains(data + ":3:"), run.err());
        assertEquals(0, server.chatRequests());
    }

    private static List<String> fieldNames(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
