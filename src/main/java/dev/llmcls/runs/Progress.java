package dev.llmcls.runs;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.llmcls.core.AtomicFiles;
import dev.llmcls.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A run's progress summary, {@code OUTPUT.progress.json}: what the first {@code bytes} bytes of the
 * output hold ({@link Tally.Counts}), and the writing session's start and how many records it has
 * written, so that a listing reads only the records after {@code bytes}. The writer replaces it
 * whole (a temporary file, then a rename) about once a second and when it ends, so a reader never
 * sees half of one.
 */
@JsonPropertyOrder({"bytes", "counts", "session_started_at", "session_records", "updated_at"})
public record Progress(
        long bytes,
        Tally.Counts counts,
        @JsonProperty("session_started_at") String sessionStartedAt,
        @JsonProperty("session_records") long sessionRecords,
        @JsonProperty("updated_at") String updatedAt) {

    public static Path pathFor(Path output) {
        return output.resolveSibling(output.getFileName() + ".progress.json");
    }

    void write(Path file) {
        try {
            AtomicFiles.write(file, Json.MAPPER.writeValueAsBytes(this), "progress summary");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write progress summary " + file, e);
        }
    }

    /**
     * The summary at {@code file}; empty when there is none or it cannot be read (then the output
     * is read whole).
     */
    public static Optional<Progress> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Progress progress = Json.MAPPER.readValue(file.toFile(), Progress.class);
            return progress.counts() == null ? Optional.empty() : Optional.of(progress);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
