package dev.llmcls.scripts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.Example;
import dev.llmcls.data.ExampleSource;
import dev.llmcls.data.LabelSet;
import dev.llmcls.testing.SharedData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/get-data.sh's download branch, against a local HTTP server (127.0.0.1, an ephemeral port)
 * that serves copies of the AG News slice: the files land only with the right checksum, a wrong one
 * is a clear error that leaves nothing behind, and the training sample follows the documented rule
 * (checked by an independent implementation here). The script runs from a copy of the repository's
 * scripts folder with nothing beside it, as in a user's clone.
 */
class GetDataScriptTest {
    private static final String TORCHTEXT_TEST_MD5 = "d52ea96a97a2d943681189a97654912d";
    private static final String TORCHTEXT_TRAIN_MD5 = "b1a00f826fdfbd249f79597b59e1dc12";

    @TempDir Path dir;

    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private Path repo;
    private Path data;

    @BeforeEach
    void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    requests.incrementAndGet();
                    byte[] body = served.get(exchange.getRequestURI().getPath());
                    exchange.sendResponseHeaders(
                            body == null ? 404 : 200, body == null ? -1 : body.length);
                    if (body != null) {
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(body);
                        }
                    }
                    exchange.close();
                });
        server.start();
        repo = dir.resolve("clone");
        Files.createDirectories(repo.resolve("scripts"));
        Files.copy(Path.of("scripts", "get-data.sh"), repo.resolve("scripts/get-data.sh"));
        data = repo.resolve("data").resolve("ag_news");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/mirror/ag_news_csv";
    }

    private record Result(int exitCode, String err) {}

    private Result getData(Map<String, String> env) throws IOException, InterruptedException {
        var builder =
                new ProcessBuilder("bash", repo.resolve("scripts/get-data.sh").toString())
                        .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("AG_NEWS_"));
        builder.environment().put("AG_NEWS_BASE_URL", baseUrl());
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), out);
        return new Result(process.exitValue(), out);
    }

    private List<String> filesInData() throws IOException {
        if (!Files.isDirectory(data)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(data)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void downloadsBothSplitsChecksThemAndDerivesTheSampleByTheDocumentedRule() throws Exception {
        byte[] slice = Files.readAllBytes(SharedData.testSlice());
        served.put("/mirror/ag_news_csv/test.csv", slice);
        served.put("/mirror/ag_news_csv/train.csv", slice);

        Result result =
                getData(Map.of("AG_NEWS_TEST_MD5", md5(slice), "AG_NEWS_TRAIN_MD5", md5(slice)));

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(
                List.of("classes.txt", "test.csv", "train.csv", "train_sample_5000.csv"),
                filesInData());
        assertArrayEquals(slice, Files.readAllBytes(data.resolve("test.csv")));
        assertArrayEquals(slice, Files.readAllBytes(data.resolve("train.csv")));
        assertEquals(
                List.of("World", "Sports", "Business", "Sci/Tech"),
                Files.readAllLines(data.resolve("classes.txt")));
        assertEquals(
                expectedSample(slice), Files.readString(data.resolve("train_sample_5000.csv")));

        // The tool itself reads the sample: the same texts and labels as the rows it was drawn
        // from.
        List<Example> sample = read(data.resolve("train_sample_5000.csv"));
        List<Example> source = read(SharedData.testSlice());
        assertEquals(
                19, sample.size(), "103, 123, 72 and 102 rows per class give 5 + 6 + 3 + 5 rows");
        for (Example example : sample) {
            assertTrue(
                    source.stream()
                            .anyMatch(
                                    e ->
                                            e.text().equals(example.text())
                                                    && e.gold() == example.gold()),
                    example.toString());
        }

        int before = requests.get();
        Result again =
                getData(Map.of("AG_NEWS_TEST_MD5", md5(slice), "AG_NEWS_TRAIN_MD5", md5(slice)));
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(
                before,
                requests.get(),
                "files already there with the right md5 are not downloaded again");
    }

    @Test
    void aFullSizeTrainingSplitGives1250RowsOfEachClass() throws Exception {
        // 120,000 rows in the original layout, classes interleaved as in the release, titles with
        // quotes and commas.
        var train = new StringBuilder();
        for (int i = 0; i < 120_000; i++) {
            int cls = 1 + (i + i / 4) % 4; // exactly 30,000 of each class, interleaved
            train.append("\"")
                    .append(cls)
                    .append("\",\"Title ")
                    .append(i)
                    .append(", \"\"quoted\"\"\",\"Body ")
                    .append(i)
                    .append(" \\ back\"\n");
        }
        byte[] trainBytes = train.toString().getBytes(StandardCharsets.UTF_8);
        byte[] slice = Files.readAllBytes(SharedData.testSlice());
        served.put("/mirror/ag_news_csv/test.csv", slice);
        served.put("/mirror/ag_news_csv/train.csv", trainBytes);

        Result result =
                getData(
                        Map.of(
                                "AG_NEWS_TEST_MD5",
                                md5(slice),
                                "AG_NEWS_TRAIN_MD5",
                                md5(trainBytes)));

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(
                expectedSample(trainBytes),
                Files.readString(data.resolve("train_sample_5000.csv")));
        int[] perClass = new int[4];
        read(data.resolve("train_sample_5000.csv")).forEach(e -> perClass[e.gold()]++);
        assertArrayEquals(new int[] {1250, 1250, 1250, 1250}, perClass);
        assertTrue(result.err().contains("per class 1250, 1250, 1250, 1250 rows"), result.err());
    }

    @Test
    void aWrongChecksumIsAClearErrorAndLeavesNothingBehind() throws Exception {
        byte[] slice = Files.readAllBytes(SharedData.testSlice());
        served.put("/mirror/ag_news_csv/test.csv", slice);
        served.put("/mirror/ag_news_csv/train.csv", slice);

        Result result =
                getData(Map.of()); // the real checksums: a slice is not the original release

        assertEquals(1, result.exitCode(), result.err());
        assertTrue(
                result.err()
                        .contains(
                                baseUrl()
                                        + "/test.csv has md5 "
                                        + md5(slice)
                                        + ", expected "
                                        + TORCHTEXT_TEST_MD5),
                result.err());
        assertTrue(result.err().contains("nothing was written"), result.err());
        assertEquals(List.of(), filesInData(), "no file, no partial download");
    }

    @Test
    void aWrongTrainingChecksumKeepsTheGoodTestSplitAndNothingElse() throws Exception {
        byte[] slice = Files.readAllBytes(SharedData.testSlice());
        served.put("/mirror/ag_news_csv/test.csv", slice);
        served.put("/mirror/ag_news_csv/train.csv", slice);

        Result result = getData(Map.of("AG_NEWS_TEST_MD5", md5(slice)));

        assertEquals(1, result.exitCode(), result.err());
        assertTrue(
                result.err()
                        .contains(
                                "/train.csv has md5 "
                                        + md5(slice)
                                        + ", expected "
                                        + TORCHTEXT_TRAIN_MD5),
                result.err());
        assertEquals(
                List.of("test.csv"),
                filesInData(),
                "the verified test split, and no partial train.csv");
    }

    @Test
    void aMissingFileIsAClearErrorAndLeavesNothingBehind() throws Exception {
        Result result = getData(Map.of());
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(
                result.err().contains("downloading " + baseUrl() + "/test.csv failed"),
                result.err());
        assertEquals(List.of(), filesInData());
    }

    /**
     * The rule of get-data.sh's header, written independently: per class, the rows whose rank among
     * that class's rows is a multiple of 24, at most 1,250 per class, in file order; text,label
     * with minimal quoting.
     */
    private static String expectedSample(byte[] agNewsCsv) {
        var out = new StringBuilder("text,label\n");
        int[] rank = new int[5];
        int[] taken = new int[5];
        for (String line : new String(agNewsCsv, StandardCharsets.UTF_8).split("\n")) {
            List<String> fields = quotedFields(line);
            int cls = Integer.parseInt(fields.get(0));
            if (rank[cls]++ % 24 == 0 && taken[cls] < 1250) {
                taken[cls]++;
                String text = fields.get(1) + " " + fields.get(2);
                boolean quote =
                        text.contains(",")
                                || text.contains("\"")
                                || text.contains("\r")
                                || text.contains("\n");
                out.append(quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text)
                        .append(',')
                        .append(cls - 1)
                        .append('\n');
            }
        }
        return out.toString();
    }

    /** Splits a line of fully quoted fields ({@code "a","b ""x""","c"}). */
    private static List<String> quotedFields(String line) {
        var fields = new ArrayList<String>();
        int i = 0;
        while (i < line.length()) {
            assertEquals('"', line.charAt(i), line);
            var field = new StringBuilder();
            i++;
            while (true) {
                char c = line.charAt(i++);
                if (c == '"') {
                    if (i < line.length() && line.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                } else {
                    field.append(c);
                }
            }
            fields.add(field.toString());
            i++; // the comma
        }
        return fields;
    }

    private static List<Example> read(Path file) {
        var examples = new ArrayList<Example>();
        try (ExampleSource source =
                DatasetReader.open(DatasetSpec.of(file), LabelSet.parse(LabelSet.AG_NEWS))) {
            source.forEachRemaining(examples::add);
        }
        return examples;
    }

    private static String md5(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }
}
