package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * A run builds only the command it names (picocli's model of all seven cost a fifth of a classify's
 * start); whatever needs the others (help, a misspelt name, options first) gets them all, and the
 * command built alone is the command built among the others.
 */
class CliCommandLineTest {
    private static final List<String> ALL =
            List.of(
                    "classify",
                    "evaluate",
                    "batch",
                    "store",
                    "experiment",
                    "runs",
                    "datasets",
                    "help");

    private static CommandLine of(String... args) {
        return Cli.commandLine(
                args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"classify", "evaluate", "batch", "store", "experiment", "runs", "datasets"})
    void aCommandsNameBuildsThatCommandAlone(String name) {
        assertEquals(Set.of(name), of(name, "--whatever").getSubcommands().keySet());
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource({"''", "help", "help classify", "--version", "clasify", "-v classify", "--help"})
    void anythingElseGetsEveryCommandInHelpsOrder(String args) {
        String[] split = args.isEmpty() ? new String[0] : args.split(" ");
        assertEquals(ALL, List.copyOf(of(split).getSubcommands().keySet()));
        assertEquals(ALL, List.copyOf(Cli.commandLine().getSubcommands().keySet()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"classify", "evaluate", "batch", "store", "experiment", "runs", "datasets"})
    void aCommandBuiltAloneIsTheCommandBuiltAmongTheOthers(String name) {
        CommandLine alone = of(name).getSubcommands().get(name);
        CommandLine among = Cli.commandLine().getSubcommands().get(name);
        assertEquals(among.getUsageMessage(), alone.getUsageMessage());
        assertEquals(
                among.getCommandSpec().qualifiedName(), alone.getCommandSpec().qualifiedName());
        assertNotNull(alone.getCommandSpec().findOption("--verbose"), "inherited from llmcls");
        assertEquals(
                among.isCaseInsensitiveEnumValuesAllowed(),
                alone.isCaseInsensitiveEnumValuesAllowed());
        assertEquals(
                among.getSubcommands().keySet(),
                alone.getSubcommands().keySet(),
                "its own commands");
    }
}
