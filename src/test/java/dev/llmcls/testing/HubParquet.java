package dev.llmcls.testing;

import dev.llmcls.data.parquet.PureJavaCodecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes Parquet fixtures the way the Hugging Face Hub serves them: what {@code datasets} writes
 * through pyarrow, a flat {@code message schema} of optional columns (strings as {@code binary
 * (STRING)}, a {@code ClassLabel} as {@code int64}), snappy pages, and the table's features as JSON
 * under the {@code huggingface} key of the file's key-value metadata ({@code {"info": {"features":
 * {...}}}}, as {@code datasets.arrow_writer} stores them).
 */
public final class HubParquet {
    private final List<String> schemaLines = new ArrayList<>();
    private final Map<String, String> features = new LinkedHashMap<>();
    private final List<Object[]> rows = new ArrayList<>();
    private final List<String> columns = new ArrayList<>();
    private CompressionCodecName codec = CompressionCodecName.SNAPPY;
    private long rowGroupBytes = 128L * 1024 * 1024;
    private boolean metadata = true;

    /** A string column ({@code Value("string")}). */
    public HubParquet string(String name) {
        columns.add(name);
        schemaLines.add("optional binary " + name + " (STRING);");
        features.put(name, "{\"dtype\": \"string\", \"_type\": \"Value\"}");
        return this;
    }

    /**
     * An integer column with class names ({@code ClassLabel(names=...)}); no names: a plain {@code
     * int64}.
     */
    public HubParquet classLabel(String name, String... names) {
        columns.add(name);
        schemaLines.add("optional int64 " + name + ";");
        features.put(
                name,
                names.length == 0
                        ? "{\"dtype\": \"int64\", \"_type\": \"Value\"}"
                        : "{\"names\": ["
                                + String.join(
                                        ", ",
                                        java.util.Arrays.stream(names)
                                                .map(n -> "\"" + n + "\"")
                                                .toList())
                                + "], \"_type\": \"ClassLabel\"}");
        return this;
    }

    /** An {@code int32} column (e.g. an id). */
    public HubParquet int32(String name) {
        columns.add(name);
        schemaLines.add("optional int32 " + name + ";");
        features.put(name, "{\"dtype\": \"int32\", \"_type\": \"Value\"}");
        return this;
    }

    /** A list-of-strings column, as pyarrow writes {@code list<string>}. */
    public HubParquet stringList(String name) {
        columns.add(name);
        schemaLines.add(
                "optional group "
                        + name
                        + " (LIST) { repeated group list { optional binary element (STRING); } }");
        features.put(
                name,
                "{\"feature\": {\"dtype\": \"string\", \"_type\": \"Value\"}, \"_type\":"
                        + " \"Sequence\"}");
        return this;
    }

    /**
     * A list of class labels, as pyarrow writes {@code list<int64>} for {@code
     * Sequence(ClassLabel(names=...))}.
     */
    public HubParquet classLabelList(String name, String... names) {
        columns.add(name);
        schemaLines.add(
                "optional group "
                        + name
                        + " (LIST) { repeated group list { optional int64 element; } }");
        features.put(
                name,
                "{\"feature\": {\"names\": ["
                        + String.join(
                                ", ",
                                java.util.Arrays.stream(names).map(n -> "\"" + n + "\"").toList())
                        + "], \"_type\": \"ClassLabel\"}, \"_type\": \"Sequence\"}");
        return this;
    }

    public HubParquet row(Object... values) {
        rows.add(values);
        return this;
    }

    public HubParquet codec(CompressionCodecName codec) {
        this.codec = codec;
        return this;
    }

    /** Row groups of about this many bytes (small values give several row groups). */
    public HubParquet rowGroupBytes(long bytes) {
        this.rowGroupBytes = bytes;
        return this;
    }

    /** Leave out the {@code huggingface} metadata, as a file written by another tool would. */
    public HubParquet withoutFeatures() {
        this.metadata = false;
        return this;
    }

    /** The {@code datasets} features JSON this fixture stores. */
    public String featuresJson() {
        var out = new StringBuilder("{");
        features.forEach(
                (name, feature) ->
                        out.append(out.length() > 1 ? ", " : "")
                                .append('"')
                                .append(name)
                                .append("\": ")
                                .append(feature));
        return out.append('}').toString();
    }

    public Path write(Path file) {
        MessageType schema =
                MessageTypeParser.parseMessageType(
                        "message schema { " + String.join(" ", schemaLines) + " }");
        try {
            Files.deleteIfExists(file);
            var builder =
                    ExampleParquetWriter.builder(new LocalOutputFile(file))
                            .withConf(new PlainParquetConfiguration())
                            .withCodecFactory(new PureJavaCodecs())
                            .withCompressionCodec(codec)
                            .withType(schema)
                            .withRowGroupSize(rowGroupBytes)
                            .withPageSize((int) Math.min(rowGroupBytes, 1024 * 1024));
            if (metadata) {
                builder.withExtraMetaData(
                        Map.of(
                                "huggingface",
                                "{\"info\": {\"features\": " + featuresJson() + "}}"));
            }
            var factory = new SimpleGroupFactory(schema);
            try (ParquetWriter<Group> writer = builder.build()) {
                for (Object[] values : rows) {
                    Group group = factory.newGroup();
                    for (int i = 0; i < values.length; i++) {
                        append(group, columns.get(i), values[i]);
                    }
                    writer.write(group);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Group group, String column, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof List<?> list) {
            Group listGroup = group.addGroup(column);
            for (Object item : list) {
                if (item instanceof Number number) {
                    listGroup.addGroup("list").append("element", number.longValue());
                } else {
                    listGroup.addGroup("list").append("element", item.toString());
                }
            }
        } else if (value instanceof String s) {
            group.append(column, s);
        } else if (value instanceof Long l) {
            group.append(column, l);
        } else if (value instanceof Integer i) {
            if (group.getType()
                    .getType(column)
                    .asPrimitiveType()
                    .getPrimitiveTypeName()
                    .name()
                    .equals("INT64")) {
                group.append(column, (long) i);
            } else {
                group.append(column, i);
            }
        } else {
            throw new IllegalArgumentException("no Parquet column kind for " + value.getClass());
        }
    }
}
