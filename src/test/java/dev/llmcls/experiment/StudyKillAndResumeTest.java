package dev.llmcls.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Kills a child {@code llmcls experiment run} of a 2 × 2 study (two servers, two cells each,
 * running side by side) with SIGKILL (and once SIGTERM) at random moments, runs the same command
 * again each time, and checks that every cell ends with exactly one successful record per example
 * and that the complete study, run again, sends nothing. (A killed child's requests stay in flight
 * at the stand-in while the next child starts, so the shared limit is checked in {@link
 * ExperimentEndToEndTest} instead.)
 */
@Tag("slow")
@Timeout(300)
class StudyKillAndResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXAMPLES = 150;
    private static final int LIMIT = 6;

    @TempDir Path dir;

    private FakeOpenAiServer one;
    private FakeOpenAiServer two;
    private Path file;

    @BeforeEach
    void setUp() throws IOException {
        one = FakeOpenAiServer.start(request -> "label: World");
        two = FakeOpenAiServer.start(request -> "label: Sports");
        one.faults(request -> Fault.delay(40));
        two.faults(request -> Fault.delay(40));
        NumberedCsv.write(
                dir.resolve("data.csv"), "item ", EXAMPLES, i -> i % 2 == 0 ? "World" : "Sports");
        file = dir.resolve("study.yaml");
        Files.writeString(
                file,
                """
                experiment: killed
                defaults: {data: data.csv, concurrency: %d, grace: 5s}
                grid:
                  mode: [basic, reason]
                  server:
                    one: {base-url: %s}
                    two: {base-url: %s}
                """
                        .formatted(LIMIT, one.baseUrl(), two.baseUrl()));
    }

    @AfterEach
    void tearDown() {
        one.close();
        two.close();
    }

    private String[] args() {
        return new String[] {
            "experiment",
            "run",
            file.toString(),
            "--output-dir",
            dir.resolve("out").toString(),
            "--progress-interval",
            "1s"
        };
    }

    private int sent() {
        return one.chatRequests() + two.chatRequests();
    }

    @Test
    void everyCellResumesWithNothingLostOrDuplicated() throws Exception {
        Path log = dir.resolve("child.log");
        var random = new Random(20261205);
        List<Integer> sentAfterRound = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            int before = sent();
            Process child = ChildLlmcls.start(log, args());
            awaitRequests(before + 10 + random.nextInt(60), child);
            Thread.sleep(random.nextInt(200));
            if (round == 3) {
                child.destroy();
                assertTrue(
                        child.waitFor(30, TimeUnit.SECONDS),
                        "SIGTERM ends the study within the grace");
                assertTrue(
                        child.exitValue() == 143 || child.exitValue() == 0,
                        "exit " + child.exitValue());
            } else {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            sentAfterRound.add(sent());
        }
        assertTrue(sent() < 4 * EXAMPLES, "the kills landed mid-study: " + sentAfterRound);
        Process last = ChildLlmcls.start(log, args());
        assertTrue(last.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, last.exitValue(), Files.readString(log));

        List<Path> outputs;
        try (var files = Files.list(dir.resolve("out/killed"))) {
            outputs = files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        assertEquals(4, outputs.size(), outputs.toString());
        for (Path output : outputs) {
            Map<String, Integer> successes = new HashMap<>();
            for (String line : Files.readAllLines(output)) {
                JsonNode record = JSON.readTree(line);
                if (record.get("error").isNull()) {
                    successes.merge(record.get("id").asText(), 1, Integer::sum);
                }
            }
            assertEquals(EXAMPLES, successes.size(), output + ": no example lost");
            assertTrue(
                    successes.values().stream().allMatch(n -> n == 1),
                    output + ": no example answered twice");
        }

        int complete = sent();
        CliRun again = CliRun.of(args());
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(complete, sent(), "a complete study sends no request");
        System.out.printf(
                "study kills: requests after each round %s, final %d%n", sentAfterRound, complete);
    }

    private void awaitRequests(int count, Process child) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sent() < count) {
            if (!child.isAlive()) {
                fail(
                        "the child exited ("
                                + child.exitValue()
                                + ") after "
                                + sent()
                                + " of "
                                + count
                                + " requests");
            }
            if (System.nanoTime() > deadline) {
                fail("only " + sent() + " of " + count + " requests arrived within 60 s");
            }
            Thread.sleep(5);
        }
    }
}
