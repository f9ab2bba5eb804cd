package dev.llmcls.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a dataset lives and how to read it. {@code format} may be null to detect it from the file;
 * {@code idField} may be null to number the examples by row. {@code labelSeparator}: a CSV label
 * cell holds a list of labels split by it (a multi-label dataset); null for one label a cell.
 * {@code fields} names the row's other fields that the prompt uses ({@code {hypothesis}}, ...):
 * each must exist in every row, and the examples carry them.
 */
public record DatasetSpec(
        Path file,
        DatasetFormat format,
        String textField,
        String labelField,
        String idField,
        String labelSeparator,
        List<String> fields) {
    public static final String DEFAULT_TEXT_FIELD = "text";
    public static final String DEFAULT_LABEL_FIELD = "label";

    public DatasetSpec {
        Objects.requireNonNull(file, "file");
        textField = textField == null ? DEFAULT_TEXT_FIELD : textField;
        labelField = labelField == null ? DEFAULT_LABEL_FIELD : labelField;
        if (labelSeparator != null && labelSeparator.isEmpty()) {
            throw new IllegalArgumentException("the label separator is empty");
        }
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    /** A dataset whose prompt uses only the text field. */
    public DatasetSpec(
            Path file,
            DatasetFormat format,
            String textField,
            String labelField,
            String idField,
            String labelSeparator) {
        this(file, format, textField, labelField, idField, labelSeparator, List.of());
    }

    /** A dataset with one label a CSV cell (a JSONL list label still makes it multi-label). */
    public DatasetSpec(
            Path file, DatasetFormat format, String textField, String labelField, String idField) {
        this(file, format, textField, labelField, idField, null, List.of());
    }

    public static DatasetSpec of(Path file) {
        return new DatasetSpec(file, null, null, null, null);
    }

    /** This spec with the other fields a prompt uses. */
    public DatasetSpec withFields(List<String> fields) {
        return new DatasetSpec(
                file, format, textField, labelField, idField, labelSeparator, fields);
    }

    public DatasetFormat resolvedFormat() {
        return format != null ? format : DatasetFormat.detect(file);
    }
}
