package dev.llmcls.data;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One labelled text. A single-label example's {@code gold} is an index into the run's {@link
 * LabelSet} and {@code goldSet} is null; a multi-label example ({@link #multiLabel(String, String,
 * Collection)}) has the indices of all its gold labels in {@code goldSet} (possibly none) and
 * {@code gold} {@link #MULTI}. {@code fields} holds the other fields of the dataset's row that the
 * prompt uses (e.g. {@code hypothesis} beside a {@code premise} text), by name.
 */
public record Example(
        String id, String text, int gold, SortedSet<Integer> goldSet, Map<String, String> fields) {
    /** The {@code gold} of a multi-label example, which has no one gold label. */
    public static final int MULTI = -1;

    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        if (goldSet != null) {
            goldSet = Collections.unmodifiableSortedSet(new TreeSet<>(goldSet));
            gold = MULTI;
        }
        fields =
                fields == null || fields.isEmpty() ? Map.of() : Collections.unmodifiableMap(fields);
    }

    /** A single-label example with no other fields. */
    public Example(String id, String text, int gold) {
        this(id, text, gold, null, Map.of());
    }

    /** A single-label example with the other fields the prompt uses. */
    public Example(String id, String text, int gold, Map<String, String> fields) {
        this(id, text, gold, null, fields);
    }

    /**
     * A multi-label example whose gold labels are {@code golds} (label indices; repeats count
     * once).
     */
    public static Example multiLabel(String id, String text, Collection<Integer> golds) {
        return multiLabel(id, text, golds, Map.of());
    }

    /** A multi-label example with the other fields the prompt uses. */
    public static Example multiLabel(
            String id, String text, Collection<Integer> golds, Map<String, String> fields) {
        return new Example(id, text, MULTI, new TreeSet<>(golds), fields);
    }

    /** Whether this example has a set of gold labels rather than one. */
    public boolean multiLabel() {
        return goldSet != null;
    }

    /** The names of a multi-label example's gold labels, in label order. */
    public List<String> goldNames(LabelSet labels) {
        if (goldSet == null) {
            throw new IllegalStateException("example " + id + " has one gold label, not a set");
        }
        return goldSet.stream().map(labels::name).toList();
    }

    /** This example with another text (e.g. truncated), the same id, labels and fields. */
    public Example withText(String text) {
        return new Example(id, text, gold, goldSet, fields);
    }
}
