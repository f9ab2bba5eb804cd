package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.testing.CliRun;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Defect: {@code --verbose} was declared on each subcommand but read from the root's parse result,
 * so {@code llmcls evaluate --verbose /nonexistent.jsonl} printed no stack trace. It is declared
 * once, inherited.
 */
@Timeout(120)
class VerboseOptionTest {
    private static final String MISSING = "/nonexistent/llmcls-run.jsonl";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "'evaluate --verbose', true",
        "'evaluate -v', true",
        "'--verbose evaluate', true",
        "'evaluate', false"
    })
    void aStackTraceAppearsExactlyWhenVerbose(String command, boolean verbose) {
        var args = new java.util.ArrayList<>(java.util.List.of(command.split(" ")));
        args.add(MISSING);
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("llmcls: no such run file: " + MISSING), run.err());
        assertEquals(
                verbose, run.err().contains("\tat dev.llmcls.cli.EvaluateCommand.call"), run.err());
    }

    @ParameterizedTest
    @CsvSource({"--verbose, true", "--quiet, false"})
    void classifyHonoursItToo(String option, boolean verbose) {
        CliRun run =
                CliRun.of(
                        "classify",
                        option,
                        "--data",
                        "/nonexistent/data.csv",
                        "--base-url",
                        "http://127.0.0.1:9/v1");
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(verbose, run.err().contains("\tat dev.llmcls."), run.err());
        assertFalse(run.err().isBlank());
    }
}
