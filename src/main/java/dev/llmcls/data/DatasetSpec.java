package dev.llmcls.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a dataset lives and how to read it. {@code format} may be null to detect it from the file;
 * {@code idField} may be null to number the examples by row. {@code labelSeparator}: a CSV label cell holds a list
 * of labels split by it (a multi-label dataset); null for one label a cell.
 */
public record DatasetSpec(Path file, DatasetFormat format, String textField, String labelField, String idField,
        String labelSeparator) {
    public static final String DEFAULT_TEXT_FIELD = "text";
    public static final String DEFAULT_LABEL_FIELD = "label";

    public DatasetSpec {
        Objects.requireNonNull(file, "file");
        textField = textField == null ? DEFAULT_TEXT_FIELD : textField;
        labelField = labelField == null ? DEFAULT_LABEL_FIELD : labelField;
        if (labelSeparator != null && labelSeparator.isEmpty()) {
            throw new IllegalArgumentException("the label separator is empty");
        }
    }

    /** A dataset with one label a CSV cell (a JSONL list label still makes it multi-label). */
    public DatasetSpec(Path file, DatasetFormat format, String textField, String labelField, String idField) {
        this(file, format, textField, labelField, idField, null);
    }

    public static DatasetSpec of(Path file) {
        return new DatasetSpec(file, null, null, null, null);
    }

    public DatasetFormat resolvedFormat() {
        return format != null ? format : DatasetFormat.detect(file);
    }
}
