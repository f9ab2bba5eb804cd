package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.run.Mode;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --mode}, {@code --constrain} and {@code --demos} are enums: the names users write, and
 * nothing else.
 */
@Timeout(120)
class EnumOptionsTest {
    private static final String DATA = "src/test/resources/fixtures/tiny.csv";

    @TempDir Path dir;

    private FakeOpenAiServer server;

    @BeforeEach
    void start() throws IOException {
        server = FakeOpenAiServer.start(request -> "label: World");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(
            value = Mode.class,
            names = {"BASIC", "REASON", "CARP", "CARP_ZH"})
    void eachPromptingModeSendsItsTemplateAndRecordsItsName(Mode mode) throws IOException {
        Path output = dir.resolve(mode + ".jsonl");
        CliRun run =
                CliRun.of(
                        "classify",
                        "--mode",
                        mode.toString(),
                        "--data",
                        DATA,
                        "--base-url",
                        server.baseUrl(),
                        "--quiet",
                        "--limit",
                        "2",
                        "--output",
                        output.toString());
        assertEquals(0, run.exitCode(), run.toString());
        var manifest =
                new ObjectMapper().readTree(dir.resolve(mode + ".jsonl.manifest.json").toFile());
        assertEquals(mode.toString(), manifest.path("mode").asText());
        assertEquals("prompts/" + mode + ".txt", manifest.path("template").path("file").asText());
        assertEquals(2, server.chatRequests());
    }

    @ParameterizedTest
    @CsvSource({
        "--mode, mine, 'basic, reason, carp, carp-zh, similarity, knn'",
        "--constrain, maybe, 'none, choice, json'",
        "--demos, best, 'random, knn'"
    })
    void anUnknownValueIsAUsageErrorListingTheChoices(String option, String value, String choices) {
        CliRun run =
                CliRun.of(
                        "classify",
                        "--data",
                        DATA,
                        "--base-url",
                        server.baseUrl(),
                        option,
                        value,
                        "--output",
                        dir.resolve("x.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().toLowerCase(java.util.Locale.ROOT).contains(choices), run.err());
        assertEquals(0, server.chatRequests());
    }

    @ParameterizedTest
    @CsvSource({"--constrain, CHOICE", "--mode, Basic", "--demos, RANDOM"})
    void valuesAreCaseInsensitive(String option, String value) {
        CliRun run =
                CliRun.of(
                        "classify",
                        "--data",
                        DATA,
                        "--base-url",
                        server.baseUrl(),
                        option,
                        value,
                        "--quiet",
                        "--limit",
                        "1",
                        "--output",
                        dir.resolve("y.jsonl").toString());
        assertEquals(0, run.exitCode(), run.toString());
    }
}
