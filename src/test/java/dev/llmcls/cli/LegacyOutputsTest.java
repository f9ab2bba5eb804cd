package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Outputs and manifests written by llmcls before the issue-14 redesign (src/test/resources/legacy,
 * made by the code of commit 2232063 against the stand-in server and the bundled embedding model;
 * each {@code NAME.command.txt} holds the options that wrote {@code NAME.jsonl}) still resume and
 * still evaluate to the very same figures.
 */
@Timeout(120)
class LegacyOutputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LEGACY = Path.of("src/test/resources/legacy");
    private static final String DATA = "src/test/resources/fixtures/tiny.csv";

    @TempDir Path dir;

    /**
     * Runs that talked to a server: the one example that failed (HTTP 400) is asked again, the rest
     * are kept.
     */
    @ParameterizedTest
    @ValueSource(strings = {"basic", "votes", "choice", "fewshot"})
    void aPromptingRunResumesAndRetriesOnlyItsFailedExample(String name) throws IOException {
        List<String> before = copy(name);
        try (var server = FakeOpenAiServer.start(request -> "label: World")) {
            CliRun run = classify(name, "--base-url", server.baseUrl());
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(1, server.chatRequests(), "only the failed example is sent again");
            assertTrue(server.received().get(0).prompt().contains("Election observers"));
        }
        List<String> after = Files.readAllLines(dir.resolve(name + ".jsonl"));
        assertEquals(before, after.subList(0, before.size()), "the old records stay as they were");
        assertEquals(before.size() + 1, after.size());
        JsonNode retried = JSON.readTree(after.get(after.size() - 1));
        assertEquals("8", retried.get("id").asText());
        assertTrue(retried.get("error").isNull(), retried.toString());
        JsonNode manifest = JSON.readTree(dir.resolve(name + ".jsonl.manifest.json").toFile());
        JsonNode old = JSON.readTree(LEGACY.resolve(name + ".jsonl.manifest.json").toFile());
        assertEquals(
                old.get("sampling"),
                manifest.get("sampling"),
                "the manifest's settings are written as before");
        assertEquals("complete", manifest.get("status").asText());
    }

    /**
     * Embedded runs: complete already, so a resume sends nothing, adds nothing and writes the same
     * settings.
     */
    @Tag("slow") // loads the bundled embedding model
    @ParameterizedTest
    @ValueSource(strings = {"knn", "similarity"})
    void anEmbeddedRunResumesWithNothingLeftToDo(String name) throws IOException {
        List<String> before = copy(name);
        CliRun run = classify(name);
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(before, Files.readAllLines(dir.resolve(name + ".jsonl")));
        JsonNode manifest = JSON.readTree(dir.resolve(name + ".jsonl.manifest.json").toFile());
        JsonNode old = JSON.readTree(LEGACY.resolve(name + ".jsonl.manifest.json").toFile());
        assertEquals(old.get("sampling"), manifest.get("sampling"));
        assertEquals(9, manifest.path("counts").path("skipped").asInt());
    }

    @Test
    void everyLegacyRunEvaluatesToTheSameJson() throws IOException {
        var args =
                new ArrayList<>(
                        List.of(
                                "evaluate",
                                "--format",
                                "json",
                                "--alias",
                                "Sci/Tech=Science | Technology"));
        for (String name : List.of("basic", "votes", "choice", "fewshot", "knn", "similarity")) {
            args.add(LEGACY.resolve(name + ".jsonl").toString());
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(
                JSON.readTree(LEGACY.resolve("evaluate.json").toFile()), JSON.readTree(run.out()));
        assertEquals(Files.readString(LEGACY.resolve("evaluate.json")), run.out(), "byte for byte");
    }

    @Test
    void theTableReportIsUnchanged() throws IOException {
        CliRun run =
                CliRun.of(
                        "evaluate",
                        "--per-class",
                        "--alias",
                        "Sci/Tech=Science | Technology",
                        LEGACY.resolve("basic.jsonl").toString(),
                        LEGACY.resolve("votes.jsonl").toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(Files.readString(LEGACY.resolve("evaluate-table.txt")), run.out());
    }

    private List<String> copy(String name) throws IOException {
        Files.copy(LEGACY.resolve(name + ".jsonl"), dir.resolve(name + ".jsonl"));
        Files.copy(
                LEGACY.resolve(name + ".jsonl.manifest.json"),
                dir.resolve(name + ".jsonl.manifest.json"));
        return Files.readAllLines(dir.resolve(name + ".jsonl"));
    }

    private CliRun classify(String name, String... server) throws IOException {
        var args =
                new ArrayList<>(
                        List.of(
                                "classify",
                                "--data",
                                DATA,
                                "--quiet",
                                "--concurrency",
                                "1",
                                "--output",
                                dir.resolve(name + ".jsonl").toString(),
                                "--embedding-cache",
                                "none"));
        args.addAll(List.of(server));
        args.addAll(Files.readAllLines(LEGACY.resolve(name + ".command.txt")));
        return CliRun.of(args.toArray(String[]::new));
    }
}
