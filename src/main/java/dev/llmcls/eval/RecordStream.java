package dev.llmcls.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmcls.data.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams a run's JSONL file one record at a time with Jackson's streaming parser, reading only the fields that
 * evaluation needs. A malformed line is an input error naming file and line, except a final line without its
 * newline: that is what a killed run leaves behind, so it is skipped and counted.
 */
public final class RecordStream {
    private static final JsonFactory FACTORY = new JsonFactory();

    private RecordStream() {
    }

    /** Calls {@code consumer} for each record; returns the number of truncated final lines skipped (0 or 1). */
    public static int forEach(Path file, boolean withText, Consumer<EvalRecord> consumer) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            long lineNumber = 0;
            String pendingBad = null;
            long pendingBadLine = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (pendingBad != null) {
                    throw InputException.at(file, pendingBadLine, "not a JSON record: " + pendingBad);
                }
                if (line.isBlank()) {
                    continue;
                }
                EvalRecord record;
                try {
                    record = parse(line, lineNumber, withText);
                } catch (JsonProcessingException e) {
                    pendingBad = e.getOriginalMessage();
                    pendingBadLine = lineNumber;
                    continue;
                }
                if (record.id() == null) {
                    throw InputException.at(file, lineNumber, "record has no \"id\"");
                }
                if (record.gold() == null) {
                    throw InputException.at(file, lineNumber, "record has no \"gold\" label");
                }
                consumer.accept(record);
            }
            if (pendingBad != null) {
                if (RecordReader.endsWithNewline(file)) {
                    throw InputException.at(file, pendingBadLine, "not a JSON record: " + pendingBad);
                }
                return 1;
            }
            return 0;
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static EvalRecord parse(String line, long lineNumber, boolean withText) throws IOException {
        try (JsonParser parser = FACTORY.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseError(parser, "expected a JSON object");
            }
            String id = null;
            String text = null;
            String gold = null;
            String output = null;
            String error = null;
            String label = null;
            Map<String, Integer> votes = null;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id" -> id = scalar(parser, value);
                    case "text" -> text = withText ? scalar(parser, value) : skip(parser, value);
                    case "gold" -> gold = scalar(parser, value);
                    case "output" -> output = scalar(parser, value);
                    case "error" -> error = scalar(parser, value);
                    case "label" -> label = scalar(parser, value);
                    case "votes" -> votes = votes(parser, value);
                    default -> parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new JsonParseError(parser, "unexpected " + token);
            }
            if (parser.nextToken() != null) {
                throw new JsonParseError(parser, "text after the JSON object");
            }
            return new EvalRecord(id, text, gold, output, error, label, votes, lineNumber);
        }
    }

    private static String scalar(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value.isScalarValue()) {
            return parser.getText();
        }
        throw new JsonParseError(parser, "field \"" + parser.currentName() + "\" must be a string, not " + value);
    }

    private static String skip(JsonParser parser, JsonToken value) throws IOException {
        parser.skipChildren();
        return null;
    }

    private static Map<String, Integer> votes(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_OBJECT) {
            throw new JsonParseError(parser, "field \"votes\" must be an object of label counts");
        }
        var votes = new LinkedHashMap<String, Integer>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                throw new JsonParseError(parser, "vote count of \"" + name + "\" must be an integer");
            }
            votes.put(name, parser.getIntValue());
        }
        return votes;
    }

    /** A well-formed JSON line that is not a record; reported like a malformed one. */
    private static final class JsonParseError extends JsonProcessingException {
        JsonParseError(JsonParser parser, String message) {
            super(message, parser.currentLocation());
        }
    }
}
