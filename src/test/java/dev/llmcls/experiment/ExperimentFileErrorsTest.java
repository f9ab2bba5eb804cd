package dev.llmcls.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.TinyFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way an experiment file can be wrong stops {@code plan}, {@code run} and {@code report} with
 * exit 2, one line naming the place ({@code file:line:column}) where the file has one, and nothing
 * sent to the server.
 */
class ExperimentFileErrorsTest {
    @TempDir Path dir;

    private FakeOpenAiServer server;

    @BeforeEach
    void start() throws IOException {
        server = FakeOpenAiServer.start(request -> "label: World");
        Files.copy(TinyFixture.CSV, dir.resolve("tiny.csv"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of(
                        "YAML syntax",
                        "experiment: x\ngrid:\n  mode: [basic, reason\n",
                        "YAML syntax",
                        "study.yaml:3:"),
                Arguments.of(
                        "unknown top-level key",
                        "experiment: x\ngird:\n  mode: [basic]\n",
                        "unknown key 'gird'; did you mean 'grid'?",
                        "study.yaml:2:1"),
                Arguments.of(
                        "unknown option",
                        "experiment: x\ndefaults:\n  data: tiny.csv\n  max-token: 5\ngrid:\n"
                                + "  mode: [basic]\n",
                        "unknown option 'max-token'; did you mean 'max-tokens'?",
                        "study.yaml:4:3"),
                Arguments.of(
                        "unknown option in a level",
                        "experiment: x\ndefaults: {data: tiny.csv}\ngrid:\n"
                                + "  server:\n    a: {base-ulr: http://h/v1}\n",
                        "unknown option 'base-ulr'; did you mean " + "'base-url'?",
                        "study.yaml:5:9"),
                Arguments.of(
                        "value the option refuses",
                        "experiment: x\ndefaults:\n  data: tiny.csv\n"
                                + "  max-tokens: lots\ngrid:\n  mode: [basic]\n",
                        "Invalid value for option '--max-tokens'",
                        "study.yaml:4:3"),
                Arguments.of(
                        "level the option refuses",
                        "experiment: x\ndefaults: {data: tiny.csv}\n"
                                + "grid:\n  mode: [basic, nonsense]\n",
                        "Invalid value for option '--mode'",
                        "study.yaml:4:17"),
                Arguments.of(
                        "combination classify refuses",
                        "experiment: x\ndefaults: {data: tiny.csv}\n" + "grid:\n  votes: [1, 3]\n",
                        "--votes 3 samples several answers and needs --temperature",
                        "study.yaml: cell #2 (votes=3)"),
                Arguments.of(
                        "two factors set one option",
                        "experiment: x\ndefaults: {data: tiny.csv}\ngrid:\n"
                                + "  mode: [basic, reason]\n  prompt:\n    seed: {mode: basic}\n",
                        "factors 'mode' and 'prompt' both set the option 'mode'",
                        "study.yaml:6:12"),
                Arguments.of(
                        "empty grid",
                        "experiment: x\ndefaults: {data: tiny.csv}\ngrid: {}\n",
                        "the grid is empty",
                        "study.yaml:3:7"),
                Arguments.of(
                        "factor with no levels",
                        "experiment: x\ndefaults: {data: tiny.csv}\ngrid:\n  mode: []\n",
                        "the grid is empty: factor 'mode' has no levels",
                        "study.yaml:4:9"),
                Arguments.of(
                        "everything excluded",
                        "experiment: x\ndefaults: {data: tiny.csv}\ngrid:\n"
                                + "  mode: [basic]\nexclude:\n  - {mode: basic}\n",
                        "every combination is excluded",
                        "study.yaml:6:5"),
                Arguments.of(
                        "exclusion of an unknown level",
                        "experiment: x\ndefaults: {data: tiny.csv}\ngrid:\n"
                                + "  mode: [basic, reason]\nexclude:\n  - {mode: reasn}\n",
                        "unknown level 'reasn'; did you mean 'reason'?",
                        "study.yaml:6:12"),
                Arguments.of(
                        "an option the experiment sets",
                        "experiment: x\ndefaults: {data: tiny.csv, output: o.jsonl}\n"
                                + "grid:\n  mode: [basic]\n",
                        "'output' cannot be set in an experiment file",
                        "study.yaml:2:28"),
                Arguments.of(
                        "replicates and a seed",
                        "experiment: x\ndefaults: {data: tiny.csv, seed: 7}\n"
                                + "replicates: 3\ngrid:\n  mode: [basic]\n",
                        "'seed' is set here and by 'replicates: 3'",
                        "study.yaml:2:"),
                Arguments.of(
                        "a switch with a value",
                        "experiment: x\ndefaults: {data: tiny.csv, confidence: maybe}\n"
                                + "grid:\n  mode: [basic]\n",
                        "confidence is a switch: true or false",
                        "study.yaml:2:"),
                Arguments.of(
                        "no data",
                        "experiment: x\ngrid:\n  mode: [basic]\n",
                        "has no 'data'",
                        "study.yaml"),
                Arguments.of(
                        "a bad name",
                        "experiment: ../up\ngrid:\n  mode: [basic]\n",
                        "the name must be letters",
                        "study.yaml:1:13"),
                Arguments.of(
                        "bad replicates",
                        "experiment: x\nreplicates: 0\ngrid:\n  mode: [basic]\n",
                        "replicates: a whole number",
                        "study.yaml:2:13"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFileExitsTwoNamingThePlaceAndSendsNothing(
            String name, String yaml, String message, String place) throws IOException {
        Path file = dir.resolve("study.yaml");
        Files.writeString(file, yaml);
        for (String command : new String[] {"plan", "run", "report"}) {
            CliRun run =
                    CliRun.of(
                            "experiment",
                            command,
                            file.toString(),
                            "--output-dir",
                            dir.resolve("out").toString());
            assertEquals(2, run.exitCode(), command + ": " + run);
            assertTrue(run.err().contains(message), command + ": " + run.err());
            assertTrue(
                    run.err().contains(place),
                    command + ": expected " + place + " in " + run.err());
            assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
        }
        assertEquals(0, server.chatRequests());
        assertEquals(0, server.modelListings());
    }
}
