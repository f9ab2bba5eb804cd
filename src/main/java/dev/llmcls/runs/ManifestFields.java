package dev.llmcls.runs;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a listing shows of a run's manifest ({@link dev.llmcls.runfile.Manifest}), read field by
 * field ({@link JsonFields}): the template, base URLs, counts and the rest are skipped unread.
 * {@code dataFile} and {@code examples} are the manifest's {@code data.file} and {@code
 * data.examples} (null and 0 without {@code data}); {@code sampling} is its {@code sampling} object
 * as read (null when there is none).
 */
record ManifestFields(
        String mode,
        List<String> labels,
        String model,
        String dataFile,
        long examples,
        String status,
        String startedAt,
        Map<String, Object> sampling) {

    /**
     * The fields of the manifest at {@code file}; empty when there is none.
     *
     * @throws UncheckedIOException when it cannot be read or is not a manifest's JSON
     */
    static Optional<ManifestFields> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        var fields = new Builder();
        try {
            if (!JsonFields.forEachField(file, fields)) {
                throw new IOException("not a JSON object");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest " + file, e);
        }
        return Optional.of(fields.build());
    }

    private static final class Builder implements JsonFields.FieldReader {
        private String mode;
        private List<String> labels;
        private String model;
        private String dataFile;
        private long examples;
        private String status;
        private String startedAt;
        private Map<String, Object> sampling;

        @Override
        public void read(String name, JsonParser parser) throws IOException {
            switch (name) {
                case "mode" -> mode = JsonFields.text(parser);
                case "labels" -> labels = JsonFields.texts(parser);
                case "model" -> model = JsonFields.text(parser);
                case "status" -> status = JsonFields.text(parser);
                case "started_at" -> startedAt = JsonFields.text(parser);
                case "data" -> data(parser);
                case "sampling" -> sampling = sampling(parser);
                default -> {
                    // not shown: skipped
                }
            }
        }

        private void data(JsonParser parser) throws IOException {
            dataFile = null;
            examples = 0;
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                return;
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(parser, "field \"data\": expected an object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "file" -> dataFile = JsonFields.text(parser);
                    case "examples" -> examples = JsonFields.number(parser);
                    default -> parser.skipChildren();
                }
            }
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> sampling(JsonParser parser) throws IOException {
            Object value = JsonFields.value(parser);
            if (value != null && !(value instanceof Map)) {
                throw new JsonParseException(parser, "field \"sampling\": expected an object");
            }
            return (Map<String, Object>) value;
        }

        ManifestFields build() {
            return new ManifestFields(
                    mode, labels, model, dataFile, examples, status, startedAt, sampling);
        }
    }
}
