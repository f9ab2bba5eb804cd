package dev.llmcls.runfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs on one output: the second exits 2 at once, before sending anything, naming the holder; a
 * holder killed with SIGKILL leaves no lock behind (the kernel drops it with the process), so the
 * next run simply resumes.
 */
class OutputLockTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXAMPLES = 200;

    @TempDir Path dir;

    private FakeOpenAiServer server;
    private Path data;

    @BeforeEach
    void setUp() throws IOException {
        server = FakeOpenAiServer.start(request -> "label: World");
        server.faults(request -> Fault.delay(100));
        data = NumberedCsv.write(dir.resolve("data.csv"), "item ", EXAMPLES);
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
            "2",
            "--quiet"
        };
    }

    @Tag("slow") // a child JVM
    @Test
    void aSecondRunOnTheSameOutputExits2AtOnceNamingTheHolderAndSendsNothing() throws Exception {
        Path output = dir.resolve("shared.jsonl");
        Process child = ChildLlmcls.start(dir.resolve("child.log"), classifyArgs(output));
        try {
            awaitRequests(4);
            long listings = server.modelListings();
            int chats = server.chatRequests();
            long started = System.nanoTime();

            CliRun second = CliRun.of(classifyArgs(output));

            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertEquals(2, second.exitCode(), second.toString());
            assertTrue(millis < 5000, "refused at once, not after a run: " + millis + " ms");
            assertTrue(
                    second.err()
                            .contains(
                                    output
                                            + " is being written by another llmcls run (pid "
                                            + child.pid()
                                            + " on "),
                    second.err());
            assertTrue(second.err().contains("Nothing was sent"), second.err());
            assertEquals(
                    listings,
                    server.modelListings(),
                    "the second run did not even ask for the models");
            assertTrue(
                    server.chatRequests() <= chats + 2 * 2,
                    "only the child's requests in flight went on");
            assertTrue(child.isAlive(), "the holder is not disturbed");

            JsonNode holder = JSON.readTree(OutputLock.pathFor(output).toFile());
            assertEquals(child.pid(), holder.get("pid").asLong());
            assertTrue(
                    holder.hasNonNull("host") && holder.hasNonNull("started_at"),
                    holder.toString());
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Tag("slow") // a child JVM
    @Test
    void aLockLeftByARunKilledWithSigkillBlocksNobody() throws Exception {
        Path output = dir.resolve("killed.jsonl");
        Process child = ChildLlmcls.start(dir.resolve("child.log"), classifyArgs(output));
        awaitRequests(6);
        child.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook runs
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertTrue(
                Files.exists(OutputLock.pathFor(output)),
                "the lock file stays; only the kernel's lock is gone");
        int linesBefore = Files.readAllLines(output).size();
        assertTrue(linesBefore < EXAMPLES, "killed mid-run: " + linesBefore);

        server.faults(request -> Fault.none());
        CliRun resumed = CliRun.of(classifyArgs(output));

        assertEquals(0, resumed.exitCode(), resumed.toString());
        Set<String> ids = new HashSet<>();
        for (String line : Files.readAllLines(output)) {
            JsonNode record = JSON.readTree(line);
            if (record.get("error").isNull()) {
                assertTrue(ids.add(record.get("id").asText()), "answered twice: " + line);
            }
        }
        assertEquals(EXAMPLES, ids.size());
    }

    @Test
    void runsOneAfterAnotherInOneProcessTakeTheLockInTurn() {
        Path output = dir.resolve("sequential.jsonl");
        server.faults(request -> Fault.none());
        String[] args = {
            "classify",
            "--data",
            data.toString(),
            "--base-url",
            server.baseUrl(),
            "--output",
            output.toString(),
            "--limit",
            "3",
            "--quiet"
        };
        assertEquals(0, CliRun.of(args).exitCode());
        CliRun again = CliRun.of(args);
        assertEquals(0, again.exitCode(), "the first run released its lock: " + again);
    }

    private void awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.chatRequests() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(server.chatRequests() >= count, "the child run did not get going");
    }
}
