package dev.llmcls.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmcls.core.ExitCodes;
import dev.llmcls.core.Json;
import dev.llmcls.report.TextTable;
import dev.llmcls.runs.Holder;
import dev.llmcls.runs.RunLister;
import dev.llmcls.runs.RunRow;
import dev.llmcls.runs.RunState;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code llmcls runs [DIR ...]}: every run under some directories, how far it got and whether it
 * still runs.
 */
@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = {
            "List the runs under DIR (default: output/), recursively: each output with its mode,"
                + " model, data, examples answered of the total, errors, accuracy (strict scorer,"
                + " when the data has gold labels), state, start and last write.",
            "States: running (its lock's holder is alive; with its pid and records a second),"
                + " complete, partial (it ended with examples unanswered or failed), stopped (it"
                + " never ended: killed, its lock's holder is gone). Run a partial or stopped run"
                + " again to resume it.",
            "Reads each run's manifest, lock, progress summary and the records written after it,"
                    + " never the whole file (except for runs written before progress summaries"
                    + " existed); nothing is changed."
        })
public final class RunsCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
            paramLabel = "DIR",
            arity = "0..*",
            description = "Directories to search (or a run's output file). Default: output.")
    List<Path> dirs = new ArrayList<>();

    enum Format {
        TEXT,
        JSON
    }

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> where = dirs;
        if (where.isEmpty()) {
            where = List.of(Path.of("output"));
            if (!Files.isDirectory(where.get(0))) {
                err.println("no runs: there is no output/ here (name the directories to search)");
                err.flush();
                if (format == Format.JSON) {
                    out.println("[]");
                    out.flush();
                }
                return ExitCodes.OK;
            }
        }
        List<RunRow> rows = new RunLister(Holder.thisHost(), Instant.now()).list(where);
        if (format == Format.JSON) {
            try {
                out.println(
                        Json.MAPPER
                                .writer(SerializationFeature.INDENT_OUTPUT)
                                .writeValueAsString(rows));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            out.flush();
            return ExitCodes.OK;
        }
        out.print(table(rows));
        Map<String, Integer> states = new LinkedHashMap<>(); // in the states' order
        for (RunState state : RunState.values()) {
            long n = rows.stream().filter(row -> row.state() == state).count();
            if (n > 0) {
                states.put(lower(state), (int) n);
            }
        }
        long unreadable = rows.stream().filter(row -> row.state() == null).count();
        if (unreadable > 0) {
            states.put("unreadable", (int) unreadable);
        }
        var summary = new ArrayList<String>();
        states.forEach((state, n) -> summary.add(n + " " + state));
        out.println(
                rows.size()
                        + (rows.size() == 1 ? " run" : " runs")
                        + (summary.isEmpty() ? "" : " (" + String.join(", ", summary) + ")")
                        + (rows.stream().anyMatch(row -> "scanned".equals(row.summary()))
                                ? "; runs marked * have no progress summary (older llmcls) and were"
                                        + " read whole"
                                : ""));
        for (RunRow row : rows) {
            if (row.note() != null) {
                err.println(row.output() + ": " + row.note());
            }
        }
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }

    static String table(List<RunRow> rows) {
        var table =
                new TextTable(
                        List.of(
                                "output",
                                "state",
                                "mode",
                                "model",
                                "answered",
                                "errors",
                                "accuracy",
                                "pid",
                                "rate/s",
                                "started",
                                "last written"));
        for (RunRow row : rows) {
            table.add(
                    List.of(
                            row.output() + ("scanned".equals(row.summary()) ? " *" : ""),
                            row.state() == null ? "unreadable" : lower(row.state()),
                            orDash(
                                    row.mode() == null
                                            ? null
                                            : row.mode()
                                                    + (row.method() == null
                                                            ? ""
                                                            : " (" + row.method() + ")")),
                            orDash(row.model()),
                            row.answered() + "/" + row.total(),
                            Long.toString(row.errors()),
                            row.accuracy() == null
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.2f%%", 100 * row.accuracy()),
                            row.pid() == null
                                    ? "-"
                                    : row.pid() + (row.host() == null ? "" : "@" + row.host()),
                            row.rate() == null
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.1f", row.rate()),
                            minute(row.started()),
                            minute(row.lastWritten())));
        }
        return table.render();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    /** An ISO instant to the second, with a space: 2026-12-05 14:03:43Z. */
    private static String minute(String instant) {
        if (instant == null) {
            return "-";
        }
        String text = instant.replace('T', ' ');
        int dot = text.indexOf('.');
        return dot > 0 ? text.substring(0, dot) + "Z" : text;
    }
}
