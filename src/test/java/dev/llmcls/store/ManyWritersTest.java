package dev.llmcls.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real processes writing one store at once, and killed with SIGKILL while they write. */
@Timeout(300)
class ManyWritersTest {
    @TempDir Path dir;

    private static Process start(Path store, int writer, int count, Path log) throws IOException {
        String classPath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Xshare:auto",
                        "-cp",
                        classPath,
                        StoreWriterChild.class.getName(),
                        store.toString(),
                        Integer.toString(writer),
                        Integer.toString(count))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    /**
     * Waits (JVMs start slowly on a loaded machine) until the writers have committed something new.
     */
    private static void waitForMoreAnswers(Path store, long before, List<Process> writers)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.exists(store.resolve(AnswerStore.FILE))) {
                try (AnswerStore reader = AnswerStore.open(store)) {
                    if (reader.stats().answers() > before) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        writers.forEach(Process::destroyForcibly);
        throw new AssertionError("the writers wrote nothing in 120 s");
    }

    @Test
    void thirtyTwoProcessesWriteAtOnceAndAReaderFindsEveryAnswerOnce() throws Exception {
        Path store = dir.resolve("store");
        int writers = 32;
        int each = 100;
        var processes = new ArrayList<Process>();
        for (int w = 0; w < writers; w++) {
            processes.add(start(store, w, each, dir.resolve("writers.log")));
        }
        for (Process process : processes) {
            assertTrue(process.waitFor(240, TimeUnit.SECONDS), "a writer did not finish");
            assertEquals(
                    0,
                    process.exitValue(),
                    java.nio.file.Files.readString(dir.resolve("writers.log")));
        }
        try (AnswerStore reader = AnswerStore.open(store)) {
            assertEquals(writers * (long) each, reader.stats().answers());
            for (int w = 0; w < writers; w++) {
                for (int i = 0; i < each; i++) {
                    String request = StoreWriterChild.request(w, i);
                    AnswerStore.Found found = reader.find("m", request);
                    assertNotNull(found, "writer " + w + " answer " + i);
                    assertEquals(StoreWriterChild.answer(request), found.answer());
                    assertEquals("writer-" + w, found.runId());
                }
            }
            Map<String, Long> perRun = reader.answersPerRun();
            assertEquals(writers, perRun.size());
            perRun.values().forEach(n -> assertEquals(each, n));
            assertTrue(reader.check().ok(), reader.check().toString());
        }
    }

    @Test
    void aRunThatKeepsTheStoreOpenKeepsNoOtherWriterWaiting() throws Exception {
        Path store = dir.resolve("store");
        Path log = dir.resolve("writers.log");
        Process endless = start(store, 0, -1, log);
        try {
            waitForMoreAnswers(store, 0, List.of(endless));
            // a writer that held the store's write lock between its writes (as one did) kept this
            // one waiting out the busy timeout, after which it failed
            Process second = start(store, 1, 100, log);
            assertTrue(second.waitFor(240, TimeUnit.SECONDS), "the second writer did not finish");
            assertEquals(0, second.exitValue(), java.nio.file.Files.readString(log));
            assertTrue(endless.isAlive(), "the first writer ran all along");
            try (AnswerStore reader = AnswerStore.open(store)) {
                for (int i = 0; i < 100; i++) {
                    assertNotNull(reader.find("m", StoreWriterChild.request(1, i)), "answer " + i);
                }
            }
        } finally {
            endless.destroyForcibly();
            endless.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void writersKilledAtAnyMomentLeaveNoBrokenOrWrongAnswer() throws Exception {
        Path store = dir.resolve("store");
        long before = 0;
        for (int round = 0; round < 3; round++) {
            var processes = new ArrayList<Process>();
            for (int w = 0; w < 6; w++) {
                processes.add(start(store, round * 10 + w, -1, dir.resolve("writers.log")));
            }
            waitForMoreAnswers(store, before, processes);
            for (Process process : processes) {
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, 400));
                process.destroyForcibly(); // SIGKILL, mid-transaction or not
            }
            for (Process process : processes) {
                process.waitFor(30, TimeUnit.SECONDS);
            }
            try (AnswerStore reader = AnswerStore.open(store)) {
                before = reader.stats().answers();
            }
        }
        try (AnswerStore reader = AnswerStore.open(store)) {
            AnswerStore.Check check = reader.check();
            assertTrue(check.ok(), check.toString());
            long answers = reader.stats().answers();
            assertTrue(answers > 0, "the writers got some answers in before they were killed");
            try (var out = new java.io.StringWriter()) {
                reader.export(out);
                for (String line : out.toString().split("\n")) {
                    var entry = dev.llmcls.core.Json.MAPPER.readTree(line);
                    assertEquals(
                            StoreWriterChild.answer(entry.get("request").asText()),
                            entry.get("answer").asText());
                }
            }
        }
    }
}
