package dev.llmcls.runfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.OutputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 22 item 6: a write that fails as a full disk does says so, naming the file. */
class JsonlWriterTest {
    /** Fails every write with the message the JDK gives ENOSPC on Linux. */
    private static final class FullDisk extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("No space left on device");
        }
    }

    @Test
    void aFullDiskIsAnOutputExceptionNamingTheFileAndSayingThatARerunResumes() {
        Path file = Path.of("output", "run.jsonl");
        var writer = new JsonlWriter(file, new FullDisk());
        OutputException e =
                assertThrows(OutputException.class, () -> writer.write(Map.of("id", "1")));
        assertEquals(file, e.file());
        assertEquals(
                "cannot write "
                        + file
                        + ": the disk is full (No space left on device). Free space on it and"
                        + " re-run the same command: it resumes where it stopped, with every answer"
                        + " written so far kept.",
                e.getMessage());
        assertTrue(OutputException.diskFull((IOException) e.getCause()));
    }

    @Test
    void aFullDiskDeepInAnotherWriteIsFoundAmongTheCauses() {
        var deep =
                new RuntimeException(
                        "manifest",
                        new java.io.UncheckedIOException(
                                new java.nio.file.FileSystemException(
                                        "out.jsonl.manifest.json",
                                        null,
                                        "No space left on device")));
        OutputException found = OutputException.in(deep);
        assertEquals(Path.of("out.jsonl.manifest.json"), found.file());
        assertTrue(
                found.getMessage()
                        .startsWith("cannot write out.jsonl.manifest.json: the disk is full"),
                found.getMessage());
        assertEquals(
                null,
                OutputException.in(
                        new RuntimeException("other", new IOException("connection reset"))));
    }
}
