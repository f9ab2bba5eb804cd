package dev.llmcls.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.core.InputException;
import dev.llmcls.core.Json;
import dev.llmcls.core.TextFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Opens a dataset file as a lazy stream of {@link Example}s; every malformed row is reported with
 * file and line.
 */
public final class DatasetReader {
    private static final ObjectMapper JSON = Json.MAPPER;

    private DatasetReader() {}

    public static ExampleSource open(DatasetSpec spec, LabelSet labels) {
        if (!Files.isRegularFile(spec.file()) && !Files.isDirectory(spec.file())) {
            throw new InputException("data file not found: " + spec.file());
        }
        if (Files.isDirectory(spec.file()) && spec.resolvedFormat() != DatasetFormat.PARQUET) {
            throw new InputException(
                    spec.file()
                            + " is a directory: a directory is read as Parquet files (--format"
                            + " parquet), not "
                            + spec.resolvedFormat());
        }
        if (Files.isDirectory(spec.file())) {
            return new ParquetSource(spec, labels);
        }
        try {
            if (!startsLikeParquet(spec.file()) && TextFiles.isBlank(spec.file())) {
                throw new InputException(spec.file() + ": the file is empty (no header, no rows)");
            }
            if (spec.labelSeparator() != null && spec.resolvedFormat() != DatasetFormat.CSV) {
                throw new InputException(
                        "--label-separator applies to CSV data; "
                                + spec.file()
                                + " is "
                                + spec.resolvedFormat().name().toLowerCase(java.util.Locale.ROOT)
                                + " (a JSONL record gives several labels as a JSON array)");
            }
            if (spec.resolvedFormat() == DatasetFormat.PARQUET) {
                return new ParquetSource(spec, labels);
            }
            return switch (spec.resolvedFormat()) {
                case AGNEWS -> new AgNewsSource(spec, labels);
                case CSV -> new HeaderCsvSource(spec, labels);
                case JSONL -> new JsonlSource(spec, labels);
                case PARQUET -> throw new IllegalStateException("opened above");
            };
        } catch (NoSuchFileException e) {
            throw new InputException("data file not found: " + spec.file(), e);
        } catch (IOException e) {
            throw new InputException("cannot read " + spec.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the file begins with Parquet's magic {@code PAR1} (it is binary: no text reader may
     * decode it).
     */
    private static boolean startsLikeParquet(java.nio.file.Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return java.util.Arrays.equals(
                    magic, "PAR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    /**
     * The class names a Parquet data file gives its label column ({@code ClassLabel} metadata
     * written by the Hugging Face {@code datasets} library), if it is a Parquet file and has them.
     */
    public static java.util.Optional<java.util.List<String>> classLabelNames(DatasetSpec spec) {
        if (!(Files.isRegularFile(spec.file()) || Files.isDirectory(spec.file()))
                || spec.resolvedFormat() != DatasetFormat.PARQUET) {
            return java.util.Optional.empty();
        }
        return ParquetSource.classLabelNames(spec.file(), spec.labelField());
    }

    /**
     * The sha256 a run's manifest records for its data: the file's, or for a directory of Parquet
     * files the sha256 of one line {@code NAME SHA256} a file, in the order they are read.
     */
    public static String sha256(java.nio.file.Path data) {
        if (!Files.isDirectory(data)) {
            return dev.llmcls.core.Sha256.hexOfFile(data);
        }
        var lines = new StringBuilder();
        for (java.nio.file.Path part : ParquetSource.parts(data)) {
            lines.append(part.getFileName())
                    .append(' ')
                    .append(dev.llmcls.core.Sha256.hexOfFile(part))
                    .append('\n');
        }
        return dev.llmcls.core.Sha256.hex(lines.toString());
    }

    /** Shared iteration over CSV records, tracking the line on which each record starts. */
    private abstract static class CsvSource implements ExampleSource {
        final DatasetSpec spec;
        final LabelSet labels;
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private long rowIndex;
        private long nextRecordLine = -1;

        CsvSource(DatasetSpec spec, LabelSet labels, CSVFormat format) throws IOException {
            this.spec = spec;
            this.labels = labels;
            this.parser = CSVParser.parse(TextFiles.newReader(spec.file()), format);
            this.records = parser.iterator();
        }

        CSVParser parser() {
            return parser;
        }

        @Override
        public boolean hasNext() {
            if (nextRecordLine < 0) {
                // the parser reads a record ahead in hasNext(), so its start line must be taken
                // before that
                nextRecordLine = parser.getCurrentLineNumber() + 1;
            }
            try {
                return records.hasNext();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw InputException.at(
                        spec.file(),
                        parser.getCurrentLineNumber() + 1,
                        "malformed CSV: " + rootMessage(e));
            }
        }

        @Override
        public Example next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            long line = nextRecordLine;
            nextRecordLine = -1;
            CSVRecord record = records.next();
            return toExample(record, line, rowIndex++);
        }

        abstract Example toExample(CSVRecord record, long line, long rowIndex);

        @Override
        public void close() {
            try {
                parser.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class AgNewsSource extends CsvSource {
        AgNewsSource(DatasetSpec spec, LabelSet labels) throws IOException {
            super(spec, labels, CSVFormat.RFC4180);
        }

        @Override
        Example toExample(CSVRecord record, long line, long rowIndex) {
            if (record.size() != 3) {
                throw InputException.at(
                        spec.file(),
                        line,
                        "expected 3 columns \"class\",\"title\",\"description\" but found "
                                + record.size());
            }
            String cls = record.get(0).strip();
            int classNumber;
            try {
                classNumber = Integer.parseInt(cls);
            } catch (NumberFormatException e) {
                throw InputException.at(spec.file(), line, "class '" + cls + "' is not a number");
            }
            if (classNumber < 1 || classNumber > labels.size()) {
                throw InputException.at(
                        spec.file(),
                        line,
                        "class "
                                + classNumber
                                + " is outside 1.."
                                + labels.size()
                                + " (the label list has "
                                + labels.size()
                                + " names)");
            }
            String text = record.get(1) + " " + record.get(2);
            return new Example(Long.toString(rowIndex), text, classNumber - 1);
        }
    }

    private static final class HeaderCsvSource extends CsvSource {
        HeaderCsvSource(DatasetSpec spec, LabelSet labels) throws IOException {
            super(
                    spec,
                    labels,
                    CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get());
            var header = parser().getHeaderMap();
            var required =
                    new java.util.ArrayList<String>(
                            java.util.Arrays.asList(
                                    spec.textField(), spec.labelField(), spec.idField()));
            required.addAll(spec.fields());
            for (String field : required) {
                if (field != null && !header.containsKey(field)) {
                    throw InputException.at(
                            spec.file(),
                            1,
                            "no column '" + field + "'; the header has " + header.keySet());
                }
            }
        }

        @Override
        Example toExample(CSVRecord record, long line, long rowIndex) {
            if (!record.isConsistent()) {
                throw InputException.at(
                        spec.file(),
                        line,
                        "expected "
                                + parser().getHeaderMap().size()
                                + " columns but found "
                                + record.size());
            }
            String id =
                    spec.idField() == null ? Long.toString(rowIndex) : record.get(spec.idField());
            java.util.Map<String, String> fields = java.util.Map.of();
            if (!spec.fields().isEmpty()) {
                fields = new java.util.LinkedHashMap<>();
                for (String field : spec.fields()) {
                    fields.put(field, record.get(field));
                }
            }
            String cell = record.get(spec.labelField());
            if (spec.labelSeparator() != null) {
                var golds = new ArrayList<Integer>();
                for (String part :
                        cell.split(java.util.regex.Pattern.quote(spec.labelSeparator()), -1)) {
                    if (!part.isBlank()) {
                        golds.add(resolveListedLabel(spec, labels, part, line));
                    }
                }
                return Example.multiLabel(id, record.get(spec.textField()), golds, fields);
            }
            int gold = resolveLabel(spec, labels, cell, line);
            return new Example(id, record.get(spec.textField()), gold, fields);
        }
    }

    private static final class JsonlSource extends LookAhead<Example> implements ExampleSource {
        private final DatasetSpec spec;
        private final LabelSet labels;
        private final BufferedReader reader;
        private long lineNumber;
        private long rowIndex;

        /**
         * Whether the first record's label was a list (null before it): every record must be alike.
         */
        private Boolean multiLabel;

        private long firstLine;

        JsonlSource(DatasetSpec spec, LabelSet labels) throws IOException {
            this.spec = spec;
            this.labels = labels;
            this.reader = TextFiles.newReader(spec.file());
        }

        @Override
        protected Example computeNext() {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    lineNumber++;
                    if (!line.isBlank()) {
                        return parse(line);
                    }
                }
                return null;
            } catch (IOException e) {
                throw new InputException("cannot read " + spec.file() + ": " + e.getMessage(), e);
            }
        }

        private Example parse(String line) {
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw InputException.at(
                        spec.file(), lineNumber, "not valid JSON: " + e.getOriginalMessage());
            }
            if (!node.isObject()) {
                throw InputException.at(spec.file(), lineNumber, "expected a JSON object");
            }
            JsonNode text = node.get(spec.textField());
            if (text == null || !text.isTextual()) {
                throw InputException.at(
                        spec.file(),
                        lineNumber,
                        "field '" + spec.textField() + "' is missing or not a string");
            }
            JsonNode label = node.get(spec.labelField());
            if (label == null || label.isNull() || !(label.isValueNode() || label.isArray())) {
                throw InputException.at(
                        spec.file(),
                        lineNumber,
                        "field '"
                                + spec.labelField()
                                + "' is missing"
                                + (label != null && label.isObject()
                                        ? " (an object is neither a label nor a list of labels)"
                                        : ""));
            }
            if (multiLabel == null) {
                multiLabel = label.isArray();
                firstLine = lineNumber;
            } else if (multiLabel != label.isArray()) {
                throw InputException.at(
                        spec.file(),
                        lineNumber,
                        "field '"
                                + spec.labelField()
                                + "' is "
                                + (label.isArray()
                                        ? "a list of labels, but line "
                                                + firstLine
                                                + " has a single label"
                                        : "a single label, but line "
                                                + firstLine
                                                + " has a list of labels")
                                + "; a dataset is single-label or multi-label throughout (write one"
                                + " label as a list of one)");
            }
            String id = Long.toString(rowIndex++);
            if (spec.idField() != null) {
                JsonNode idNode = node.get(spec.idField());
                if (idNode == null || !idNode.isValueNode() || idNode.isNull()) {
                    throw InputException.at(
                            spec.file(), lineNumber, "field '" + spec.idField() + "' is missing");
                }
                id = idNode.asText();
            }
            java.util.Map<String, String> fields = java.util.Map.of();
            if (!spec.fields().isEmpty()) {
                fields = new java.util.LinkedHashMap<>();
                for (String field : spec.fields()) {
                    JsonNode value = node.get(field);
                    if (value == null || value.isNull() || !value.isValueNode()) {
                        throw InputException.at(
                                spec.file(),
                                lineNumber,
                                "field '"
                                        + field
                                        + "' (used by the prompt) is missing or not a single"
                                        + " value");
                    }
                    fields.put(field, value.asText());
                }
            }
            if (label.isArray()) {
                var golds = new ArrayList<Integer>();
                for (JsonNode element : label) {
                    if (!element.isTextual() && !element.isIntegralNumber()) {
                        throw InputException.at(
                                spec.file(),
                                lineNumber,
                                "field '"
                                        + spec.labelField()
                                        + "' lists "
                                        + element
                                        + ", which is neither a label name nor an index");
                    }
                    golds.add(resolveListedLabel(spec, labels, element.asText(), lineNumber));
                }
                return Example.multiLabel(id, text.asText(), golds, fields);
            }
            return new Example(
                    id,
                    text.asText(),
                    resolveLabel(spec, labels, label.asText(), lineNumber),
                    fields);
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static int resolveLabel(DatasetSpec spec, LabelSet labels, String cell, long line) {
        return labels.resolve(cell)
                .orElseThrow(
                        () ->
                                InputException.at(
                                        spec.file(),
                                        line,
                                        "label '"
                                                + cell
                                                + "' is neither an index below "
                                                + labels.size()
                                                + " nor one of "
                                                + labels.names()));
    }

    private static int resolveListedLabel(
            DatasetSpec spec, LabelSet labels, String cell, long line) {
        return labels.resolve(cell)
                .orElseThrow(
                        () ->
                                InputException.at(
                                        spec.file(),
                                        line,
                                        "label '"
                                                + cell.strip()
                                                + "' in the list is neither an index below "
                                                + labels.size()
                                                + " nor one of "
                                                + labels.names()));
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
