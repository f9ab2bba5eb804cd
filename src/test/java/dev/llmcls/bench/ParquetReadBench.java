package dev.llmcls.bench;

import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.ExampleSource;
import dev.llmcls.data.LabelSet;
import dev.llmcls.data.parquet.PureJavaCodecs;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
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
 * Reading N rows (default 1,000,000) of text, label and id as Parquet (snappy, as the Hub serves
 * it, ClassLabel metadata) versus the same rows as CSV with a header, through {@link
 * DatasetReader}: every example is built, as a run's scan builds them. Alternates the two, three
 * times each, after one warm-up read of each. Run: java -cp
 * target/classes:target/test-classes:$(cat cp.txt) dev.llmcls.bench.ParquetReadBench [ROWS]
 */
public final class ParquetReadBench {
    private static final String[] WORDS = {
        "market",
        "team",
        "wins",
        "shares",
        "government",
        "software",
        "season",
        "election",
        "quarter",
        "players",
        "research",
        "launch",
        "talks",
        "profit",
        "league",
        "chip"
    };

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("parquet-bench");
        Path csv = dir.resolve("rows.csv");
        Path parquet = dir.resolve("rows.parquet");
        MessageType schema =
                MessageTypeParser.parseMessageType(
                        "message schema { optional binary text (STRING); optional int64 label;"
                                + " optional int64 id; }");
        var random = new SplittableRandom(21);
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
                ParquetWriter<Group> writer =
                        ExampleParquetWriter.builder(new LocalOutputFile(parquet))
                                .withConf(new PlainParquetConfiguration())
                                .withCodecFactory(new PureJavaCodecs())
                                .withCompressionCodec(CompressionCodecName.SNAPPY)
                                .withType(schema)
                                .withExtraMetaData(
                                        Map.of(
                                                "huggingface",
                                                "{\"info\": {\"features\": {\"text\": {\"dtype\":"
                                                    + " \"string\", \"_type\": \"Value\"},"
                                                    + " \"label\": {\"names\": [\"World\","
                                                    + " \"Sports\", \"Business\", \"Science |"
                                                    + " Technology\"], \"_type\": \"ClassLabel\"},"
                                                    + " \"id\": {\"dtype\": \"int64\", \"_type\":"
                                                    + " \"Value\"}}}}"))
                                .build()) {
            out.write("id,text,label\n");
            var factory = new SimpleGroupFactory(schema);
            for (int i = 0; i < rows; i++) {
                var text = new StringBuilder();
                int words = 15 + random.nextInt(30);
                for (int w = 0; w < words; w++) {
                    text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
                }
                int label = random.nextInt(4);
                out.write(i + ",\"" + text + "\"," + label + "\n");
                Group group = factory.newGroup();
                group.append("text", text.toString());
                group.append("label", (long) label);
                group.append("id", (long) i);
                writer.write(group);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%d rows: csv %.1f MiB, parquet %.1f MiB%n",
                rows,
                Files.size(csv) / 1048576.0,
                Files.size(parquet) / 1048576.0);
        var labels = LabelSet.parse(LabelSet.AG_NEWS);
        var csvSpec = new DatasetSpec(csv, null, "text", "label", "id");
        var parquetSpec = new DatasetSpec(parquet, null, "text", "label", "id");
        read(csvSpec, labels);
        read(parquetSpec, labels);
        for (int rep = 1; rep <= 3; rep++) {
            System.out.printf(
                    Locale.ROOT,
                    "rep %d: csv %.2f s, parquet %.2f s%n",
                    rep,
                    read(csvSpec, labels),
                    read(parquetSpec, labels));
        }
        Files.delete(csv);
        Files.delete(parquet);
        Files.delete(dir);
    }

    private static double read(DatasetSpec spec, LabelSet labels) {
        long start = System.nanoTime();
        long n = 0;
        long chars = 0;
        try (ExampleSource source = DatasetReader.open(spec, labels)) {
            while (source.hasNext()) {
                chars += source.next().text().length();
                n++;
            }
        }
        if (n == 0 || chars == 0) {
            throw new IllegalStateException("nothing read from " + spec.file());
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
