package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.Jsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --truncate}: long texts cut before they are sent, each cut recorded with the original
 * length.
 */
@Timeout(120)
class TruncateEndToEndTest {
    private static final String LONG =
            "one two three four five six seven eight nine ten eleven twelve";
    private static final String SHORT = "tiny";

    @TempDir Path dir;

    private FakeOpenAiServer server;
    private Path data;

    @BeforeEach
    void start() throws IOException {
        server = FakeOpenAiServer.start(request -> "label: World");
        server.recordRequests(true);
        data =
                Files.writeString(
                        dir.resolve("d.jsonl"),
                        "{\"text\": \""
                                + LONG
                                + "\", \"label\": 0}\n"
                                + "{\"text\": \""
                                + SHORT
                                + "\", \"label\": 1}\n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRun classify(String... extra) {
        var args =
                new ArrayList<>(
                        List.of(
                                "classify",
                                "--data",
                                data.toString(),
                                "--base-url",
                                server.baseUrl(),
                                "--output",
                                dir.resolve("out.jsonl").toString(),
                                "--concurrency",
                                "1",
                                "--max-tokens",
                                "8"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private String sentText(int request) {
        String prompt = server.received().get(request).prompt();
        return prompt.substring(prompt.lastIndexOf("text: ") + 6, prompt.lastIndexOf("\nlabel:"));
    }

    private JsonNode manifest() throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dev.llmcls.runfile.Manifest.pathFor(dir.resolve("out.jsonl")).toFile());
    }

    private List<JsonNode> records() throws IOException {
        return Jsonl.read(dir.resolve("out.jsonl"));
    }

    @Test
    void charactersAreCutFromTheEndAndRecorded() throws IOException {
        CliRun run = classify("--truncate", "chars:13");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("one two three", sentText(0));
        assertEquals(SHORT, sentText(1));
        JsonNode cut = records().get(0);
        assertEquals("one two three", cut.get("text").asText(), "the record holds the text sent");
        assertEquals(
                "{\"unit\":\"chars\",\"original\":"
                        + LONG.length()
                        + ",\"kept\":13,\"from\":\"end\"}",
                cut.get("truncated").toString());
        assertFalse(records().get(1).has("truncated"), "a text within the limit is not marked");
    }

    @Test
    void tokensAreCountedAndCutByTheServersTokenizer() throws IOException {
        CliRun run = classify("--truncate", "tokens:4:middle");
        assertEquals(0, run.exitCode(), run.toString());
        // the stand-in's tokens are words with their leading space: 12 of them; the middle cut
        // keeps 2 + 2
        assertEquals("one two [...]  eleven twelve", sentText(0));
        assertEquals(
                "{\"unit\":\"tokens\",\"original\":12,\"kept\":4,\"from\":\"middle\"}",
                records().get(0).get("truncated").toString());
        assertTrue(server.tokenizeRequests() >= 3, "the probe and one per example");
        JsonNode sampling = manifest().get("sampling");
        assertEquals("tokens:4:middle", sampling.get("truncate").asText());
        assertEquals("server", sampling.get("truncate_count").asText());
    }

    @Test
    void withoutATokenizerTokensAreEstimatedAtFourCharactersAndSaidSo() throws IOException {
        server.tokenizeEndpoints(false);
        CliRun run = classify("--truncate", "tokens:3");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(
                run.err()
                        .contains(
                                "the server has no /tokenize; tokens are estimated as 4 characters"
                                        + " each"),
                run.err());
        assertEquals(LONG.substring(0, 12), sentText(0));
        assertEquals(
                "{\"unit\":\"approx_tokens\",\"original\":"
                        + (LONG.length() + 3) / 4
                        + ",\"kept\":3,"
                        + "\"from\":\"end\"}",
                records().get(0).get("truncated").toString());
        assertEquals("approx_4_chars", manifest().get("sampling").get("truncate_count").asText());
    }

    @Test
    void withoutTruncateAnOverflowStaysOneRecordedErrorAndWithItTheRunFits() throws IOException {
        data =
                Files.writeString(
                        dir.resolve("long.jsonl"),
                        "{\"text\": \""
                                + "word ".repeat(300)
                                + "\", \"label\": 0}\n"
                                + "{\"text\": \""
                                + SHORT
                                + "\", \"label\": 1}\n");
        Path prompt = Files.writeString(dir.resolve("p.txt"), "text: {text}\nlabel:");
        server.contextLength(
                100); // the long example's prompt is 300 of the stand-in's tokens and more
        CliRun whole = classify("--max-attempts", "1", "--prompt", prompt.toString());
        assertEquals(1, whole.exitCode(), whole.toString());
        List<JsonNode> records = records();
        assertTrue(
                records.get(0).get("error").asText().contains("maximum context length"),
                records.get(0).toString());
        assertTrue(records.get(1).get("error").isNull());

        CliRun cut =
                classify("--truncate", "tokens:20", "--overwrite", "--prompt", prompt.toString());
        assertEquals(0, cut.exitCode(), cut.toString());
        assertTrue(records().stream().allMatch(r -> r.get("error").isNull()));
    }

    @Test
    void aResumeWithOtherTruncationIsRefused() {
        assertEquals(0, classify("--truncate", "chars:13").exitCode());
        CliRun other = classify("--truncate", "chars:20");
        assertEquals(2, other.exitCode(), other.toString());
        assertTrue(other.err().contains("text truncation (--truncate)"), other.err());
    }

    @Test
    void aTruncateOptionItCannotReadStopsBeforeAnyRequest() {
        CliRun run = classify("--truncate", "words:10");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--truncate"), run.err());
        assertEquals(0, server.chatRequests());
    }
}
