package dev.llmcls.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.runfile.Manifest;
import dev.llmcls.testing.ChildLlmcls;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.FakeOpenAiServer.Fault;
import dev.llmcls.testing.NumberedCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real child {@code llmcls classify} with SIGKILL and SIGTERM at random moments, re-runs it
 * each time, and checks that the finished file holds exactly one successful record per example and
 * scores like a run that was never interrupted.
 */
@Tag("slow")
@Timeout(300)
class KillAndResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXAMPLES = 600;

    @TempDir Path dir;

    private FakeOpenAiServer server;
    private Path data;

    @BeforeEach
    void setUp() throws IOException {
        // Deterministic answers: right, wrong or multi-label depending on the item number.
        server =
                FakeOpenAiServer.start(
                        request -> {
                            String prompt = request.prompt();
                            int item =
                                    Integer.parseInt(
                                            prompt.substring(
                                                    prompt.indexOf("item ") + 5,
                                                    prompt.indexOf("\nlabel:")));
                            return switch (item % 4) {
                                case 0 -> "label: World";
                                case 1 -> "reason: about games\nlabel: Sports";
                                case 2 -> "label: World Business";
                                default -> "Business";
                            };
                        });
        server.faults(request -> Fault.delay(80));
        data =
                NumberedCsv.write(
                        dir.resolve("data.csv"),
                        "item ",
                        EXAMPLES,
                        i -> i % 2 == 0 ? "World" : "Sports");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private String[] classifyArgs(Path output) {
        return new String[] {
            "classify",
            "--data",
            data.toString(),
            "--base-url",
            server.baseUrl(),
            "--output",
            output.toString(),
            "--concurrency",
            "8",
            "--grace",
            "5s",
            "--progress-interval",
            "1s"
        };
    }

    @Test
    void survivesRepeatedKillsWithNothingLostOrDuplicated() throws Exception {
        Path output = dir.resolve("killed.jsonl");
        Path log = dir.resolve("child.log");
        var random = new Random(20261125);
        int sigkills = 0;
        int sigterms = 0;
        List<Integer> termExitCodes = new ArrayList<>();
        List<Integer> linesAfterRound = new ArrayList<>();
        for (int round = 0; round < 12; round++) {
            int sentBefore = server.chatRequests();
            Process child = ChildLlmcls.start(log, classifyArgs(output));
            awaitRequests(
                    sentBefore + 1 + random.nextInt(40),
                    child); // a random moment after the run got going
            Thread.sleep(random.nextInt(300));
            if (round % 3 == 2) {
                child.destroy(); // SIGTERM: a clean stop
                sigterms++;
                assertTrue(
                        child.waitFor(30, TimeUnit.SECONDS),
                        "SIGTERM must end the run within its grace");
                termExitCodes.add(child.exitValue());
            } else {
                child.destroyForcibly(); // SIGKILL: no chance to clean up
                sigkills++;
                child.waitFor(30, TimeUnit.SECONDS);
            }
            linesAfterRound.add(Files.exists(output) ? Files.readAllLines(output).size() : 0);
        }
        long roundsThatProgressed =
                java.util.stream.IntStream.range(0, linesAfterRound.size())
                        .filter(
                                i ->
                                        linesAfterRound.get(i)
                                                > (i == 0 ? 0 : linesAfterRound.get(i - 1)))
                        .count();
        assertTrue(
                roundsThatProgressed >= 8
                        && linesAfterRound.get(linesAfterRound.size() - 1) < EXAMPLES,
                "the kills must land mid-run: lines after each round " + linesAfterRound);
        Process last = ChildLlmcls.start(log, classifyArgs(output));
        assertTrue(last.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, last.exitValue(), Files.readString(log));

        Map<String, Integer> successes = new HashMap<>();
        List<String> lines = Files.readAllLines(output);
        for (String line : lines) {
            JsonNode record = JSON.readTree(line); // every line whole: a cut line would not parse
            if (record.get("error").isNull()) {
                successes.merge(record.get("id").asText(), 1, Integer::sum);
            }
        }
        assertEquals(EXAMPLES, successes.size(), "no example lost");
        assertTrue(successes.values().stream().allMatch(n -> n == 1), "no example answered twice");
        for (int code : termExitCodes) {
            assertTrue(
                    code == 143 || code == 0,
                    "SIGTERM exit code " + code); // 0 if the run had just finished
        }

        Path reference = dir.resolve("reference.jsonl");
        assertEquals(0, CliRun.of(classifyArgs(reference)).exitCode());
        assertEquals(seedFigures(reference), seedFigures(output));
        System.out.printf(
                "kills survived: %d SIGKILL + %d SIGTERM, lines after each round %s, final %d"
                        + " lines, 0 lost, 0 duplicated%n",
                sigkills, sigterms, linesAfterRound, lines.size());
    }

    @Test
    void sigtermStopsCleanlyKeepingEveryAnswerThatArrived() throws Exception {
        server.faults(request -> Fault.delay(300));
        Path output = dir.resolve("term.jsonl");
        Path log = dir.resolve("term.log");
        Process child = ChildLlmcls.start(log, classifyArgs(output));
        awaitRequests(12, child);
        child.destroy();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(143, child.exitValue(), Files.readString(log));
        int sent = server.chatRequests();
        List<String> lines = Files.readAllLines(output);
        assertEquals(
                sent, lines.size(), "every request that was in flight was waited for and recorded");
        assertTrue(lines.size() < EXAMPLES);
        for (String line : lines) {
            assertTrue(JSON.readTree(line).get("error").isNull(), line);
        }
        JsonNode manifest = JSON.readTree(Manifest.pathFor(output).toFile());
        assertEquals("stopped", manifest.get("status").asText());
        assertEquals("SIGTERM received", manifest.get("stop_reason").asText());
        assertTrue(
                Files.readString(log).contains("Re-run the same command to resume"),
                Files.readString(log));
    }

    /**
     * Waits until the stand-in server has seen {@code count} chat requests. Defect: this used to
     * give up silently after 60 s, so a run that never got going let the test carry on; now it
     * fails, saying so.
     */
    private void awaitRequests(int count, Process child) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.chatRequests() < count) {
            if (!child.isAlive()) {
                fail(
                        "the child exited ("
                                + child.exitValue()
                                + ") after "
                                + server.chatRequests()
                                + " of "
                                + count
                                + " requests");
            }
            if (System.nanoTime() > deadline) {
                fail(
                        "only "
                                + server.chatRequests()
                                + " of "
                                + count
                                + " requests arrived within 60 s");
            }
            Thread.sleep(5);
        }
    }

    private static JsonNode seedFigures(Path file) throws IOException {
        CliRun run = CliRun.of("evaluate", "--format", "json", file.toString());
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode score = JSON.readTree(run.out()).get("runs").get(0);
        return JSON.createObjectNode()
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("seed", score.get("seed"))
                .put("records", score.get("records").asInt())
                .put("errors", score.get("errors").asInt());
    }
}
