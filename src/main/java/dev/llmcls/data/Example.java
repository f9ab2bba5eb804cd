package dev.llmcls.data;

import java.util.Map;
import java.util.Objects;

/**
 * One labelled text. {@code gold} is an index into the run's {@link LabelSet}; {@code fields} holds the other fields
 * of the dataset's row that the prompt uses (e.g. {@code hypothesis} beside a {@code premise} text), by name.
 */
public record Example(String id, String text, int gold, Map<String, String> fields) {
    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        fields = fields == null || fields.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(fields);
    }

    /** An example with no other fields. */
    public Example(String id, String text, int gold) {
        this(id, text, gold, Map.of());
    }

    /** This example with another text (e.g. truncated), the same id, label and fields. */
    public Example withText(String text) {
        return new Example(id, text, gold, fields);
    }
}
