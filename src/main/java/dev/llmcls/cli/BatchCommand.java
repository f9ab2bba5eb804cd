package dev.llmcls.cli;

import dev.llmcls.core.ExitCodes;
import dev.llmcls.llm.ServerConfig;
import dev.llmcls.run.ClassifyConfig;
import dev.llmcls.run.ClassifyJob;
import dev.llmcls.run.batchfile.BatchExport;
import dev.llmcls.run.batchfile.BatchImport;
import dev.llmcls.run.task.RetryPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code batch export} and {@code batch import}: a {@code classify} run carried out by an offline
 * engine ({@code vllm run-batch}, OpenAI's Batch API) through OpenAI batch files. Both take
 * classify's options, so that the requests are the ones classify would send and the results land in
 * the output classify would write.
 */
@Command(
        name = "batch",
        mixinStandardHelpOptions = true,
        description = {
            "Run a classify job through OpenAI batch files: export the requests, let an offline"
                    + " engine answer them (vllm run-batch -i REQUESTS -o RESULTS --model ..., or"
                    + " OpenAI's Batch API), import the results into the run's output.",
            "Export and import take classify's data, method, model and sampling, shard and output"
                    + " options; --model is required. They send nothing, so they take none of its"
                    + " server or retry options."
        },
        subcommands = {BatchCommand.Export.class, BatchCommand.Import.class})
public final class BatchCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "batch needs a command: export or import");
    }

    @Command(
            name = "export",
            sortOptions = false,
            description = {
                "Write the requests classify would send for the examples the output does not answer"
                        + " yet, as OpenAI batch input lines {custom_id, method, url, body}, and"
                        + " FILE.manifest.json beside them.",
                "custom_id is the example id (with --votes-as-requests: the id, '#' and the"
                        + " request's index)."
            },
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {
                "0:written",
                "2:usage or input error",
                "74:a request file could not be written, e.g. the disk is full (free space,"
                        + " re-run)"
            })
    static final class Export extends OfflineRun {
        @ArgGroup(validate = false, heading = "Batch files:%n", order = BATCH_FILES)
        Files files = new Files();

        @Override
        int run(ClassifyConfig config) {
            return files.export(config, spec.commandLine());
        }
    }

    /** Export's "Batch files" section: where the requests go and how they are split. */
    static final class Files {
        @Option(
                names = "--requests",
                paramLabel = "FILE",
                description =
                        "Batch input file to write (default: batch/OUTPUT-NAME.requests.jsonl)."
                                + " When split, .part-001, .part-002, ... go before the extension.")
        Path requests;

        @Option(
                names = "--max-lines",
                paramLabel = "N",
                description = "At most N requests per file.")
        Long maxLines;

        @Option(
                names = "--max-bytes",
                paramLabel = "SIZE",
                description =
                        "At most SIZE bytes per file (a number, or with k, M, G: powers of 1000).")
        String maxBytes;

        @Option(
                names = "--openai-limits",
                description =
                        "Split under the OpenAI Batch API's limits: 50000 requests and 200 MB per"
                                + " file.")
        boolean openAiLimits;

        @Option(
                names = "--votes-as-requests",
                description =
                        "With --votes N: N requests of one answer each (for engines that ignore n)"
                            + " instead of one request for n answers; import reassembles them. Not"
                            + " with --seed.")
        boolean votesAsRequests;

        int export(ClassifyConfig config, CommandLine commandLine) {
            PrintWriter err = commandLine.getErr();
            Long lines = maxLines;
            Long bytes = maxBytes == null ? null : parseSize(maxBytes, commandLine);
            if (openAiLimits) {
                lines =
                        lines == null
                                ? BatchExport.OPENAI_MAX_LINES
                                : Math.min(lines, BatchExport.OPENAI_MAX_LINES);
                bytes =
                        bytes == null
                                ? BatchExport.OPENAI_MAX_BYTES
                                : Math.min(bytes, BatchExport.OPENAI_MAX_BYTES);
            }
            if ((lines != null && lines < 1) || (bytes != null && bytes < 1)) {
                throw new CommandLine.ParameterException(
                        commandLine, "--max-lines and --max-bytes must be " + "at least 1");
            }
            Path file = requests != null ? requests : defaultRequests(config.output().file());
            var job = new ClassifyJob(config, err, VersionProvider.version());
            var outcome =
                    BatchExport.run(
                            config,
                            new BatchExport.Settings(file, lines, bytes, votesAsRequests),
                            job);
            err.println(
                    "llmcls: exported "
                            + outcome.requests()
                            + " requests for "
                            + outcome.examples()
                            + " examples ("
                            + outcome.skipped()
                            + " already answered in "
                            + config.output().file()
                            + ") to "
                            + String.join(
                                    ", ", outcome.files().stream().map(Path::toString).toList()));
            err.flush();
            return ExitCodes.OK;
        }

        private static long parseSize(String text, CommandLine commandLine) {
            String t = text.strip().toLowerCase(Locale.ROOT).replace("b", "");
            long unit =
                    t.endsWith("k")
                            ? 1_000L
                            : t.endsWith("m") ? 1_000_000L : t.endsWith("g") ? 1_000_000_000L : 1;
            try {
                return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(
                        commandLine,
                        "--max-bytes takes a size such as "
                                + "200M or 1000000, got '"
                                + text
                                + "'");
            }
        }

        static Path defaultRequests(Path output) {
            String name = output.getFileName().toString();
            String stem =
                    name.endsWith(".jsonl")
                            ? name.substring(0, name.length() - ".jsonl".length())
                            : name;
            return Path.of("batch", stem + ".requests.jsonl");
        }
    }

    @Command(
            name = "import",
            sortOptions = false,
            description = {
                "Read batch output lines ({id, custom_id, response: {status_code, request_id,"
                    + " body}, error}, as vllm run-batch and OpenAI write them) into the run's"
                    + " JSONL output and manifest, as classify would have written them. Failed"
                    + " lines become records with an error, which classify (resume) or a new export"
                    + " tries again. Give the options the export was made with."
            },
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {
                "0:every example of the run has an answer",
                "1:some results failed or are missing",
                "2:usage or input error (nothing written)",
                "74:the output could not be written, e.g. the disk is full (free space, re-run"
                        + " to resume)"
            })
    static final class Import extends OfflineRun {
        @Parameters(
                arity = "1..*",
                paramLabel = "RESULTS",
                description = "Batch output files (JSONL).")
        List<Path> results;

        @ArgGroup(validate = false, heading = "Batch files:%n", order = BATCH_FILES)
        ImportFiles files = new ImportFiles();

        @Override
        int run(ClassifyConfig config) {
            PrintWriter err = spec.commandLine().getErr();
            var job = new ClassifyJob(config, err, VersionProvider.version());
            var outcome = BatchImport.run(config, files.votesAsRequests, results, job);
            err.println(
                    "llmcls: imported "
                            + outcome.imported()
                            + " records into "
                            + config.output().file()
                            + " ("
                            + outcome.failed()
                            + " failed, "
                            + outcome.alreadyAnswered()
                            + " already answered"
                            + (outcome.duplicates() > 0
                                    ? ", " + outcome.duplicates() + " duplicate results ignored"
                                    : "")
                            + "); "
                            + outcome.withoutResult()
                            + " examples have no result"
                            + (outcome.withoutResult() + outcome.failed() > 0
                                    ? " (batch export again sends what is left)"
                                    : ""));
            err.flush();
            return outcome.exitCode();
        }
    }

    /** Import's "Batch files" section. */
    static final class ImportFiles {
        @Option(names = "--votes-as-requests", description = "The export used --votes-as-requests.")
        boolean votesAsRequests;
    }

    /**
     * A classify run whose requests an offline engine answers: it takes the shard alone of
     * classify's execution section, and none of its server section.
     */
    abstract static class OfflineRun extends RunCommand {
        /**
         * What {@link ClassifyConfig} holds for a server and for retries: batch files send nothing,
         * so neither is used (the manifest names the batch files as the run's source).
         */
        private static final ServerConfig NO_SERVER =
                new ServerConfig(
                        ServerConfig.DEFAULT_BASE_URL,
                        null,
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(10));

        private static final ClassifyConfig.Execution NO_RETRIES =
                new ClassifyConfig.Execution(
                        new RetryPolicy(1, Duration.ZERO, ExecutionOptions.MAX_RETRY_DELAY),
                        0,
                        Duration.ZERO);

        @ArgGroup(validate = false, heading = "Execution:%n", order = EXECUTION)
        ShardOptions shard = new ShardOptions();

        @Override
        ShardOptions shard() {
            return shard;
        }

        @Override
        ClassifyConfig.Servers servers() {
            return servers(List.of(NO_SERVER), null);
        }

        @Override
        ClassifyConfig.Execution execution() {
            return NO_RETRIES;
        }
    }
}
