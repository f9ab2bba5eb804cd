package dev.llmcls.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lock file's holder: alive only when its pid runs here and started when the lock file says. */
class HolderTest {
    @TempDir Path dir;

    private Holder holder(long pid, String host, Instant started) throws IOException {
        Path lock = dir.resolve("run.jsonl.lock");
        Files.writeString(
                lock,
                "{\"pid\":%d,\"host\":\"%s\",\"started_at\":\"%s\",\"locked_at\":\"%s\"}\n"
                        .formatted(pid, host, started, Instant.now()));
        return Holder.of(lock, "here").orElseThrow();
    }

    @Test
    void thisProcessIsAlive() throws IOException {
        ProcessHandle self = ProcessHandle.current();
        assertEquals(
                Boolean.TRUE,
                holder(self.pid(), "here", self.info().startInstant().orElseThrow()).alive());
    }

    @Test
    void aReusedPidThatStartedAtAnotherTimeIsNotTheHolder() throws IOException {
        ProcessHandle self = ProcessHandle.current();
        Instant earlier = self.info().startInstant().orElseThrow().minusSeconds(3600);
        assertEquals(Boolean.FALSE, holder(self.pid(), "here", earlier).alive());
    }

    @Test
    void anEndedProcessIsNotAlive() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        Instant started = ended.toHandle().info().startInstant().orElse(Instant.now());
        ended.waitFor();
        assertEquals(Boolean.FALSE, holder(ended.pid(), "here", started).alive());
    }

    @Test
    void aHolderThatLetGoIsNotHoldingThoughItsProcessLivesOn() throws IOException {
        ProcessHandle self = ProcessHandle.current();
        Path lock = dir.resolve("released.lock");
        Files.writeString(
                lock,
                "{\"pid\":%d,\"host\":\"here\",\"started_at\":\"%s\",\"released_at\":\"%s\"}\n"
                        .formatted(
                                self.pid(),
                                self.info().startInstant().orElseThrow(),
                                Instant.now()));
        assertEquals(Boolean.FALSE, Holder.of(lock, "here").orElseThrow().alive());
    }

    @Test
    void aHolderOnAnotherHostCannotBeChecked() throws IOException {
        assertNull(holder(1, "elsewhere", Instant.now()).alive());
    }

    @Test
    void aLockFileThatNamesNoOneYetGivesNoHolder() throws IOException {
        Path lock = dir.resolve("empty.lock");
        Files.writeString(lock, "");
        assertTrue(Holder.of(lock, "here").isEmpty());
        assertTrue(Holder.of(dir.resolve("missing.lock"), "here").isEmpty());
    }
}
