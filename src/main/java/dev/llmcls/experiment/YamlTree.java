package dev.llmcls.experiment;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmcls.core.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as plain nodes that remember where they stand, so that every error can name its
 * line and column (Jackson's tree model forgets them). Read with Jackson's YAML parser; a duplicate
 * key is a syntax error.
 */
final class YamlTree {
    private YamlTree() {}

    /**
     * A node: {@link Scalar} (its text; null for YAML's null), {@link Sequence} or {@link Mapping}.
     */
    sealed interface Node permits Scalar, Sequence, Mapping {
        Place place();
    }

    record Scalar(String text, Place place) implements Node {}

    record Sequence(List<Node> items, Place place) implements Node {}

    /** A key with where the key itself stands, and its value. */
    record Entry(String key, Place place, Node value) {}

    record Mapping(Map<String, Entry> entries, Place place) implements Node {}

    static Node read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InputException("experiment file " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read experiment file " + file, e);
        }
        var factory =
                YAMLFactory.builder()
                        .enable(
                                com.fasterxml.jackson.core.StreamReadFeature
                                        .STRICT_DUPLICATE_DETECTION)
                        .build();
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InputException(file + ":1:1: the experiment file is empty");
            }
            return node(parser, file);
        } catch (JsonParseException e) {
            JsonLocation at = e.getLocation();
            String message = e.getOriginalMessage().lines().findFirst().orElse("").strip();
            throw new InputException(
                    file
                            + ":"
                            + (at == null ? "?" : at.getLineNr() + ":" + at.getColumnNr())
                            + ": YAML syntax: "
                            + message,
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read experiment file " + file, e);
        }
    }

    private static Node node(JsonParser parser, Path file) throws IOException {
        Place place = place(parser, file);
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                var entries = new LinkedHashMap<String, Entry>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    Place keyPlace = place(parser, file);
                    parser.nextToken();
                    entries.put(key, new Entry(key, keyPlace, node(parser, file)));
                }
                return new Mapping(entries, place);
            }
            case START_ARRAY -> {
                var items = new ArrayList<Node>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(parser, file));
                }
                return new Sequence(items, place);
            }
            case VALUE_NULL -> {
                return new Scalar(null, place);
            }
            default -> {
                return new Scalar(parser.getText(), place);
            }
        }
    }

    private static Place place(JsonParser parser, Path file) {
        JsonLocation at = parser.currentTokenLocation();
        return new Place(file, at.getLineNr(), at.getColumnNr());
    }
}
