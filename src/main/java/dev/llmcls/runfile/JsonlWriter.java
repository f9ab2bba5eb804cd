package dev.llmcls.runfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.llmcls.core.Json;
import dev.llmcls.core.OutputException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends records to a JSONL file, one whole line per write call and flushed at once, so that an
 * answer that has arrived is on disk even if the process is killed the next moment. Safe for
 * concurrent writers.
 */
public final class JsonlWriter implements AutoCloseable {
    private final Path file;
    private final OutputStream out;

    public JsonlWriter(Path file) {
        this.file = file;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out =
                    Files.newOutputStream(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND,
                            StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw OutputException.diskFull(e)
                    ? new OutputException(file, e)
                    : new UncheckedIOException("cannot open " + file + " for appending", e);
        }
    }

    /**
     * Appends {@code record} as one line; returns the bytes written (the line with its newline).
     */
    public int write(Object record) {
        byte[] line;
        try {
            line = Json.MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + record, e);
        }
        byte[] withNewline = new byte[line.length + 1];
        System.arraycopy(line, 0, withNewline, 0, line.length);
        withNewline[line.length] = '\n';
        synchronized (this) {
            try {
                out.write(withNewline);
                out.flush();
            } catch (IOException e) {
                throw new OutputException(file, e);
            }
        }
        return withNewline.length;
    }

    /** An appender over {@code out} (tests stand in a stream that fails as a full disk does). */
    JsonlWriter(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new OutputException(file, e);
        }
    }
}
