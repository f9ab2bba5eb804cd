package dev.llmcls.runs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the few top-level fields a listing needs from a run's small JSON files (manifest, lock,
 * progress summary) with Jackson's streaming parser: every other field, a manifest's template text
 * included, is skipped without being decoded, and no data binding is set up. Listing 1,000 runs
 * through the object mapper cost most of the listing's time (BENCHMARKS.md, issue 20). Values are
 * read as the mapper would read them into the records' types: a scalar as text, a number given as
 * text as a number, null as the type's default.
 */
final class JsonFields {
    /**
     * A factory of its own: {@link dev.llmcls.core.Json}'s would start the object mapper with it.
     */
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonFields() {}

    /** What to do with one top-level field; the parser stands on its value. */
    @FunctionalInterface
    interface FieldReader {
        /**
         * Reads the value of {@code name} or leaves it (then it is skipped); a value read must be
         * read to its end.
         */
        void read(String name, JsonParser parser) throws IOException;
    }

    /**
     * Hands each top-level field of the JSON object in {@code file} to {@code reader}; false when
     * the file holds no object (empty, or another JSON value).
     */
    static boolean forEachField(Path file, FieldReader reader) throws IOException {
        try (JsonParser parser = FACTORY.createParser(Files.readAllBytes(file))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                reader.read(name, parser);
                parser.skipChildren(); // a structure the reader left; nothing after a scalar
            }
            if (!parser.hasToken(JsonToken.END_OBJECT)) {
                throw new JsonParseException(parser, "unexpected end of the JSON object");
            }
            return true;
        }
    }

    /** The scalar value as text (a number's digits), null for null; a structure is an error. */
    static String text(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isScalarValue()) {
            return parser.getText();
        }
        throw new JsonParseException(
                parser, "field \"" + parser.currentName() + "\": expected text, found " + token);
    }

    /**
     * The value as a whole number: an integer, a fraction's whole part, a number given as text; 0
     * for null.
     */
    static long number(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return 0;
        }
        if (token.isNumeric()) {
            return parser.getValueAsLong();
        }
        if (token == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(parser.getText().strip());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new JsonParseException(
                parser,
                "field \"" + parser.currentName() + "\": expected a number, found " + token);
    }

    /** An array of scalars as texts; null for null. */
    static List<String> texts(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new JsonParseException(
                    parser, "field \"" + parser.currentName() + "\": expected a list");
        }
        List<String> texts = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            texts.add(text(parser));
        }
        return texts;
    }

    /**
     * Any value, as the object mapper reads one into {@code Object}: an object a {@link
     * LinkedHashMap}, an array a list, a number an Integer, Long, BigInteger or Double, text,
     * booleans and null.
     */
    static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, value(parser));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(parser));
                }
                return list;
            }
            case VALUE_NUMBER_INT -> {
                return parser.getNumberValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return parser.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return parser.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            default -> throw new JsonParseException(parser, "unexpected " + token);
        }
    }
}
