package dev.llmcls.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.FakeOpenAiServer.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Several {@code --base-url}s: the load is spread, and a broken replica does not sink the run. */
@Timeout(120)
class MultiServerTest {
    @TempDir Path dir;

    private Path data(int rows) throws IOException {
        var csv = new StringBuilder("text,label\n");
        for (int i = 0; i < rows; i++) {
            csv.append("item ").append(i).append(",World\n");
        }
        return Files.writeString(dir.resolve("data.csv"), csv);
    }

    @Test
    void spreadsRequestsOverReplicasWithinEachOnesLimit() throws IOException {
        try (var a = FakeOpenAiServer.start(r -> "label: World");
                var b = FakeOpenAiServer.start(r -> "label: World")) {
            a.faults(r -> Fault.delay(20));
            b.faults(r -> Fault.delay(20));
            CliRun run =
                    CliRun.of(
                            "classify",
                            "--data",
                            data(120).toString(),
                            "--base-url",
                            a.baseUrl(),
                            "--base-url",
                            b.baseUrl(),
                            "--concurrency",
                            "4",
                            "--output",
                            dir.resolve("o.jsonl").toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(120, a.chatRequests() + b.chatRequests());
            assertTrue(
                    a.chatRequests() >= 40 && b.chatRequests() >= 40,
                    a.chatRequests() + " vs " + b.chatRequests());
            assertTrue(
                    a.maxInFlight() <= 4 && b.maxInFlight() <= 4,
                    a.maxInFlight() + ", " + b.maxInFlight());
            assertTrue(run.err().contains("requests per server: "), run.err());
        }
    }

    @Test
    void brokenReplicaIsSetAsideAndTheOthersFinishTheRun() throws IOException {
        try (var good = FakeOpenAiServer.start(r -> "label: World");
                var bad = FakeOpenAiServer.start(r -> "x")) {
            bad.faults(r -> Fault.status(503));
            CliRun run =
                    CliRun.of(
                            "classify",
                            "--data",
                            data(60).toString(),
                            "--base-url",
                            bad.baseUrl(),
                            "--base-url",
                            good.baseUrl(),
                            "--concurrency",
                            "2",
                            "--retry-delay",
                            "5ms",
                            "--output",
                            dir.resolve("o.jsonl").toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(60, Files.readAllLines(dir.resolve("o.jsonl")).size());
            assertTrue(
                    bad.chatRequests() < 10,
                    "set aside after a few failures, got " + bad.chatRequests());
        }
    }

    @Test
    void replicaDownAtStartIsSetAsideWithAWarning() throws IOException {
        int deadPort;
        try (var dead = FakeOpenAiServer.start(r -> "x")) {
            deadPort = dead.port();
        }
        try (var good = FakeOpenAiServer.start(r -> "label: World")) {
            CliRun run =
                    CliRun.of(
                            "classify",
                            "--data",
                            data(10).toString(),
                            "--base-url",
                            "http://127.0.0.1:" + deadPort + "/v1",
                            "--base-url",
                            good.baseUrl(),
                            "--retry-delay",
                            "5ms",
                            "--output",
                            dir.resolve("o.jsonl").toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.err().contains("does not answer; set aside"), run.err());
            assertEquals(10, good.chatRequests());
        }
    }
}
