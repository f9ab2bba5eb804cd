package dev.llmcls.cli;

import dev.llmcls.core.ExitCodes;
import dev.llmcls.core.InputException;
import dev.llmcls.core.Json;
import dev.llmcls.store.AnswerStore;
import dev.llmcls.store.StoreSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmcls store stats|prune|export|import|check}: the answer store's contents and upkeep. */
@Command(
        name = "store",
        mixinStandardHelpOptions = true,
        description = {
            "Look after the answer store: the answers classify keeps across runs (see classify"
                    + " --store).",
            "The store is --store DIR, else $LLMCLS_STORE, else ~/.cache/llmcls/answers."
        },
        subcommands = {
            StoreCommand.Stats.class,
            StoreCommand.Prune.class,
            StoreCommand.Export.class,
            StoreCommand.Import.class,
            StoreCommand.Check.class
        })
public final class StoreCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "a subcommand is required: stats, prune, export, import or check");
    }

    /** The store option every subcommand takes. */
    static class Where {
        @Option(
                names = "--store",
                paramLabel = "DIR",
                description = "The answer store's directory.")
        Path store;

        Path dir() {
            StoreSettings settings =
                    StoreSettings.of(
                            store,
                            StoreSettings.Use.READ_WRITE,
                            false,
                            System.getenv(),
                            System.getProperty("user.home"));
            if (!settings.enabled()) {
                throw new InputException(
                        "the answer store is off (LLMCLS_STORE=off); name one with --store DIR");
            }
            return settings.dir();
        }

        AnswerStore open() {
            return AnswerStore.open(dir());
        }
    }

    @Command(
            name = "stats",
            mixinStandardHelpOptions = true,
            description = "What the store holds, per model.")
    static final class Stats implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin Where where = new Where();

        @Option(
                names = "--format",
                defaultValue = "text",
                paramLabel = "text|json",
                description = "text or json.")
        String format;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (AnswerStore store = where.open()) {
                AnswerStore.Stats stats = store.stats();
                if (format.equals("json")) {
                    out.println(Json.MAPPER.writeValueAsString(stats));
                } else {
                    out.printf(
                            Locale.ROOT,
                            "store: %s (%.1f MB)%n",
                            stats.file(),
                            stats.bytes() / 1e6);
                    out.printf(
                            Locale.ROOT,
                            "answers: %d (%d sampled) from %d runs, %s to %s%n",
                            stats.answers(),
                            stats.sampled(),
                            stats.runs(),
                            stats.oldest() == null ? "-" : stats.oldest(),
                            stats.newest() == null ? "-" : stats.newest());
                    for (AnswerStore.ModelCount model : stats.models()) {
                        out.printf(Locale.ROOT, "  %8d  %s%n", model.answers(), model.model());
                    }
                }
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "prune",
            mixinStandardHelpOptions = true,
            description =
                    "Remove answers older than a time, of a model, or both. To clear the whole"
                            + " store, delete its directory.")
    static final class Prune implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin Where where = new Where();

        @Option(
                names = "--older-than",
                paramLabel = "DURATION",
                converter = DurationConverter.Positive.class,
                description = "Answers kept longer ago than this, e.g. 30d, 12h.")
        Duration olderThan;

        @Option(
                names = "--model",
                paramLabel = "NAME",
                description = "Answers of this model (its id as served).")
        String model;

        @Override
        public Integer call() {
            if (olderThan == null && model == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "say what to prune: --older-than DURATION and/or --model NAME");
            }
            try (AnswerStore store = where.open()) {
                long removed =
                        store.prune(
                                olderThan == null ? null : Instant.now().minus(olderThan), model);
                spec.commandLine()
                        .getOut()
                        .println("removed " + removed + " answers from " + store.file());
                spec.commandLine().getOut().flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description =
                    "Write every answer to FILE as JSONL (one answer a line), for another machine"
                            + " or person.")
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin Where where = new Where();

        @Parameters(paramLabel = "FILE", description = "The JSONL file to write (- for stdout).")
        Path file;

        @Override
        public Integer call() throws IOException {
            try (AnswerStore store = where.open()) {
                long n;
                if (file.toString().equals("-")) {
                    n = store.export(spec.commandLine().getOut());
                } else {
                    Path partial = file.resolveSibling(file.getFileName() + ".partial");
                    try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                        n = store.export(out);
                    }
                    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                spec.commandLine().getErr().println("exported " + n + " answers");
                spec.commandLine().getErr().flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description =
                    "Add the answers of a JSONL file written by export; answers the store has are"
                            + " kept as they are.")
    static final class Import implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin Where where = new Where();

        @Parameters(paramLabel = "FILE", description = "A file written by llmcls store export.")
        Path file;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                throw new InputException("no such file: " + file);
            }
            try (AnswerStore store = where.open();
                    BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                AnswerStore.Imported imported = store.importFrom(in, file.toString());
                spec.commandLine()
                        .getOut()
                        .println(
                                "imported "
                                        + imported.added()
                                        + " answers ("
                                        + imported.present()
                                        + " already present) into "
                                        + store.file());
                spec.commandLine().getOut().flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description =
                    "Check the database (SQLite integrity_check) and that every answer is whole and"
                            + " under its key.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin Where where = new Where();

        @Override
        public Integer call() {
            try (AnswerStore store = where.open()) {
                AnswerStore.Check check = store.check();
                spec.commandLine()
                        .getOut()
                        .println(
                                "sqlite: "
                                        + check.sqlite()
                                        + "; "
                                        + check.answers()
                                        + " answers, "
                                        + check.badKeys()
                                        + " under a wrong key, "
                                        + check.badAnswers()
                                        + " not a whole JSON object");
                spec.commandLine().getOut().flush();
                return check.ok() ? ExitCodes.OK : ExitCodes.FAILURES;
            }
        }
    }
}
