package dev.llmcls.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AG News test split (the slice always, all 7,600 texts when the full data is present) through
 * an OpenAI-compatible server written independently of llmcls (Python's standard library), scored
 * both by {@code evaluate} and by the seed's rule written in Python exactly as the seed wrote it.
 */
@Tag("slow")
@Timeout(300)
class IndependentSeedCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void evaluateAgreesWithTheSeedRuleAppliedByHandToTheSlicesOutputs() throws Exception {
        check(SharedData.testSlice(), 400);
    }

    @Test
    void evaluateAgreesWithTheSeedRuleAppliedByHandToAll7600Outputs() throws Exception {
        check(SharedData.fullAgNews("test.csv"), 7600);
    }

    private void check(Path data, int texts) throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process server =
                new ProcessBuilder(
                                "python3",
                                "src/test/scripts/keyword_server.py",
                                Integer.toString(port))
                        .redirectErrorStream(true)
                        .start();
        try {
            var ready =
                    new BufferedReader(
                            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(ready.readLine().startsWith("listening"), "the Python server did not start");
            Path output = dir.resolve("basic.jsonl");
            CliRun run =
                    CliRun.of(
                            "classify",
                            "--mode",
                            "basic",
                            "--data",
                            data.toString(),
                            "--base-url",
                            "http://127.0.0.1:" + port + "/v1",
                            "--output",
                            output.toString(),
                            "--quiet");
            assertEquals(0, run.exitCode(), run.toString());

            JsonNode ours =
                    JSON.readTree(
                                    CliRun.of("evaluate", "--format", "json", output.toString())
                                            .out())
                            .get("runs")
                            .get(0);
            JsonNode byHand =
                    JSON.readTree(python("src/test/scripts/seed_score.py", output.toString()));
            assertEquals(texts, ours.get("records").asInt());
            assertEquals(byHand.get("records").asInt(), ours.get("records").asInt());
            assertEquals(byHand.get("right").asInt(), ours.get("seed").get("right").asInt());
            assertEquals(
                    byHand.get("multi_label").asInt(), ours.get("seed").get("multi_label").asInt());
            assertEquals(
                    byHand.get("accuracy").asDouble(),
                    ours.get("seed").get("accuracy").asDouble(),
                    1e-15);
            assertEquals(0, ours.get("errors").asInt());
            assertTrue(
                    byHand.get("multi_label").asInt() > 0 && byHand.get("right").asInt() > 0,
                    "the stub's answers exercise both outcomes: " + byHand);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String python(String script, String arg)
            throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder("python3", script, arg).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
