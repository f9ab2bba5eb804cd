package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.testing.ChildLlmcls;
import dev.llmcls.testing.CliRun;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code --help} is the first thing a new user types: every command's help, in a real child JVM
 * (picocli prints its own warnings straight to System.err), goes to stdout only, exits 0 and prints
 * nothing at all on stderr.
 */
class HelpTextTest {
    @TempDir Path dir;

    /**
     * Every command and subcommand, found from the command tree so that a new one is covered too.
     */
    static Stream<List<String>> helpInvocations() {
        var invocations = new ArrayList<List<String>>();
        collect(Cli.commandLine(), new ArrayList<>(), invocations);
        return invocations.stream();
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> out) {
        if (command.getCommandSpec().mixinStandardHelpOptions()) {
            var withHelp = new ArrayList<>(path);
            withHelp.add("--help");
            out.add(withHelp);
        }
        command.getSubcommands()
                .forEach(
                        (name, sub) -> {
                            if (sub.getCommandSpec().aliases().length > 0
                                    && !name.equals(sub.getCommandName())) {
                                return; // an alias: the same command under another name
                            }
                            var subPath = new ArrayList<>(path);
                            subPath.add(name);
                            collect(sub, subPath, out);
                            if (path.isEmpty() && !name.equals("help")) {
                                out.add(
                                        List.of(
                                                "help",
                                                name)); // "llmcls help classify" renders the same
                                // text another way
                            }
                        });
    }

    @Tag("slow") // a child JVM per command
    @ParameterizedTest(name = "llmcls {0}")
    @MethodSource("helpInvocations")
    void helpPrintsUsageOnStdoutAndNothingOnStderr(List<String> args)
            throws IOException, InterruptedException {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process =
                new ProcessBuilder(ChildLlmcls.command(args.toArray(String[]::new)))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "llmcls " + args + " did not finish");
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals("", stderr, "llmcls " + String.join(" ", args) + " wrote to stderr");
        assertEquals(0, process.exitValue(), stdout);
        assertTrue(stdout.startsWith("Usage: llmcls"), stdout);
        assertFalse(stdout.contains("WARN"), stdout);
    }

    /** Defect: the help said "never more" while the limit applies to each server. */
    @Test
    void concurrencyHelpSaysTheLimitIsPerServer() {
        CliRun help = CliRun.of("classify", "--help");
        assertEquals(0, help.exitCode(), help.toString());
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(
                text.contains(
                        "Requests in flight at once per server (--base-url), never more; N servers"
                                + " have N times as many."),
                text);
    }

    @Test
    void verboseIsDeclaredOnceAndListedForEveryCommand() {
        for (String command : new String[] {"classify", "evaluate"}) {
            String help = CliRun.of(command, "--help").out();
            assertTrue(help.contains("-v, --verbose"), command + ": " + help);
        }
        assertTrue(CliRun.of("--help").out().contains("-v, --verbose"));
    }

    @Test
    void enumOptionsListTheirValues() {
        String text = CliRun.of("classify", "--help").out().replaceAll("\\s+", " ");
        assertTrue(text.contains("basic, reason, carp, carp-zh, similarity, knn"), text);
        assertFalse(text.contains("CARP_ZH"), text);
    }
}
