package dev.llmcls.runs;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
        var fields = new Fields();
        try {
            if (!JsonFields.forEachField(file, fields) || fields.counts == null) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(
                new Progress(
                        fields.bytes,
                        fields.counts,
                        fields.sessionStartedAt,
                        fields.sessionRecords,
                        fields.updatedAt));
    }

    /**
     * A summary's fields, read one by one ({@link JsonFields}): a listing reads a thousand of them.
     */
    private static final class Fields implements JsonFields.FieldReader {
        private long bytes;
        private Tally.Counts counts;
        private String sessionStartedAt;
        private long sessionRecords;
        private String updatedAt;

        @Override
        public void read(String name, JsonParser parser) throws IOException {
            switch (name) {
                case "bytes" -> bytes = JsonFields.number(parser);
                case "counts" -> counts = counts(parser);
                case "session_started_at" -> sessionStartedAt = JsonFields.text(parser);
                case "session_records" -> sessionRecords = JsonFields.number(parser);
                case "updated_at" -> updatedAt = JsonFields.text(parser);
                default -> {
                    // not ours: skipped
                }
            }
        }

        private static Tally.Counts counts(JsonParser parser) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(parser, "field \"counts\": expected an object");
            }
            long records = 0;
            long ok = 0;
            long failed = 0;
            long superseded = 0;
            long scored = 0;
            long right = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "records" -> records = JsonFields.number(parser);
                    case "ok" -> ok = JsonFields.number(parser);
                    case "failed" -> failed = JsonFields.number(parser);
                    case "superseded" -> superseded = JsonFields.number(parser);
                    case "scored" -> scored = JsonFields.number(parser);
                    case "right" -> right = JsonFields.number(parser);
                    default -> parser.skipChildren();
                }
            }
            return new Tally.Counts(records, ok, failed, superseded, scored, right);
        }
    }
}
