package dev.llmcls.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a dataset lives and how to read it. {@code format} may be null to detect it from the file;
 * {@code idField} may be null to number the examples by row.
 */
public record DatasetSpec(Path file, DatasetFormat format, String textField, String labelField, String idField) {
    public static final String DEFAULT_TEXT_FIELD = "text";
    public static final String DEFAULT_LABEL_FIELD = "label";

    public DatasetSpec {
        Objects.requireNonNull(file, "file");
        textField = textField == null ? DEFAULT_TEXT_FIELD : textField;
        labelField = labelField == null ? DEFAULT_LABEL_FIELD : labelField;
    }

    public static DatasetSpec of(Path file) {
        return new DatasetSpec(file, null, null, null, null);
    }

    public DatasetFormat resolvedFormat() {
        return format != null ? format : DatasetFormat.detect(file);
    }
}
