package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --concurrency auto} (the default) keeps a vLLM server's batch full and learns other
 * servers' capacity.
 */
@Timeout(120)
class ConcurrencyOptionTest {
    private static final int EXAMPLES = 150;
    private static final Duration HOLD_LIMIT = Duration.ofSeconds(10);

    @TempDir Path dir;

    private Path data() throws IOException {
        List<String> lines = new ArrayList<>(List.of("text,label"));
        for (int i = 0; i < EXAMPLES; i++) {
            lines.add("example number " + i + ",Sports");
        }
        return Files.write(dir.resolve("data.csv"), lines);
    }

    /**
     * Runs classify against a server that holds every answer until {@code releaseAt} requests have
     * been in flight at once (or {@link #HOLD_LIMIT} has passed for that request), and returns the
     * most that were ever in flight. The answers wait for the overlap itself rather than for a
     * fixed time, so a slow or loaded machine cannot make the requests miss each other; a client
     * that never reaches {@code releaseAt} is simply held for the limit.
     */
    private int maxInFlight(String ownedBy, int releaseAt, String... extra) throws IOException {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(request -> "label: Sports")) {
            server.ownedBy(ownedBy);
            server.faults(
                    request -> {
                        long deadline = System.nanoTime() + HOLD_LIMIT.toNanos();
                        while (server.maxInFlight() < releaseAt && System.nanoTime() < deadline) {
                            sleepBriefly();
                        }
                        return FakeOpenAiServer.Fault.none();
                    });
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "classify",
                                    "--data",
                                    data().toString(),
                                    "--base-url",
                                    server.baseUrl(),
                                    "--output",
                                    dir.resolve(ownedBy + ".jsonl").toString()));
            args.addAll(List.of(extra));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(EXAMPLES, server.chatRequests());
            return server.maxInFlight();
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void againstVllmTheDefaultSendsMoreThanTheOldFixed64() throws IOException {
        assertTrue(
                maxInFlight("vllm", 65) > 64,
                "a vLLM batch of 256 or 1024 would be left part idle");
    }

    @Test
    void againstOtherServersTheDefaultStartsAt32AndLearnsFromThere() throws IOException {
        // the first 32 requests go out together (the answers wait for all 32);
        // AutoConcurrencyEndToEndTest shows
        // where the limit goes from there
        assertTrue(maxInFlight("library", 32) >= 32);
    }

    @Test
    void anExplicitNumberWinsOverAuto() throws IOException {
        assertEquals(8, maxInFlight("vllm", 8, "--concurrency", "8"));
    }

    @Test
    void zeroOrWordsAreUsageErrors() {
        for (String bad : List.of("0", "-3", "many")) {
            CliRun run = CliRun.of("classify", "--data", "x.csv", "--concurrency", bad);
            assertEquals(2, run.exitCode(), run.toString());
            assertTrue(run.err().contains("--concurrency"), run.toString());
        }
    }
}
