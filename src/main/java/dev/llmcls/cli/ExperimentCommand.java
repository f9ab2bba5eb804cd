package dev.llmcls.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmcls.core.ExitCodes;
import dev.llmcls.core.InputException;
import dev.llmcls.core.Json;
import dev.llmcls.eval.Evaluator;
import dev.llmcls.experiment.Cell;
import dev.llmcls.experiment.ExperimentFile;
import dev.llmcls.experiment.Grid;
import dev.llmcls.experiment.StudyReport;
import dev.llmcls.experiment.StudyReportWriter;
import dev.llmcls.experiment.StudyRunner;
import dev.llmcls.llm.ServerConfig;
import dev.llmcls.report.TextTable;
import dev.llmcls.run.Method;
import dev.llmcls.run.OutputCheck;
import dev.llmcls.run.StudyContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code llmcls experiment plan|run|report FILE}: a study declared in one YAML file (see README,
 * "Experiments"). The file's keys are classify's own options ({@link CellOptions}); every cell is
 * built and checked before anything is sent.
 */
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        description = {
            "Run a grid of classify runs declared in one YAML file, and report it as one study.",
            "plan shows the cells (nothing is sent); run runs those not complete, side by side;"
                + " report scores them: leaderboards and factor effects (McNemar, bootstrap, Holm)."
        },
        subcommands = {
            ExperimentCommand.Plan.class,
            ExperimentCommand.Run.class,
            ExperimentCommand.Report.class
        })
public final class ExperimentCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "a subcommand is required: plan, run or report");
    }

    /**
     * What the three subcommands share: the file, where outputs go, and the cells resolved from
     * both.
     */
    abstract static class StudyOptions {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The experiment file (YAML).")
        Path file;

        @Option(
                names = "--output-dir",
                paramLabel = "DIR",
                defaultValue = "output",
                description = "Outputs go to DIR/EXPERIMENT/CELL.jsonl. Default: ${DEFAULT-VALUE}.")
        Path outputDir;

        ExperimentFile experiment;

        List<Cell> cells() {
            experiment = ExperimentFile.read(file);
            Path studyDir = outputDir.resolve(experiment.name());
            var options = new CellOptions(experiment, studyDir);
            List<Cell> cells = new ArrayList<>();
            Map<String, Cell> ids = new LinkedHashMap<>();
            for (Grid.CellPlan plan : Grid.cells(experiment)) {
                Cell cell = options.resolve(plan);
                Cell same = ids.putIfAbsent(cell.id(), cell);
                if (same != null) {
                    throw new InputException(
                            file
                                    + ": cells "
                                    + CellOptions.describe(same.plan())
                                    + " and "
                                    + CellOptions.describe(plan)
                                    + " resolve to the same settings (options that only change how"
                                    + " a cell runs, such as concurrency or the store, are not"
                                    + " counted); one of them is redundant");
                }
                cells.add(cell);
            }
            return cells;
        }

        Path studyDir() {
            return outputDir.resolve(experiment.name());
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    /**
     * A plan line, for {@code --format json}. {@code server} numbers the servers in order of first
     * use (cells with the same number share one server and run side by side; 0: in-process, no
     * server), {@code baseUrls} and {@code model} say which it is
     * (scripts/slurm/submit-experiment.sh gives each server one array task).
     */
    @JsonPropertyOrder({
        "index",
        "cell",
        "levels",
        "state",
        "examples",
        "done",
        "requests",
        "output",
        "server",
        "base_urls",
        "model"
    })
    record PlanLine(
            int index,
            String cell,
            Map<String, String> levels,
            String state,
            long examples,
            long done,
            @JsonProperty("requests") long requests,
            String output,
            int server,
            @JsonProperty("base_urls") List<String> baseUrls,
            String model) {}

    enum PlanFormat {
        TEXT,
        JSON
    }

    @Command(
            name = "plan",
            mixinStandardHelpOptions = true,
            description =
                    "List the cells (id, the levels that vary, examples, requests still to send,"
                            + " and whether each is done, partial or new), with totals. Nothing is"
                            + " sent.")
    static final class Plan extends StudyOptions implements Callable<Integer> {
        @Option(
                names = "--format",
                defaultValue = "text",
                paramLabel = "FORMAT",
                description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
        PlanFormat format;

        @Override
        public Integer call() {
            List<Cell> cells = cells();
            var check = new OutputCheck();
            List<PlanLine> lines = new ArrayList<>();
            Map<Object, Integer> servers = new LinkedHashMap<>();
            for (Cell cell : cells) {
                OutputCheck.Status status = check.check(cell.config());
                boolean inProcess = cell.config().method() instanceof Method.Embedded;
                int server =
                        inProcess
                                ? 0
                                : servers.computeIfAbsent(
                                        StudyContext.serverKey(cell.config().servers()),
                                        k -> servers.size() + 1);
                List<String> urls =
                        inProcess
                                ? List.of()
                                : cell.config().servers().replicas().stream()
                                        .map(ServerConfig::baseUrl)
                                        .toList();
                lines.add(
                        new PlanLine(
                                cell.index() + 1,
                                cell.id(),
                                levelsWithReplicate(cell),
                                status.state().name().toLowerCase(java.util.Locale.ROOT),
                                status.examples(),
                                status.done(),
                                status.requests(),
                                cell.output().toString(),
                                server,
                                urls,
                                inProcess ? null : cell.config().servers().model()));
            }
            if (format == PlanFormat.JSON) {
                try {
                    out().println(
                                    Json.MAPPER
                                            .writer(SerializationFeature.INDENT_OUTPUT)
                                            .writeValueAsString(
                                                    Map.of(
                                                            "experiment",
                                                            experiment.name(),
                                                            "cells",
                                                            lines)));
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
                out().flush();
                return ExitCodes.OK;
            }
            var table =
                    new TextTable(
                            List.of(
                                    "#",
                                    "cell",
                                    "levels",
                                    "state",
                                    "examples",
                                    "done",
                                    "requests"));
            long examples = 0;
            long requests = 0;
            Map<String, Integer> states = new LinkedHashMap<>();
            for (PlanLine line : lines) {
                var levels = new ArrayList<String>();
                line.levels().forEach((k, v) -> levels.add(k + "=" + v));
                table.add(
                        List.of(
                                Integer.toString(line.index()),
                                line.cell(),
                                String.join(" ", levels),
                                line.state(),
                                Long.toString(line.examples()),
                                Long.toString(line.done()),
                                Long.toString(line.requests())));
                examples += line.examples();
                requests += line.requests();
                states.merge(line.state(), 1, Integer::sum);
            }
            out().print(table.render());
            var summary = new ArrayList<String>();
            states.forEach((state, n) -> summary.add(n + " " + state));
            out().println(
                            "study "
                                    + experiment.name()
                                    + ": "
                                    + cells.size()
                                    + " cells ("
                                    + String.join(", ", summary)
                                    + "), "
                                    + examples
                                    + " examples, "
                                    + requests
                                    + " requests to send; outputs in "
                                    + studyDir());
            out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Run every cell that is not complete, into DIR/EXPERIMENT/CELL.jsonl (+ manifest)."
                    + " Cells on one server run side by side under its one concurrency limit, so it"
                    + " stays full to the last request; cells on different servers run in parallel."
                    + " Run it again to resume.",
                "Under nohup: nohup llmcls experiment run FILE > study.log 2>&1 &"
            },
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {
                "0:every cell is complete",
                "1:some cell failed or stopped (run again to resume)",
                "2:usage or input error (nothing was sent)",
                "74:a cell's output could not be written, e.g. the disk is full (the study"
                        + " stops; free space, run again to resume)",
                "130/143:stopped by SIGINT/SIGTERM"
            })
    static final class Run extends StudyOptions implements Callable<Integer> {
        @Option(
                names = "--cells-per-server",
                paramLabel = "N",
                defaultValue = "" + StudyRunner.DEFAULT_CELLS_PER_SERVER,
                description =
                        "Cells of one server run at once (their requests share its limit; the"
                                + " earlier cell's go first). Default: ${DEFAULT-VALUE}.")
        int cellsPerServer;

        @Option(
                names = "--cell",
                paramLabel = "ID|N",
                split = ",",
                description =
                        "Run only these cells (an id, or the 1-based number plan shows), e.g. one"
                            + " per Slurm array task; such runs do not take the study's lock, only"
                            + " each cell's.")
        List<String> only;

        @Option(
                names = "--progress-interval",
                defaultValue = "30s",
                converter = DurationConverter.class,
                paramLabel = "DURATION",
                description =
                        "Progress line interval when stderr is not a terminal. "
                                + "Default: ${DEFAULT-VALUE}.")
        Duration progressInterval;

        @Option(
                names = {"-q", "--quiet"},
                description = "No progress and no summary.")
        boolean quiet;

        @Override
        public Integer call() {
            if (cellsPerServer < 1) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--cells-per-server must be at least 1, got " + cellsPerServer);
            }
            List<Cell> cells = select(cells());
            var runner =
                    new StudyRunner(
                            new StudyRunner.Settings(
                                    cellsPerServer,
                                    quiet,
                                    Terminal.stderrIsTerminal(),
                                    progressInterval,
                                    VersionProvider.version()),
                            err());
            try {
                Files.createDirectories(studyDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + studyDir(), e);
            }
            StudyRunner.Result result =
                    runner.run(experiment.name(), studyDir(), cells, only == null);
            return result.exitCode();
        }

        private List<Cell> select(List<Cell> cells) {
            if (only == null) {
                return cells;
            }
            List<Cell> chosen = new ArrayList<>();
            for (String wanted : only) {
                String w = wanted.strip();
                Cell found =
                        cells.stream()
                                .filter(
                                        c ->
                                                c.id().equals(w)
                                                        || Integer.toString(c.index() + 1)
                                                                .equals(w))
                                .findFirst()
                                .orElse(null);
                if (found == null) {
                    throw new InputException(
                            "--cell "
                                    + w
                                    + ": no such cell; `llmcls experiment plan "
                                    + file
                                    + "` lists them (1.."
                                    + cells.size()
                                    + ")");
                }
                chosen.add(found);
            }
            return chosen;
        }
    }

    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description =
                    "Score the study: per data set a leaderboard (accuracy with Wilson 95 %%"
                        + " interval, macro-F1, the seed's rule, errors, tokens, wall time;"
                        + " replicates' mean and sd), and each factor's effect (paired, other"
                        + " factors held fixed: exact McNemar, bootstrap interval, Holm across the"
                        + " study).")
    static final class Report extends StudyOptions implements Callable<Integer> {
        @Option(
                names = "--format",
                defaultValue = "text",
                paramLabel = "FORMAT",
                description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
        StudyReportWriter.Format format;

        @Option(
                names = "--resamples",
                defaultValue = "" + Evaluator.Options.DEFAULT_RESAMPLES,
                paramLabel = "N",
                description = "Bootstrap resamples per comparison. Default: ${DEFAULT-VALUE}.")
        int resamples;

        @Option(
                names = "--bootstrap-seed",
                defaultValue = "" + Evaluator.Options.DEFAULT_SEED,
                paramLabel = "N",
                description = "The bootstrap's seed. Default: ${DEFAULT-VALUE}.")
        long bootstrapSeed;

        @Override
        public Integer call() {
            if (resamples < 1) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--resamples must be at least 1");
            }
            List<Cell> cells = cells();
            StudyReport report =
                    StudyReport.of(
                            experiment,
                            cells,
                            new Evaluator.Options(0, resamples, bootstrapSeed, 0));
            out().print(StudyReportWriter.render(report, format, Instant.now().toString()));
            out().flush();
            return ExitCodes.OK;
        }
    }

    private static Map<String, String> levelsWithReplicate(Cell cell) {
        Map<String, String> levels = new LinkedHashMap<>(cell.levels());
        if (cell.replicate() > 0) {
            levels.put(Grid.REPLICATE, Integer.toString(cell.replicate()));
        }
        return levels;
    }
}
