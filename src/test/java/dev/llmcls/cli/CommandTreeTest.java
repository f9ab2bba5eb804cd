package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import picocli.CommandLine;

/**
 * The command line {@code Main} builds for its arguments holds only the subcommand they name, and
 * that subcommand reads and shows exactly as in the whole tree.
 */
class CommandTreeTest {
    static final List<String> COMMANDS =
            Cli.COMMANDS.stream().filter(name -> !name.equals("help")).toList();

    @ParameterizedTest
    @FieldSource("COMMANDS")
    void aCommandNamedFirstIsBuiltAloneAndShowsTheSameHelpAsInTheWholeTree(String name) {
        CommandLine alone = Cli.commandLine(name, "--help");
        assertEquals(List.of(name), List.copyOf(alone.getSubcommands().keySet()));
        CommandLine whole = Cli.commandLine();
        assertEquals(
                whole.getSubcommands().get(name).getUsageMessage(),
                alone.getSubcommands().get(name).getUsageMessage());
    }

    @Test
    void anythingElseGetsTheWholeTree() {
        for (String[] args :
                List.of(
                        new String[] {},
                        new String[] {"--help"},
                        new String[] {"help", "runs"},
                        new String[] {"-v", "runs"},
                        new String[] {"rnus"})) {
            assertEquals(
                    Cli.COMMANDS, List.copyOf(Cli.commandLine(args).getSubcommands().keySet()));
        }
    }

    @Test
    void anOptionInheritedFromTheTopCommandWorksOnACommandBuiltAlone() {
        var err = new StringWriter();
        CommandLine alone =
                Cli.commandLine(
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true),
                        List.of("runs"));
        int code = alone.execute("runs", "--verbose", "/no/such/dir");
        assertEquals(2, code);
        String text = err.toString();
        assertEquals(
                "llmcls: /no/such/dir is neither a directory nor a run's output",
                text.lines().findFirst().orElse(""));
        // --verbose, declared on the top command, reached the handler: the trace follows
        assertTrue(text.contains("at dev.llmcls.runs.RunLister"), text);
    }
}
