package dev.llmcls.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a dataset lives and how to read it. {@code format} may be null to detect it from the file;
 * {@code idField} may be null to number the examples by row. {@code fields} names the row's other fields that the
 * prompt uses ({@code {hypothesis}}, ...): each must exist in every row, and the examples carry them.
 */
public record DatasetSpec(Path file, DatasetFormat format, String textField, String labelField, String idField,
        List<String> fields) {
    public static final String DEFAULT_TEXT_FIELD = "text";
    public static final String DEFAULT_LABEL_FIELD = "label";

    public DatasetSpec {
        Objects.requireNonNull(file, "file");
        textField = textField == null ? DEFAULT_TEXT_FIELD : textField;
        labelField = labelField == null ? DEFAULT_LABEL_FIELD : labelField;
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public DatasetSpec(Path file, DatasetFormat format, String textField, String labelField, String idField) {
        this(file, format, textField, labelField, idField, List.of());
    }

    public static DatasetSpec of(Path file) {
        return new DatasetSpec(file, null, null, null, null);
    }

    /** This spec with the other fields a prompt uses. */
    public DatasetSpec withFields(List<String> fields) {
        return new DatasetSpec(file, format, textField, labelField, idField, fields);
    }

    public DatasetFormat resolvedFormat() {
        return format != null ? format : DatasetFormat.detect(file);
    }
}
