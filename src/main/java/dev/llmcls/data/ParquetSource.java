package dev.llmcls.data;

import dev.llmcls.core.InputException;
import dev.llmcls.data.parquet.Features;
import dev.llmcls.data.parquet.PureJavaCodecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * A Parquet file read one row group at a time, only the columns the run uses. The text column must
 * hold strings; an integer label column is mapped to class names through the file's Hugging Face
 * {@code ClassLabel} metadata when it has some ({@link Features}), else read as an index into the
 * label list. A corrupt file or page is reported with the file and the row group.
 */
final class ParquetSource extends LookAhead<Example> implements ExampleSource {
    private final DatasetSpec spec;
    private final LabelSet labels;

    /** The files read one after another (one, or a directory's Parquet files in order). */
    private final List<Path> parts;

    private final List<String> otherFields;
    private int part;
    private Path file;
    private ParquetFileReader reader;
    private MessageType projection;
    private List<String> classNames;

    /**
     * A multi-label column's element (a {@code list<string>} or {@code list<int>}); null for one
     * label a row.
     */
    private PrimitiveType listElement;

    private RecordReader<Group> rows;
    private long rowsLeftInGroup;
    private int rowGroup = -1;
    private long rowIndex;
    private long rowInPart;

    ParquetSource(DatasetSpec spec, LabelSet labels) {
        this.spec = spec;
        this.labels = labels;
        this.parts = parts(spec.file());
        this.otherFields = List.copyOf(spec.fields());
        openPart(0);
    }

    /**
     * The Parquet files {@code data} stands for: itself, or for a directory (a split held in
     * several files, as the Hub stores a large one) its {@code .parquet} files in natural order
     * ({@code train-2} before {@code train-10}), read as one dataset.
     */
    static List<Path> parts(Path data) {
        if (!Files.isDirectory(data)) {
            return List.of(data);
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(data)) {
            files =
                    listed.filter(
                                    p ->
                                            Files.isRegularFile(p)
                                                    && !p.getFileName().toString().startsWith(".")
                                                    && p.getFileName()
                                                            .toString()
                                                            .endsWith(".parquet"))
                            .sorted(
                                    Comparator.comparing(
                                            p -> p.getFileName().toString(),
                                            dev.llmcls.core.NaturalOrder.INSTANCE))
                            .toList();
        } catch (IOException e) {
            throw new InputException("cannot list " + data + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new InputException(
                    data + ": a data directory must hold .parquet files; it has none");
        }
        return files;
    }

    /**
     * Opens part {@code index} and checks its columns; every part must have the columns the run
     * uses, and the same ClassLabel names as the first.
     */
    private void openPart(int index) {
        part = index;
        file = parts.get(index);
        reader = open(file);
        rowGroup = -1;
        rowsLeftInGroup = 0;
        rowInPart = 0;
        try {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            var wanted = new LinkedHashSet<String>();
            wanted.add(spec.textField());
            wanted.add(spec.labelField());
            if (spec.idField() != null) {
                wanted.add(spec.idField());
            }
            wanted.addAll(spec.fields());
            List<Type> columns = new ArrayList<>();
            for (String name : wanted) {
                if (!schema.containsField(name)) {
                    throw new InputException(
                            file
                                    + ": no column '"
                                    + name
                                    + "'; the file has "
                                    + schema.getFields().stream().map(Type::getName).toList());
                }
                columns.add(schema.getType(name));
            }
            requireString(schema.getType(spec.textField()), "text");
            for (String field : spec.fields()) {
                requireScalar(schema.getType(field), "template field");
            }
            if (spec.idField() != null) {
                requireScalar(schema.getType(spec.idField()), "id");
            }
            PrimitiveType element = listElement(schema.getType(spec.labelField()));
            if (index > 0 && (element == null) != (listElement == null)) {
                throw new InputException(
                        file
                                + ": the label column '"
                                + spec.labelField()
                                + "' is "
                                + (element == null ? "one value a row" : "a list")
                                + " here but not in "
                                + parts.get(0));
            }
            listElement = element;
            if (listElement == null) {
                requireScalar(schema.getType(spec.labelField()), "label");
            }
            projection = new MessageType(schema.getName(), columns);
            List<String> names =
                    Features.classLabelNames(
                                    reader.getFooter().getFileMetaData().getKeyValueMetaData(),
                                    spec.labelField())
                            .orElse(null);
            if (index > 0 && !java.util.Objects.equals(names, classNames)) {
                throw new InputException(
                        file
                                + ": the ClassLabel names of '"
                                + spec.labelField()
                                + "' are "
                                + names
                                + ", not "
                                + classNames
                                + " as in "
                                + parts.get(0));
            }
            classNames = names;
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /**
     * The class names the file's metadata gives {@code labelField}, if any: the labels a run uses
     * by default. For a directory, its first Parquet file's.
     */
    static Optional<List<String>> classLabelNames(Path data, String labelField) {
        Path file = parts(data).get(0);
        try (ParquetFileReader reader = open(file)) {
            return Features.classLabelNames(
                    reader.getFooter().getFileMetaData().getKeyValueMetaData(), labelField);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static ParquetFileReader open(Path file) {
        var options =
                ParquetReadOptions.builder(new PlainParquetConfiguration())
                        .withCodecFactory(new PureJavaCodecs())
                        .build();
        try {
            return ParquetFileReader.open(new LocalInputFile(file), options);
        } catch (IOException | RuntimeException e) {
            throw new InputException(
                    file + ": not a readable Parquet file (its footer): " + message(e), e);
        }
    }

    private void requireString(Type type, String role) {
        if (!type.isPrimitive()
                || type.isRepetition(Type.Repetition.REPEATED)
                || type.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BINARY
                || !(type.getLogicalTypeAnnotation()
                        instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation)) {
            throw new InputException(
                    file
                            + ": the "
                            + role
                            + " column '"
                            + type.getName()
                            + "' does not hold strings (it is "
                            + describe(type)
                            + ")");
        }
    }

    private void requireScalar(Type type, String role) {
        if (!type.isPrimitive() || type.isRepetition(Type.Repetition.REPEATED)) {
            String note =
                    role.equals("label")
                            ? " (a multi-label column is a list of label names or ClassLabel "
                                    + "indices)"
                            : "";
            throw new InputException(
                    file
                            + ": the "
                            + role
                            + " column '"
                            + type.getName()
                            + "' is not a single value a row (it is "
                            + describe(type)
                            + ")"
                            + note);
        }
    }

    /**
     * The element of a label column that is a list of single values, as pyarrow writes {@code
     * list<string>} or {@code list<int64>} (a {@code LIST}-annotated group of a repeated group of
     * one element) or in the older two-level form (a {@code LIST} group of a repeated primitive);
     * null for any other column.
     */
    private static PrimitiveType listElement(Type type) {
        if (type.isPrimitive()
                || !(type.getLogicalTypeAnnotation()
                        instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)
                || type.asGroupType().getFieldCount() != 1) {
            return null;
        }
        Type repeated = type.asGroupType().getType(0);
        if (!repeated.isRepetition(Type.Repetition.REPEATED)) {
            return null;
        }
        if (repeated.isPrimitive()) {
            return repeated.asPrimitiveType();
        }
        if (repeated.asGroupType().getFieldCount() == 1
                && repeated.asGroupType().getType(0).isPrimitive()) {
            return repeated.asGroupType().getType(0).asPrimitiveType();
        }
        return null;
    }

    private static String describe(Type type) {
        if (!type.isPrimitive()) {
            LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
            return logical != null
                    ? logical.toString().toLowerCase(java.util.Locale.ROOT)
                    : "a group";
        }
        PrimitiveType primitive = type.asPrimitiveType();
        LogicalTypeAnnotation logical = primitive.getLogicalTypeAnnotation();
        return primitive.getPrimitiveTypeName().name().toLowerCase(java.util.Locale.ROOT)
                + (logical != null ? " " + logical : "");
    }

    @Override
    protected Example computeNext() {
        while (rowsLeftInGroup == 0) {
            PageReadStore group;
            try {
                group = reader.readNextRowGroup();
            } catch (IOException | RuntimeException e) {
                throw corrupt(rowGroup + 1, e);
            }
            if (group == null) {
                if (part + 1 == parts.size()) {
                    return null;
                }
                closeQuietly();
                openPart(part + 1);
                continue;
            }
            rowGroup++;
            rowsLeftInGroup = group.getRowCount();
            try {
                rows =
                        new ColumnIOFactory()
                                .getColumnIO(projection)
                                .getRecordReader(group, new GroupRecordConverter(projection));
            } catch (RuntimeException e) {
                throw corrupt(rowGroup, e);
            }
        }
        Group row;
        try {
            row = rows.read();
        } catch (RuntimeException e) {
            throw corrupt(rowGroup, e);
        }
        rowsLeftInGroup--;
        long index = rowIndex++;
        rowInPart++;
        String text = value(row, spec.textField());
        if (text == null) {
            throw at(index, "the text column '" + spec.textField() + "' is null");
        }
        String id = Long.toString(index);
        if (spec.idField() != null) {
            id = value(row, spec.idField());
            if (id == null) {
                throw at(index, "the id column '" + spec.idField() + "' is null");
            }
        }
        Map<String, String> fields = Map.of();
        if (!otherFields.isEmpty()) {
            fields = new LinkedHashMap<>();
            for (String field : otherFields) {
                String value = value(row, field);
                fields.put(field, value == null ? "" : value);
            }
        }
        if (listElement != null) {
            return Example.multiLabel(id, text, golds(row, index), fields);
        }
        return new Example(id, text, gold(row, index), fields);
    }

    /** A multi-label row's gold labels: every element of its list (an empty list: none). */
    private List<Integer> golds(Group row, long index) {
        int field = row.getType().getFieldIndex(spec.labelField());
        var golds = new ArrayList<Integer>();
        if (row.getFieldRepetitionCount(field) == 0) {
            throw at(
                    index,
                    "the label column '"
                            + spec.labelField()
                            + "' is null (an empty list is no label)");
        }
        Group list = row.getGroup(field, 0);
        for (int i = 0; i < list.getFieldRepetitionCount(0); i++) {
            String cell;
            if (list.getType().getType(0).isPrimitive()) {
                cell =
                        list.getType().getType(0).asPrimitiveType().getPrimitiveTypeName()
                                        == PrimitiveTypeName.BINARY
                                ? list.getBinary(0, i).toStringUsingUTF8()
                                : list.getValueToString(0, i);
            } else {
                Group element = list.getGroup(0, i);
                if (element.getFieldRepetitionCount(0) == 0) {
                    throw at(index, "the label list '" + spec.labelField() + "' holds a null");
                }
                cell =
                        element.getType().getType(0).asPrimitiveType().getPrimitiveTypeName()
                                        == PrimitiveTypeName.BINARY
                                ? element.getBinary(0, 0).toStringUsingUTF8()
                                : element.getValueToString(0, 0);
            }
            golds.add(resolve(cell, isInteger(listElement), index));
        }
        return golds;
    }

    private int gold(Group row, long index) {
        String cell = value(row, spec.labelField());
        if (cell == null) {
            throw at(index, "the label column '" + spec.labelField() + "' is null");
        }
        return resolve(cell, isInteger(projection.getType(spec.labelField())), index);
    }

    /**
     * A label cell as a label index: a ClassLabel index through the file's names, else a name or an
     * index.
     */
    private int resolve(String cell, boolean integer, long index) {
        if (classNames != null && integer) {
            int classIndex = Integer.parseInt(cell);
            if (classIndex < 0 || classIndex >= classNames.size()) {
                throw at(
                        index,
                        "label "
                                + classIndex
                                + " is outside the "
                                + classNames.size()
                                + " ClassLabel names "
                                + classNames);
            }
            cell = classNames.get(classIndex);
            String name = cell;
            return labels.indexOfNameOrAlias(name)
                    .orElseThrow(
                            () ->
                                    at(
                                            index,
                                            "label '"
                                                    + name
                                                    + "' (the file's ClassLabel name for "
                                                    + classIndex
                                                    + ") is not one of "
                                                    + labels.names()));
        }
        String value = cell;
        return labels.resolve(value)
                .orElseThrow(
                        () ->
                                at(
                                        index,
                                        "label '"
                                                + value
                                                + "' is neither an index below "
                                                + labels.size()
                                                + " nor one of "
                                                + labels.names()));
    }

    private static boolean isInteger(Type type) {
        PrimitiveTypeName name = type.asPrimitiveType().getPrimitiveTypeName();
        return name == PrimitiveTypeName.INT32 || name == PrimitiveTypeName.INT64;
    }

    /** A column's value in this row as text, or null when the row has none. */
    private static String value(Group row, String field) {
        int index = row.getType().getFieldIndex(field);
        if (row.getFieldRepetitionCount(index) == 0) {
            return null;
        }
        PrimitiveType type = row.getType().getType(index).asPrimitiveType();
        return switch (type.getPrimitiveTypeName()) {
            case BINARY -> row.getBinary(index, 0).toStringUsingUTF8();
            case INT32 -> Integer.toString(row.getInteger(index, 0));
            case INT64 -> Long.toString(row.getLong(index, 0));
            case BOOLEAN -> Boolean.toString(row.getBoolean(index, 0));
            case FLOAT -> Float.toString(row.getFloat(index, 0));
            case DOUBLE -> Double.toString(row.getDouble(index, 0));
            default -> row.getValueToString(index, 0);
        };
    }

    private InputException at(long index, String message) {
        String where =
                parts.size() == 1
                        ? "row " + index + " (row group " + rowGroup + ")"
                        : "row "
                                + (rowInPart - 1)
                                + " (row group "
                                + rowGroup
                                + "; the data's row "
                                + index
                                + ")";
        return new InputException(file + ": " + where + ": " + message);
    }

    private InputException corrupt(int group, Exception e) {
        return new InputException(
                file
                        + ": row group "
                        + group
                        + " cannot be read (the file is corrupt "
                        + "or truncated): "
                        + message(e),
                e);
    }

    private static String message(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e
                ? String.valueOf(e.getMessage())
                : e.getMessage() + " (" + cause.getMessage() + ")";
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            reader.close();
        } catch (IOException e) {
            // nothing was written; a failed close of a read-only file loses nothing
        }
    }
}
