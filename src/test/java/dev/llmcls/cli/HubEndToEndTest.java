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
