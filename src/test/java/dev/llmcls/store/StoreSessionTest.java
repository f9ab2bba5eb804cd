package dev.llmcls.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.llm.AnswerMemory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session answers from the store without a query for what the store cannot hold (its keys are
 * mirrored in memory): these check that the mirror learns every answer that reaches the store, by
 * this run or by another process.
 */
class StoreSessionTest {
    @TempDir Path dir;

    private StoreSession open() {
        return StoreSession.open(
                new StoreSettings(dir, StoreSettings.Use.READ_WRITE, false),
                "this-run",
                line -> {});
    }

    private static void putAsAnotherProcess(Path dir, String model, String request) {
        try (AnswerStore other = AnswerStore.open(dir)) {
            other.put(
                    List.of(
                            new AnswerStore.Entry(
                                    model,
                                    request,
                                    "{\"other\":1}",
                                    false,
                                    "other-run",
                                    Instant.now())),
                    false);
        }
    }

    /**
     * Asks until {@code found} gives an answer (the writer learns in the background), at most 10 s.
     */
    private static AnswerMemory.Recalled eventually(Supplier<AnswerMemory.Recalled> found)
            throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        AnswerMemory.Recalled recalled;
        while ((recalled = found.get()) == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return recalled;
    }

    @Test
    void findsWhatTheStoreHeldWhenItOpened() {
        putAsAnotherProcess(dir, "m", "{\"q\":1}");
        try (StoreSession session = open()) {
            AnswerMemory memory = session.forModel("m");
            AnswerMemory.Recalled recalled = memory.lookUp(body("{\"q\":1}"), false).recalled();
            assertNotNull(recalled);
            assertEquals("other-run", recalled.from());
            assertNull(memory.lookUp(body("{\"q\":2}"), false).recalled(), "never stored");
            assertNull(
                    session.forModel("m2").lookUp(body("{\"q\":1}"), false).recalled(),
                    "another model");
        }
    }

    /** Waits until the session's mirror of the store's keys answers (at most 10 s). */
    private static void awaitMirror(StoreSession session) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!session.keysMirrored() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(session.keysMirrored(), "the store's keys were read");
    }

    @Test
    void findsWhatAnotherProcessStoresWhileItRuns() throws InterruptedException {
        try (StoreSession session = open()) {
            AnswerMemory memory = session.forModel("m");
            awaitMirror(session); // from now on only what the mirror learns is looked up
            assertNull(memory.lookUp(body("{\"q\":1}"), false).recalled());
            putAsAnotherProcess(dir, "m", "{\"q\":1}");
            AnswerMemory.Recalled recalled =
                    eventually(() -> memory.lookUp(body("{\"q\":1}"), false).recalled());
            assertNotNull(recalled, "learnt while the session was idle");
            assertEquals("other-run", recalled.from());
        }
    }

    @Test
    void findsWhatItKeptItselfAndWhatOthersStoredBetweenItsWrites() throws InterruptedException {
        try (StoreSession session = open()) {
            AnswerMemory memory = session.forModel("m");
            awaitMirror(session);
            memory.lookUp(body("{\"q\":1}"), false).keep("{\"mine\":1}");
            AnswerMemory.Recalled mine =
                    eventually(() -> memory.lookUp(body("{\"q\":1}"), false).recalled());
            assertNotNull(mine, "an answer this run kept, once written");
            assertEquals("this-run", mine.from());

            putAsAnotherProcess(dir, "m", "{\"q\":2}");
            memory.lookUp(body("{\"q\":3}"), false).keep("{\"mine\":3}");
            assertNotNull(eventually(() -> memory.lookUp(body("{\"q\":3}"), false).recalled()));
            assertNotNull(
                    eventually(() -> memory.lookUp(body("{\"q\":2}"), false).recalled()),
                    "another process's answer, stored before this run's next write");
        }
        try (AnswerStore store = AnswerStore.open(dir)) {
            assertEquals(3, store.stats().answers());
        }
    }

    /** A request body as a run sends it: its UTF-8 bytes. */
    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
