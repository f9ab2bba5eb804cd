package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run whose files were saved by Windows tools (a UTF-8 byte-order mark and CRLF line ends): data,
 * labels file, prompt template and API key file each with the mark, and all of them at once, behave
 * like plain files.
 */
class ByteOrderMarkEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOM = "\uFEFF";

    @TempDir Path dir;

    private FakeOpenAiServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = FakeOpenAiServer.start(request -> "label: Good");
        server.recordRequests(true);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @ParameterizedTest(name = "mark in: {0}")
    @ValueSource(strings = {"none", "data", "labels", "prompt", "key", "all"})
    void filesWithAByteOrderMarkReadLikePlainFiles(String marked) throws IOException {
        Set<String> withMark =
                marked.equals("all") ? Set.of("data", "labels", "prompt", "key") : Set.of(marked);
        Path data =
                write(
                        "excel.csv",
                        withMark.contains("data"),
                        "text,label\r\nnice day,Good\r\nawful day,1\r\n");
        Path labels = write("labels.txt", withMark.contains("labels"), "Good\r\nBad\r\n");
        Path prompt =
                write(
                        "prompt.txt",
                        withMark.contains("prompt"),
                        "Classify:\n{labels}\ntext: {text}\nlabel:\n");
        Path key = write("key.txt", withMark.contains("key"), "sk-test-1234\r\n");
        Path output = dir.resolve("out.jsonl");

        CliRun run =
                CliRun.of(
                        "classify",
                        "--data",
                        data.toString(),
                        "--labels-file",
                        labels.toString(),
                        "--prompt",
                        prompt.toString(),
                        "--api-key-file",
                        key.toString(),
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        output.toString(),
                        "--quiet");

        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(2, server.received().size());
        for (FakeOpenAiServer.ChatRequest request : server.received()) {
            assertEquals("Bearer sk-test-1234", request.header("Authorization"));
            assertFalse(request.prompt().contains(BOM), request.prompt());
            assertTrue(
                    request.prompt().startsWith("Classify:\n* Good\n* Bad\ntext: "),
                    request.prompt());
        }
        var gold = new ArrayList<String>();
        for (String line : Files.readAllLines(output)) {
            gold.add(JSON.readTree(line).get("gold").asText());
        }
        assertEquals(
                List.of("Good", "Bad"), gold.stream().sorted(Comparator.reverseOrder()).toList());
        JsonNode manifest = JSON.readTree(dir.resolve("out.jsonl.manifest.json").toFile());
        assertEquals(
                List.of("Good", "Bad"),
                List.of(
                        manifest.get("labels").get(0).asText(),
                        manifest.get("labels").get(1).asText()));
    }

    private Path write(String name, boolean mark, String content) throws IOException {
        return Files.writeString(
                dir.resolve(name), (mark ? BOM : "") + content, StandardCharsets.UTF_8);
    }
}
