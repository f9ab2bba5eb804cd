package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.core.Json;
import dev.llmcls.testing.ChildLlmcls;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.HubParquet;
import dev.llmcls.testing.HubStandIn;
import dev.llmcls.testing.Jsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code classify --data hf:OWNER/NAME} in a child JVM (the Hub's settings are environment
 * variables) against the Hub stand-in: the split is downloaded, its ClassLabel names are the
 * labels, the manifest names the commit, and an offline re-run resumes from the cache with the Hub
 * gone.
 */
@Timeout(180)
class HubEndToEndTest {
    private static final String TOKEN = "hf_endToEndSECRET42";

    @TempDir Path dir;

    private int classify(Map<String, String> env, Path log, String... args)
            throws IOException, InterruptedException {
        var builder = new ProcessBuilder(ChildLlmcls.command(args));
        builder.environment().put("LLMCLS_STORE", "off");
        builder.environment().remove("HF_TOKEN");
        builder.environment().remove("HF_ENDPOINT");
        builder.environment().remove("HF_HUB_OFFLINE");
        builder.environment().putAll(env);
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(150, TimeUnit.SECONDS), "the child finished");
        return process.exitValue();
    }

    @Test
    void aHubSplitRunsWithItsClassLabelsAndResumesOffline() throws Exception {
        Path parquet =
                new HubParquet()
                        .string("sentence")
                        .classLabel("label", "negative", "positive")
                        .int32("idx")
                        .row("a charming and affecting journey", 1, 0)
                        .row("bleak and desperate", 0, 1)
                        .write(dir.resolve("fixture.parquet"));
        Path output = dir.resolve("out.jsonl");
        Path log = dir.resolve("child.log");
        try (var hub =
                        new HubStandIn()
                                .file(
                                        "data/test-00000-of-00001.parquet",
                                        Files.readAllBytes(parquet),
                                        true);
                var server =
                        FakeOpenAiServer.start(
                                request ->
                                        request.prompt().contains("charming")
                                                ? "label: positive"
                                                : "label: negative")) {
            hub.repoId = "glue-team/sst2-mini";
            String[] args = {
                "classify",
                "--data",
                "hf:glue-team/sst2-mini",
                "--split",
                "test",
                "--text-field",
                "sentence",
                "--id-field",
                "idx",
                "--base-url",
                server.baseUrl(),
                "--output",
                output.toString(),
                "--concurrency",
                "1"
            };
            Map<String, String> env =
                    Map.of(
                            "HF_ENDPOINT",
                            hub.endpoint(),
                            "HF_TOKEN",
                            TOKEN,
                            "LLMCLS_CACHE",
                            dir.resolve("cache").toString());
            assertEquals(0, classify(env, log, args), Files.readString(log));
            String text = Files.readString(log);
            assertTrue(text.contains("downloading data/test-00000-of-00001.parquet"), text);
            assertFalse(text.contains(TOKEN), "the token is never logged");

            List<JsonNode> records = Jsonl.read(output);
            assertEquals(
                    List.of("positive", "negative"),
                    records.stream().map(r -> r.get("gold").asText()).toList(),
                    "the gold labels are the ClassLabel names");
            JsonNode manifest =
                    Json.MAPPER.readTree(dev.llmcls.runfile.Manifest.pathFor(output).toFile());
            assertTrue(
                    manifest.path("data")
                            .path("file")
                            .asText()
                            .contains("/snapshots/" + HubStandIn.COMMIT + "/"),
                    manifest.toString());
            assertTrue(
                    manifest.path("labels").toString().contains("negative"), manifest.toString());
            assertFalse(
                    Files.readString(dev.llmcls.runfile.Manifest.pathFor(output)).contains(TOKEN));

            hub.close();
            Map<String, String> offline =
                    Map.of(
                            "HF_ENDPOINT",
                            hub.endpoint(),
                            "HF_HUB_OFFLINE",
                            "1",
                            "LLMCLS_CACHE",
                            dir.resolve("cache").toString());
            Path log2 = dir.resolve("child2.log");
            assertEquals(0, classify(offline, log2, args), Files.readString(log2));
            assertTrue(Files.readString(log2).contains("offline"), Files.readString(log2));
            assertEquals(
                    2,
                    Jsonl.read(output).size(),
                    "the offline re-run resumed: nothing was classified twice");
        }
    }

    /**
     * The Hub's main moves to a new commit between a run and its resume: the resume is refused
     * naming both commits and the pin that resumes; with the pin it resumes from the cache.
     */
    @Test
    void aResumeAgainstAnotherCommitIsRefusedAndThePinnedCommitResumes() throws Exception {
        byte[] first =
                Files.readAllBytes(
                        new HubParquet()
                                .string("sentence")
                                .classLabel("label", "negative", "positive")
                                .int32("idx")
                                .row("a charming and affecting journey", 1, 0)
                                .row("bleak and desperate", 0, 1)
                                .write(dir.resolve("first.parquet")));
        byte[] second =
                Files.readAllBytes(
                        new HubParquet()
                                .string("sentence")
                                .classLabel("label", "negative", "positive")
                                .int32("idx")
                                .row("a charming and affecting journey", 1, 0)
                                .row("bleak and desperate", 0, 1)
                                .row("a charming third", 1, 2)
                                .write(dir.resolve("second.parquet")));
        String file = "data/test-00000-of-00001.parquet";
        String newer = "feed" + "0".repeat(36);
        Path output = dir.resolve("out.jsonl");
        try (var hub = new HubStandIn().file(file, first, true);
                var server =
                        FakeOpenAiServer.start(
                                request ->
                                        request.prompt().contains("charming")
                                                ? "label: positive"
                                                : "label: negative")) {
            Map<String, String> env =
                    Map.of(
                            "HF_ENDPOINT",
                            hub.endpoint(),
                            "LLMCLS_CACHE",
                            dir.resolve("cache").toString());
            java.util.function.Function<String, String[]> args =
                    data ->
                            new String[] {
                                "classify",
                                "--data",
                                data,
                                "--text-field",
                                "sentence",
                                "--id-field",
                                "idx",
                                "--base-url",
                                server.baseUrl(),
                                "--output",
                                output.toString(),
                                "--concurrency",
                                "1"
                            };
            Path log = dir.resolve("first.log");
            assertEquals(
                    0,
                    classify(env, log, args.apply("hf:glue-team/sst2-mini")),
                    Files.readString(log));
            JsonNode hubRecord =
                    Json.MAPPER
                            .readTree(dev.llmcls.runfile.Manifest.pathFor(output).toFile())
                            .path("data")
                            .path("hub");
            assertEquals(
                    "{\"dataset\":\"hf:glue-team/sst2-mini\",\"split\":\"test\",\"revision\":\"main\","
                        + "\"commit\":\""
                            + HubStandIn.COMMIT
                            + "\"}",
                    hubRecord.toString());

            hub.branch("main", newer).file(file, second, true);
            Path moved = dir.resolve("moved.log");
            assertEquals(
                    2,
                    classify(env, moved, args.apply("hf:glue-team/sst2-mini")),
                    Files.readString(moved));
            String refusal = Files.readString(moved);
            assertTrue(
                    refusal.contains(
                            "the Hub dataset's commit differs (was "
                                    + HubStandIn.COMMIT
                                    + " of main, now "
                                    + newer
                                    + " of main; to resume, pin the first: --data"
                                    + " hf:glue-team/sst2-mini@"
                                    + HubStandIn.COMMIT
                                    + ")"),
                    refusal);
            assertEquals(2, Jsonl.read(output).size(), "nothing was sent for the new commit");

            Path pinned = dir.resolve("pinned.log");
            int before = server.chatRequests();
            assertEquals(
                    0,
                    classify(
                            env, pinned, args.apply("hf:glue-team/sst2-mini@" + HubStandIn.COMMIT)),
                    Files.readString(pinned));
            assertEquals(before, server.chatRequests(), "the pinned run resumed: nothing to send");
            assertTrue(
                    Files.readString(pinned).contains("from the cache"), Files.readString(pinned));
        }
    }

    /**
     * An experiment file names a Hub dataset at a pinned commit: the value is the dataset, not a
     * path relative to the file, and the plan reads the split through the Hub client.
     */
    @Test
    void anExperimentFileReadsAPinnedHubDataset() throws Exception {
        Path parquet =
                new HubParquet()
                        .string("sentence")
                        .classLabel("label", "negative", "positive")
                        .int32("idx")
                        .row("a charming and affecting journey", 1, 0)
                        .row("bleak and desperate", 0, 1)
                        .row("a third", 0, 2)
                        .write(dir.resolve("fixture.parquet"));
        try (var hub =
                new HubStandIn()
                        .file(
                                "data/test-00000-of-00001.parquet",
                                Files.readAllBytes(parquet),
                                true)) {
            Path study =
                    Files.writeString(
                            dir.resolve("study.yaml"),
                            """
                            experiment: hub-study
                            defaults:
                              data: hf:glue-team/sst2-mini@%s
                              text-field: sentence
                              id-field: idx
                              base-url: http://127.0.0.1:9/v1
                              model: m
                            grid:
                              mode: [basic, reason]
                            """
                                    .formatted(HubStandIn.COMMIT));
            Path log = dir.resolve("plan.log");
            int exit =
                    classify(
                            Map.of(
                                    "HF_ENDPOINT",
                                    hub.endpoint(),
                                    "LLMCLS_CACHE",
                                    dir.resolve("cache").toString()),
                            log,
                            "experiment",
                            "plan",
                            study.toString(),
                            "--output-dir",
                            dir.resolve("out").toString());
            String text = Files.readString(log);
            assertEquals(0, exit, text);
            assertTrue(text.contains("2 cells (2 new), 6 examples"), text);
            assertTrue(
                    hub.hubRequests.contains(
                            "/api/datasets/glue-team/sst2-mini/revision/"
                                    + HubStandIn.COMMIT
                                    + "?blobs=true"),
                    hub.hubRequests.toString());
        }
    }

    @Test
    void splitWithAFileIsAUsageError() throws IOException {
        Path data = Files.writeString(dir.resolve("d.csv"), "text,label\nx,World\n");
        CliRun run = CliRun.of("classify", "--data", data.toString(), "--split", "test");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--split chooses a split of a Hub dataset"), run.err());
    }

    /**
     * {@code data: hf:OWNER/NAME} in an experiment file names the Hub dataset, not a file beside
     * the experiment file: the plan fetches the split and counts its rows.
     */
    @Test
    void anExperimentFileNamesAHubDatasetNotAPath() throws Exception {
        Path parquet =
                new HubParquet()
                        .string("sentence")
                        .classLabel("label", "negative", "positive")
                        .int32("idx")
                        .row("a charming and affecting journey", 1, 0)
                        .row("bleak and desperate", 0, 1)
                        .row("a gripping story", 1, 2)
                        .write(dir.resolve("fixture.parquet"));
        Path study = dir.resolve("studies/hub.yaml");
        Files.createDirectories(study.getParent());
        Files.writeString(
                study,
                """
                experiment: hub-study
                defaults:
                  data: hf:glue-team/sst2-mini
                  text-field: sentence
                  id-field: idx
                  base-url: http://127.0.0.1:9/v1
                grid:
                  mode: [basic, reason]
                """);
        Path log = dir.resolve("plan.log");
        try (var hub =
                new HubStandIn()
                        .file(
                                "data/test-00000-of-00001.parquet",
                                Files.readAllBytes(parquet),
                                true)) {
            hub.repoId = "glue-team/sst2-mini";
            Map<String, String> env =
                    Map.of(
                            "HF_ENDPOINT",
                            hub.endpoint(),
                            "LLMCLS_CACHE",
                            dir.resolve("cache").toString());
            int code =
                    classify(
                            env,
                            log,
                            "experiment",
                            "plan",
                            study.toString(),
                            "--output-dir",
                            dir.resolve("out").toString());
            String text = Files.readString(log);
            assertEquals(0, code, text);
            assertTrue(text.contains("2 cells (2 new), 6 examples, 6 requests to send"), text);
        }
    }
}
