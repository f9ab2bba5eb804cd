package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.testing.ChildLlmcls;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code --help} is the first thing a new user types: every command's help, in a real child JVM (picocli prints its
 * own warnings straight to System.err), goes to stdout only, exits 0 and prints nothing at all on stderr.
 */
class HelpTextTest {
    @TempDir
    Path dir;

    /** Every command and subcommand, found from the command tree so that a new one is covered too. */
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
        command.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().aliases().equals(List.of()) && !name.equals(sub.getCommandName())) {
                return; // an alias: the same command under another name
            }
            var subPath = new ArrayList<>(path);
            subPath.add(name);
            collect(sub, subPath, out);
            if (path.isEmpty() && !name.equals("help")) {
                out.add(List.of("help", name)); // "llmcls help classify" renders the same text another way
            }
        });
    }

    @ParameterizedTest(name = "llmcls {0}")
    @MethodSource("helpInvocations")
    void helpPrintsUsageOnStdoutAndNothingOnStderr(List<String> args) throws IOException, InterruptedException {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(ChildLlmcls.command(args.toArray(String[]::new)))
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "llmcls " + args + " did not finish");
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals("", stderr, "llmcls " + String.join(" ", args) + " wrote to stderr");
        assertEquals(0, process.exitValue(), stdout);
        assertTrue(stdout.startsWith("Usage: llmcls"), stdout);
        assertFalse(stdout.contains("WARN"), stdout);
    }
}
