package dev.llmcls.cli;

import dev.llmcls.core.ExitCodes;
import dev.llmcls.core.InputException;
import dev.llmcls.core.OutputException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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
        description = "Text classification experiments with large language models.")
public final class Cli implements Runnable {
    /**
     * The subcommands, by name, in the order help lists them (added by {@link
     * #commandLine(String[], PrintWriter, PrintWriter)}).
     */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("classify", ClassifyCommand::new);
        COMMANDS.put("evaluate", EvaluateCommand::new);
        COMMANDS.put("batch", BatchCommand::new);
        COMMANDS.put("store", StoreCommand::new);
        COMMANDS.put("experiment", ExperimentCommand::new);
        COMMANDS.put("runs", RunsCommand::new);
        COMMANDS.put("datasets", DatasetsCommand::new);
        COMMANDS.put("help", CommandLine.HelpCommand::new);
    }

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

    /** The whole command line, every subcommand, on the process's stdout and stderr. */
    public static CommandLine commandLine() {
        return commandLine(new String[0], stdout(), stderr());
    }

    /** The whole command line, every subcommand, writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(new String[0], out, err);
    }

    /** The command line that runs {@code args} on the process's stdout and stderr. */
    public static CommandLine commandLine(String[] args) {
        return commandLine(args, stdout(), stderr());
    }

    /**
     * The command line that runs {@code args}: where they begin with a command's name (as every run
     * does), only that command is built, as picocli builds each command's model from its
     * annotations and options at a cost (a fifth of the time a {@code classify} takes to its first
     * request, with all seven; BENCHMARKS.md, issue 22). Anything else ({@code help}, {@code
     * --version}, a misspelt command, an option first) gets every command, as help and picocli's
     * suggestions need them.
     */
    public static CommandLine commandLine(String[] args, PrintWriter out, PrintWriter err) {
        var cli = new Cli();
        var commandLine = new CommandLine(cli);
        String first = args.length > 0 ? args[0] : null;
        if (first != null && !first.equals("help") && COMMANDS.containsKey(first)) {
            commandLine.addSubcommand(first, COMMANDS.get(first).get());
        } else {
            COMMANDS.forEach((name, command) -> commandLine.addSubcommand(name, command.get()));
        }
        commandLine.setCaseInsensitiveEnumValuesAllowed(
                true); // --format csv, as the README writes it
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(
                (e, command, parsed) -> handleException(e, command, cli.verbose));
        return commandLine;
    }

    // UTF-8 whatever the locale: JSON on stdout must be UTF-8 (RFC 8259), and JDK 17's default
    // under LANG=C is ASCII, which printed Chinese labels (carp-zh) as '?'.
    private static PrintWriter stdout() {
        return new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    }

    private static PrintWriter stderr() {
        return new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
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
