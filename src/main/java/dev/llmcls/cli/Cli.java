package dev.llmcls.cli;

import dev.llmcls.core.ExitCodes;
import dev.llmcls.core.InputException;
import dev.llmcls.core.OutputException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level {@code llmcls} command and the one place where commands, streams and error handling
 * are wired.
 */
@Command(
        name = "llmcls",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Text classification experiments with large language models.",
        subcommands = {
            ClassifyCommand.class,
            EvaluateCommand.class,
            BatchCommand.class,
            StoreCommand.class,
            ExperimentCommand.class,
            RunsCommand.class,
            DatasetsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Cli implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /**
     * Declared once, here, and inherited by every subcommand; picocli sets it on this object
     * wherever it is given ({@code llmcls -v evaluate ...} or {@code llmcls evaluate -v ...}), so
     * the exception handler sees it.
     */
    @CommandLine.Option(
            names = {"-v", "--verbose"},
            scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces of errors.")
    boolean verbose;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "a command is required: classify, evaluate, batch, store, experiment, runs or"
                        + " datasets");
    }

    public static CommandLine commandLine() {
        // UTF-8 whatever the locale: JSON on stdout must be UTF-8 (RFC 8259), and JDK 17's default
        // under LANG=C is
        // ASCII, which printed Chinese labels (carp-zh) as '?'.
        return commandLine(
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        var cli = new Cli();
        var commandLine = new CommandLine(cli);
        commandLine.setCaseInsensitiveEnumValuesAllowed(
                true); // --format csv, as the README writes it
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(
                (e, command, parsed) -> handleException(e, command, cli.verbose));
        return commandLine;
    }

    /**
     * One clear line instead of a stack trace; bad input exits 2, output that cannot be written (a
     * full disk) 74, anything else 1. {@code --verbose} adds the trace.
     */
    static int handleException(Exception e, CommandLine commandLine, boolean verbose) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof InputException) {
            err.println("llmcls: " + e.getMessage());
            printTrace(err, e, verbose);
            return ExitCodes.USAGE;
        }
        OutputException output = OutputException.in(e);
        if (output != null) {
            err.println("llmcls: " + output.getMessage());
            printTrace(err, e, verbose);
            return ExitCodes.IO;
        }
        String message =
                e instanceof UncheckedIOException && e.getCause() != null
                        ? e.getMessage() + ": " + e.getCause().getMessage()
                        : String.valueOf(e.getMessage());
        err.println("llmcls: " + e.getClass().getSimpleName() + ": " + message);
        printTrace(err, e, verbose);
        return ExitCodes.FAILURES;
    }

    private static void printTrace(PrintWriter err, Exception e, boolean verbose) {
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
    }
}
