package dev.llmcls.data;

import java.util.Objects;

/** One labelled text. {@code gold} is an index into the run's {@link LabelSet}. */
public record Example(String id, String text, int gold) {
    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
    }
}
