package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcls.data.Shard;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code classify --shard I/N} on real AG News texts against the stand-in server, and {@code
 * evaluate} merging the shard files: the merged figures are exactly the unsharded run's.
 */
@Tag("slow") // Python stand-ins and hundreds of AG News texts through classify several times
class ShardEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIMIT = "300";

    @TempDir Path dir;

    private FakeOpenAiServer server;

    /**
     * A keyword classifier with a few answer styles picked by the text, so that runs have right,
     * wrong and multi.
     */
    static String answer(String prompt) {
        String text =
                prompt.substring(prompt.indexOf("text: ") + 6, prompt.lastIndexOf("\nlabel:"));
        String lower = text.toLowerCase();
        String label =
                lower.contains("game") || lower.contains("team")
                        ? "Sports"
                        : lower.contains("oil")
                                        || lower.contains("stock")
                                        || lower.contains("profit")
                                ? "Business"
                                : lower.contains("software")
                                                || lower.contains("space")
                                                || lower.contains("internet")
                                        ? "Science | Technology"
                                        : "World";
        return switch (Math.floorMod(text.hashCode(), 4)) {
            case 0 -> "label: " + label;
            case 1 -> "reason: keywords\nlabel: " + label;
            case 2 -> "label: " + label + " or World";
            default -> "no marker, about " + label;
        };
    }

    @BeforeEach
    void startServer() throws IOException {
        server = FakeOpenAiServer.start(request -> answer(request.prompt()));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private CliRun classify(String... extra) {
        return classifyFirst(LIMIT, extra);
    }

    private CliRun classifyFirst(String limit, String... extra) {
        var args =
                new ArrayList<>(
                        List.of(
                                "classify",
                                "--data",
                                SharedData.testSlice().toString(),
                                "--limit",
                                limit,
                                "--base-url",
                                server.baseUrl(),
                                "--concurrency",
                                "8",
                                "--quiet"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void fourShardsMergeIntoExactlyTheUnshardedFigures() throws IOException {
        Path whole = dir.resolve("basic.jsonl");
        assertEquals(0, classify("--output", whole.toString()).exitCode());
        Set<String> shardIds = new HashSet<>();
        List<String> shardFiles = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CliRun run = classify("--output", whole.toString(), "--shard", i + "/4");
            assertEquals(0, run.exitCode(), run.toString());
            Path shardFile = dir.resolve("basic.shard-" + i + "-of-4.jsonl");
            shardFiles.add(shardFile.toString());
            JsonNode manifest =
                    JSON.readTree(
                            dir.resolve("basic.shard-" + i + "-of-4.jsonl.manifest.json").toFile());
            assertEquals(i, manifest.get("shard").get("index").asInt());
            assertEquals(4, manifest.get("shard").get("count").asInt());
            assertEquals(300, manifest.get("shard").get("data_examples").asInt());
            List<JsonNode> records = readJsonl(shardFile);
            assertEquals(records.size(), manifest.get("data").get("examples").asInt());
            assertTrue(
                    records.size() > 40 && records.size() < 110,
                    "about a quarter: " + records.size());
            for (JsonNode record : records) {
                String id = record.get("id").asText();
                assertEquals(i, Shard.of(id, 4), "record " + id + " is in its shard");
                assertTrue(shardIds.add(id), "no example in two shards: " + id);
            }
        }
        Set<String> wholeIds = new TreeSet<>();
        readJsonl(whole).forEach(r -> wholeIds.add(r.get("id").asText()));
        assertEquals(
                wholeIds,
                new TreeSet<>(shardIds),
                "the shards together hold exactly the unsharded examples");

        JsonNode unsharded = evaluateJson(whole.toString()).get("runs").get(0);
        CliRun merged = CliRun.of(withFirst(shardFiles, "evaluate", "--format", "json", "--merge"));
        assertEquals(0, merged.exitCode(), merged.toString());
        assertTrue(merged.err().contains("merged all 4 shards"), merged.err());
        JsonNode mergedRun = JSON.readTree(merged.out()).get("runs").get(0);
        assertEquals(
                dir.resolve("basic.shard-*-of-4.jsonl").toString(), mergedRun.get("file").asText());
        assertEquals(withoutFile(unsharded), withoutFile(mergedRun));
        assertEquals(300, mergedRun.get("records").asInt());

        // Without --merge the manifests are recognised; a comparison with the unsharded run pairs
        // every example.
        List<String> both =
                new ArrayList<>(List.of("evaluate", "--format", "json", whole.toString()));
        both.addAll(shardFiles);
        CliRun compared = CliRun.of(both.toArray(String[]::new));
        assertEquals(0, compared.exitCode(), compared.toString());
        JsonNode report = JSON.readTree(compared.out());
        assertEquals(2, report.get("runs").size());
        JsonNode comparison = report.get("comparisons").get(0);
        assertEquals(300, comparison.get("pairs").asInt());
        assertEquals(0.0, comparison.get("difference").asDouble());
    }

    @Test
    void anExampleKeepsItsShardWhateverTheLimitAndTheFileOrder() throws IOException {
        // A JSONL copy of the first 200 texts with their own ids, in reverse order.
        List<String> lines = new ArrayList<>();
        List<String> csv =
                Files.readAllLines(SharedData.testSlice(), StandardCharsets.UTF_8).subList(0, 200);
        for (int i = 0; i < csv.size(); i++) {
            String[] cells = csv.get(i).split("\",\"", 3);
            ObjectNode line =
                    JSON.createObjectNode()
                            .put("id", "ag-" + i)
                            .put("text", cells[1] + " " + cells[2].replaceAll("\"$", ""))
                            .put("label", Integer.parseInt(cells[0].replace("\"", "")) - 1);
            lines.add(line.toString());
        }
        Path forward = dir.resolve("forward.jsonl");
        Files.write(forward, lines, StandardCharsets.UTF_8);
        Collections.reverse(lines);
        Path reversed = dir.resolve("reversed.jsonl");
        Files.write(reversed, lines, StandardCharsets.UTF_8);

        Set<String> all = new TreeSet<>();
        for (String[] variant :
                List.of(
                        new String[] {forward.toString(), "200"},
                        new String[] {reversed.toString(), "200"},
                        new String[] {forward.toString(), "120"})) {
            Path out = dir.resolve("v" + all.size() + "-" + variant[1] + ".jsonl");
            CliRun run =
                    CliRun.of(
                            "classify",
                            "--data",
                            variant[0],
                            "--id-field",
                            "id",
                            "--limit",
                            variant[1],
                            "--base-url",
                            server.baseUrl(),
                            "--output",
                            out.toString(),
                            "--shard",
                            "1/3",
                            "--quiet");
            assertEquals(0, run.exitCode(), run.toString());
            Set<String> ids = new TreeSet<>();
            readJsonl(
                            dir.resolve(
                                    out.getFileName()
                                            .toString()
                                            .replace(".jsonl", ".shard-1-of-3.jsonl")))
                    .forEach(r -> ids.add(r.get("id").asText()));
            for (String id : ids) {
                assertEquals(1, Shard.of(id, 3));
            }
            if (variant[1].equals("200")) {
                if (!all.isEmpty()) {
                    assertEquals(all, ids, "the same examples whatever the file order");
                }
                all.addAll(ids);
            } else {
                assertTrue(
                        all.containsAll(ids) && ids.size() < all.size(),
                        "a smaller limit takes a subset");
            }
        }
    }

    @Test
    void evaluateRefusesShardsOfDifferentRunsAndDuplicatesAndReportsMissingShards()
            throws IOException {
        Path basic = dir.resolve("basic.jsonl");
        Path reason = dir.resolve("reason.jsonl");
        for (int i = 0; i < 2; i++) {
            assertEquals(0, classify("--output", basic.toString(), "--shard", i + "/2").exitCode());
        }
        assertEquals(
                0,
                classify("--mode", "reason", "--output", reason.toString(), "--shard", "0/2")
                        .exitCode());
        String basic0 = dir.resolve("basic.shard-0-of-2.jsonl").toString();
        String basic1 = dir.resolve("basic.shard-1-of-2.jsonl").toString();
        String reason0 = dir.resolve("reason.shard-0-of-2.jsonl").toString();

        CliRun mixed = CliRun.of("evaluate", "--merge", basic0, reason0);
        assertEquals(2, mixed.exitCode(), mixed.toString());
        assertTrue(
                mixed.err().contains("is not a shard of the same run")
                        && mixed.err().contains("mode differs"),
                mixed.err());

        Path copy = dir.resolve("copy-of-shard-1.jsonl");
        Files.copy(Path.of(basic1), copy);
        Files.copy(
                Path.of(basic1 + ".manifest.json"),
                dir.resolve("copy-of-shard-1.jsonl.manifest.json"));
        CliRun twice = CliRun.of("evaluate", basic0, basic1, copy.toString());
        assertEquals(2, twice.exitCode(), twice.toString());
        assertTrue(twice.err().contains("shard 1/2 of one run is given twice"), twice.err());

        CliRun missing = CliRun.of("evaluate", "--format", "json", basic0, reason0);
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(
                missing.err().contains("basic.shard-*-of-2.jsonl: shard 1 of 2 missing"),
                missing.err());
        assertEquals(
                2, JSON.readTree(missing.out()).get("runs").size(), "two runs, one shard each");

        CliRun plain =
                CliRun.of("evaluate", "--merge", basic0, dir.resolve("nothing.jsonl").toString());
        assertEquals(2, plain.exitCode());

        // A file that claims a shard its records do not belong to is not that shard's output.
        Files.copy(
                Path.of(basic0 + ".manifest.json"),
                dir.resolve("wrong.shard-0-of-2.jsonl.manifest.json"));
        Files.copy(Path.of(basic1), dir.resolve("wrong.shard-0-of-2.jsonl"));
        CliRun wrong =
                CliRun.of("evaluate", dir.resolve("wrong.shard-0-of-2.jsonl").toString(), basic1);
        assertEquals(2, wrong.exitCode(), wrong.toString());
        assertTrue(wrong.err().contains("does not belong to shard 0/2"), wrong.err());
    }

    @Test
    void eachShardResumesItsOwnOutput() throws IOException {
        Path basic = dir.resolve("basic.jsonl");
        server.faults(
                request ->
                        request.number() % 5 == 0
                                ? FakeOpenAiServer.Fault.status(400)
                                : FakeOpenAiServer.Fault.none());
        CliRun first = classify("--output", basic.toString(), "--shard", "2/4");
        assertEquals(1, first.exitCode(), "some examples were rejected: " + first);
        Path shard = dir.resolve("basic.shard-2-of-4.jsonl");
        long failed = readJsonl(shard).stream().filter(r -> !r.get("error").isNull()).count();
        assertTrue(failed > 0);

        server.faults(FakeOpenAiServer.FaultPlan.NONE);
        int before = server.chatRequests();
        CliRun again =
                CliRun.of(
                        "classify",
                        "--mode",
                        "basic",
                        "--data",
                        SharedData.testSlice().toString(),
                        "--limit",
                        LIMIT,
                        "--base-url",
                        server.baseUrl(),
                        "--output",
                        basic.toString(),
                        "--shard",
                        "2/4");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(
                failed,
                server.chatRequests() - before,
                "only the failed examples of the shard are sent again");
        assertTrue(again.err().contains("shard 2/4 (from --shard 2/4)"), again.err());

        CliRun otherLimit = classifyFirst("100", "--output", basic.toString(), "--shard", "2/4");
        assertEquals(2, otherLimit.exitCode(), otherLimit.toString());
        assertTrue(otherLimit.err().contains("shard differs"), otherLimit.err());
    }

    @Test
    void eachShardHasItsOwnOutputLock() {
        Path basic = dir.resolve("basic.jsonl");
        try (var held =
                dev.llmcls.runfile.OutputLock.acquire(dir.resolve("basic.shard-1-of-2.jsonl"))) {
            CliRun locked = classify("--output", basic.toString(), "--shard", "1/2");
            assertEquals(2, locked.exitCode(), locked.toString());
            assertTrue(
                    locked.err().contains("is being written by another llmcls run"), locked.err());
            CliRun other = classify("--output", basic.toString(), "--shard", "0/2");
            assertEquals(0, other.exitCode(), "another shard writes on: " + other);
            CliRun importing =
                    CliRun.of(
                            "batch",
                            "import",
                            "--data",
                            SharedData.testSlice().toString(),
                            "--limit",
                            LIMIT,
                            "--model",
                            "glm-4-9b-chat",
                            "--output",
                            basic.toString(),
                            "--shard",
                            "1/2",
                            dir.resolve("no-results.jsonl").toString());
            assertEquals(2, importing.exitCode(), importing.toString());
            assertTrue(
                    importing.err().contains("is being written by another llmcls run"),
                    importing.err());
        }
    }

    @Test
    void aShardWritesIntoADirectoryThatDoesNotExistYet() throws IOException {
        // Regression: the manifest was written before the output created its directory, so a fresh
        // --output dir
        // (each array task's usual case) failed with "cannot write manifest".
        Path output = dir.resolve("new").resolve("runs").resolve("basic.jsonl");
        CliRun run = classifyFirst("20", "--output", output.toString(), "--shard", "0/2");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(
                Files.isRegularFile(
                        dir.resolve("new/runs/basic.shard-0-of-2.jsonl.manifest.json")));
    }

    private static String[] withFirst(List<String> files, String... first) {
        var args = new ArrayList<>(List.of(first));
        args.addAll(files);
        return args.toArray(String[]::new);
    }

    private static JsonNode withoutFile(JsonNode run) {
        ObjectNode copy = run.deepCopy();
        copy.remove("file");
        return copy;
    }

    private static JsonNode evaluateJson(String... files) throws IOException {
        CliRun run = CliRun.of(withFirst(List.of(files), "evaluate", "--format", "json"));
        assertEquals(0, run.exitCode(), run.toString());
        assertFalse(run.out().isBlank());
        return JSON.readTree(run.out());
    }

    static List<JsonNode> readJsonl(Path file) throws IOException {
        var records = new ArrayList<JsonNode>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            records.add(JSON.readTree(line));
        }
        return records;
    }
}
