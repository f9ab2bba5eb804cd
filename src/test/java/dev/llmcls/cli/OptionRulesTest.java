package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.llm.ServerConfig;
import dev.llmcls.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * One table of option rules checks every command: the same invalid method options are refused, with
 * the same line, by {@code classify} and by {@code batch export} (exit 2, nothing written); batch
 * files take no server options.
 */
class OptionRulesTest {
    private static final String DATA = "src/test/resources/fixtures/tiny.csv";

    /**
     * Nothing listens here: a rule that let a run through would fail on the connection, not with
     * exit 2.
     */
    private static final String NO_SERVER = "http://127.0.0.1:9/v1";

    @TempDir Path dir;

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--votes 3                                   | --votes 3 samples several answers"
                        + " and needs --temperature above 0",
                "--mode knn                                  | --mode knn needs a labelled pool:"
                        + " --train FILE",
                "--mode similarity --votes 3                 | --shots, --votes and --constrain are"
                        + " for prompting modes, not --mode similarity",
                "--mode similarity --confidence              | --scoring likelihood, --confidence"
                        + " and --calibrate are for prompting modes, not --mode similarity",
                "--scoring likelihood --confidence           | --scoring likelihood scores every"
                        + " label itself; --votes, --constrain and --confidence are for generated"
                        + " answers",
                "--calibrate batch                           | --calibrate corrects the label"
                        + " distributions of --scoring likelihood",
                "--shots 2                                   | --shots needs a labelled pool to"
                        + " draw demonstrations from: --train FILE",
                "--shots -1                                  | --shots must be 0 or more, got -1",
                "--k 0 --mode knn --train x.csv              | --k must be at least 1, got 0",
                "--top-logprobs 0                            | --top-logprobs must be at least 1,"
                        + " got 0",
                "--max-tokens 0                              | --max-tokens must be at least 1, got"
                        + " 0",
                "--limit 0                                   | --limit must be at least 1, got 0",
                "--mode knn --train x.csv --prompt p.txt     | --mode knn sends no prompt; --prompt"
                        + " does not apply"
            })
    void classifyAndBatchExportRefuseTheSameOptionsWithTheSameLine(String options, String message) {
        for (List<String> command :
                List.of(
                        List.of("classify", "--base-url", NO_SERVER),
                        List.of(
                                "batch",
                                "export",
                                "--model",
                                "m",
                                "--requests",
                                dir.resolve("r.jsonl").toString()))) {
            var args = new ArrayList<>(command);
            args.addAll(List.of("--data", DATA, "--output", dir.resolve("out.jsonl").toString()));
            args.addAll(List.of(options.split(" ")));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), command + " " + options + "\n" + run);
            assertTrue(run.err().contains(message), run.toString());
            assertFalse(Files.exists(dir.resolve("out.jsonl")), "nothing written");
            assertFalse(Files.exists(dir.resolve("r.jsonl")), "nothing written");
        }
    }

    @Test
    void dataIsRequiredThoughItSitsInASection() {
        CliRun run = CliRun.of("classify", "--base-url", NO_SERVER);
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("Missing required option: '--data=FILE'"), run.err());
    }

    @ParameterizedTest
    @CsvSource({
        "--base-url, http://x/v1",
        "--concurrency, 4",
        "--timeout, 1s",
        "--max-attempts, 2",
        "--grace, 1s"
    })
    void batchFilesTakeNoServerOrRetryOptions(String option, String value) {
        CliRun run =
                CliRun.of(
                        "batch",
                        "export",
                        "--data",
                        DATA,
                        "--model",
                        "m",
                        option,
                        value,
                        "--requests",
                        dir.resolve("r.jsonl").toString(),
                        "--output",
                        dir.resolve("out.jsonl").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(
                run.err().startsWith("Unknown option") && run.err().contains("'" + option + "'"),
                run.err());
        assertFalse(
                CliRun.of("batch", "export", "--help").out().contains(option),
                "help lists " + option);
    }

    @Test
    void evaluateIsCheckedByTheSameTable() {
        CliRun run = CliRun.of("evaluate", "--resamples", "10", "x.jsonl");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--resamples must be at least 2000"), run.err());
        CliRun baseline = CliRun.of("evaluate", "--baseline", "3", "a.jsonl", "b.jsonl");
        assertTrue(
                baseline.err().contains("--baseline must be between 1 and 2, the number of files"),
                baseline.err());
    }

    @Test
    void theBaseUrlDefaultComesFromTheEnvironmentThroughPicocli() throws NoSuchFieldException {
        CommandLine root = Cli.commandLine();
        CommandLine classify = root.getSubcommands().get("classify");
        var option = classify.getCommandSpec().findOption("--base-url");
        String annotation =
                ServerOptions.class
                        .getDeclaredField("baseUrls")
                        .getAnnotation(CommandLine.Option.class)
                        .defaultValue();
        assertEquals("${env:LLMCLS_BASE_URL:-" + ServerConfig.DEFAULT_BASE_URL + "}", annotation);
        root.parseArgs("classify", "--data", DATA);
        String fromEnvironment = System.getenv(ServerOptions.BASE_URL_VARIABLE);
        List<String> expected =
                fromEnvironment == null
                        ? List.of(ServerConfig.DEFAULT_BASE_URL)
                        : fromEnvironment.isEmpty() ? List.of() : List.of(fromEnvironment);
        assertEquals(expected, option.getValue());
    }
}
