package dev.llmcls.run;

import dev.llmcls.core.InputException;
import dev.llmcls.core.Sha256;
import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.Datasets;
import dev.llmcls.data.Example;
import dev.llmcls.data.ExampleSource;
import dev.llmcls.llm.AutoConcurrency;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.FailureKind;
import dev.llmcls.llm.OpenAiBackend;
import dev.llmcls.llm.ReplicaPool;
import dev.llmcls.llm.Sampling;
import dev.llmcls.llm.ServerProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One {@code classify} run, start to end: check the data and the server before sending anything, resume from what
 * the output already holds, classify the rest concurrently, and leave a manifest that says what happened.
 */
public final class ClassifyJob {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURES = 1;

    private final ClassifyConfig config;
    private final PrintWriter err;
    private final String toolVersion;

    public ClassifyJob(ClassifyConfig config, PrintWriter err, String toolVersion) {
        this.config = config;
        this.err = err;
        this.toolVersion = toolVersion;
    }

    /** The outcome of a run: its exit code and final counters. */
    public record Outcome(int exitCode, RunStats stats, String stopReason) {
    }

    public Outcome run() {
        String startedAt = now();
        DataSummary data = scanData();
        Method method = config.method();
        String model;
        Map<String, Object> sampling;
        Supplier<ExampleTask> taskFactory;
        ChatBackend backend = null;
        int workers = config.concurrency() != null ? config.concurrency() : AutoConcurrency.OTHER;
        if (method.embedded() != null) {
            // An in-process classifier: no server to probe, no prompt; the embedding model stands in for the model.
            model = method.embedded().embedding().model();
            sampling = MethodSetup.embeddedSettings(method.embedded(), config.labels());
            taskFactory = () -> MethodSetup.embeddedTask(method.embedded(), config.labels(), this::log);
        } else {
            List<OpenAiBackend> replicas = config.servers().stream().map(OpenAiBackend::new).toList();
            ServerProbe.Result probe = ServerProbe.check(replicas, config.model());
            model = probe.model();
            int perReplica = concurrencyPerReplica(probe);
            ChatBackend chat = backend(replicas, probe, perReplica);
            backend = chat;
            workers = perReplica * replicas.size();
            var modelSampling = new Sampling(config.temperature(), config.maxTokens(), config.seed(),
                    config.stopTokenIds() != null ? config.stopTokenIds() : Sampling.defaultStopTokenIds(model));
            var options = MethodSetup.chatOptions(method, model, modelSampling, config.labels());
            sampling = samplingMap(modelSampling);
            sampling.putAll(MethodSetup.promptSettings(method, config.labels()));
            taskFactory = () -> new PromptTask(config.template(), config.labels(), MethodSetup.backend(method, chat),
                    options, config.retryPolicy(), MethodSetup.demonstrations(method, config.labels(), this::log),
                    method.constraint(), method.decides());
        }

        Manifest planned = manifest(model, sampling, data, null, "running", null, startedAt, null);
        Path manifestPath = Manifest.pathFor(config.output());
        ResumeState resume = prepareOutput(planned, manifestPath);
        long skipped = countSkipped(resume.succeededIds());
        var stats = new RunStats(data.examples() - skipped, skipped);
        planned.write(manifestPath);
        if (skipped > 0 || resume.repairedBytes() > 0) {
            log("resuming " + config.output() + ": " + skipped + " examples already done"
                    + (resume.repairedBytes() > 0 ? ", cut a half-written last line (" + resume.repairedBytes() + " bytes)" : ""));
        }

        // Built before the signal handlers: embedding a training pool the first time takes a while, and a Ctrl-C
        // then simply ends the process (the embeddings cached so far are kept).
        ExampleTask task = taskFactory.get();
        var runner = new BatchRunner(new BatchRunner.Settings(
                (int) Math.max(1, Math.min(workers, stats.total())), config.maxConsecutiveFailures(),
                config.grace()));
        StopSignals signals = StopSignals.install(runner);
        try (ExampleSource source = DatasetReader.open(config.data(), config.labels());
                JsonlWriter writer = new JsonlWriter(config.output());
                RunMonitor monitor = monitor()) {
            Iterator<Example> todo = Datasets.filter(Datasets.limit(source, config.limit()),
                    example -> !resume.succeededIds().contains(example.id()));
            runner.run(todo, task, result -> writer.write(result.record()), stats, monitor);
        }
        if (backend instanceof ReplicaPool pool) {
            log("requests per server: " + String.join(", ", pool.usage()));
        }
        String stopReason = runner.stopReason();
        String status = stopReason != null ? "stopped" : stats.failed() > 0 ? "finished_with_failures" : "complete";
        manifest(model, sampling, data, stats, status, stopReason, startedAt, now()).write(manifestPath);
        int exitCode = signals.exitCode() != 0 ? signals.exitCode()
                : stopReason != null || stats.failed() > 0 ? EXIT_FAILURES : EXIT_OK;
        printSummary(stats, stopReason);
        return new Outcome(exitCode, stats, stopReason);
    }

    /** One server as it is; several as a pool that spreads the load and routes around a failing replica. */
    private ChatBackend backend(List<OpenAiBackend> replicas, ServerProbe.Result probe, int perReplica) {
        if (replicas.size() == 1) {
            return replicas.get(0);
        }
        var pool = new ReplicaPool(replicas, replicas.stream().map(r -> r.server().baseUrl()).toList(),
                perReplica, failure -> FailureKind.of(failure).serverDown());
        for (int index : probe.unreachable()) {
            log("warning: " + replicas.get(index).server().baseUrl() + " does not answer; set aside for now");
            pool.setAside(index);
        }
        return pool;
    }

    /** Requests in flight per server: the --concurrency given, or the pick for this kind of server. */
    private int concurrencyPerReplica(ServerProbe.Result probe) {
        if (config.concurrency() != null) {
            return config.concurrency();
        }
        int picked = AutoConcurrency.forServer(probe.owners());
        log("concurrency: " + picked + " per server (auto: " + AutoConcurrency.reason(probe.owners()) + ")");
        return picked;
    }

    private record DataSummary(long examples, String sha256, String format) {
    }

    /** Reads the whole data file once before any request, so a malformed row stops the run before it starts. */
    private DataSummary scanData() {
        long count = 0;
        Set<String> ids = new HashSet<>();
        boolean ownIds = config.data().idField() != null;
        try (ExampleSource source = DatasetReader.open(config.data(), config.labels())) {
            Iterator<Example> examples = Datasets.limit(source, config.limit());
            while (examples.hasNext()) {
                Example example = examples.next();
                if (ownIds && !ids.add(example.id())) {
                    throw new InputException(config.data().file() + ": id '" + example.id() + "' occurs twice; ids "
                            + "must be unique for resuming to be safe");
                }
                count++;
            }
        }
        if (count == 0) {
            throw new InputException(config.data().file() + " holds no examples");
        }
        return new DataSummary(count, Sha256.hexOfFile(config.data().file()),
                config.data().resolvedFormat().name().toLowerCase(java.util.Locale.ROOT));
    }

    private long countSkipped(Set<String> succeeded) {
        if (succeeded.isEmpty()) {
            return 0;
        }
        long skipped = 0;
        try (ExampleSource source = DatasetReader.open(config.data(), config.labels())) {
            Iterator<Example> examples = Datasets.limit(source, config.limit());
            while (examples.hasNext()) {
                skipped += succeeded.contains(examples.next().id()) ? 1 : 0;
            }
        }
        return skipped;
    }

    /**
     * Resumes into an existing output when its manifest describes the same question, refuses when it does not, and
     * with {@code --overwrite} moves the old files aside (never deleting them).
     */
    private ResumeState prepareOutput(Manifest planned, Path manifestPath) {
        Path output = config.output();
        if (!Files.exists(output)) {
            return ResumeState.EMPTY;
        }
        if (config.overwrite()) {
            String suffix = "." + Instant.now().toString().replace(':', '-') + ".bak";
            moveAside(output, suffix);
            moveAside(manifestPath, suffix);
            return ResumeState.EMPTY;
        }
        Manifest.read(manifestPath).ifPresent(previous -> {
            List<String> differences = ManifestComparison.differences(previous, planned);
            if (!differences.isEmpty()) {
                throw new InputException(output + " was written by a different run, so resuming would mix answers: "
                        + String.join("; ", differences) + ". Use --overwrite to start afresh (the old file is kept "
                        + "as a .bak) or choose another --output.");
            }
        });
        return ResumeState.load(output);
    }

    private void moveAside(Path file, String suffix) {
        if (Files.exists(file)) {
            Path target = file.resolveSibling(file.getFileName() + suffix);
            try {
                Files.move(file, target);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move " + file + " aside", e);
            }
            log("moved " + file + " to " + target);
        }
    }

    private static Map<String, Object> samplingMap(Sampling sampling) {
        Map<String, Object> samplingMap = new LinkedHashMap<>();
        samplingMap.put("temperature", sampling.temperature());
        samplingMap.put("max_tokens", sampling.maxTokens());
        samplingMap.put("seed", sampling.seed());
        samplingMap.put("stop_token_ids", sampling.stopTokenIds());
        return samplingMap;
    }

    private Manifest manifest(String model, Map<String, Object> samplingMap, DataSummary data, RunStats stats,
            String status, String stopReason, String startedAt, String finishedAt) {
        var template = config.template() == null ? null : new Manifest.Template(config.template().origin(),
                config.template().sha256(), config.template().source());
        var dataInfo = new Manifest.Data(config.data().file().toString(), data.format(), data.sha256(), data.examples());
        Manifest.Counts counts = stats == null ? null : new Manifest.Counts(data.examples(), stats.succeeded(),
                stats.failed(), stats.skipped(), stats.retries(), stats.promptTokens(), stats.completionTokens());
        List<String> urls = new ArrayList<>();
        if (config.method().embedded() == null) {
            config.servers().forEach(s -> urls.add(s.baseUrl()));
        }
        return new Manifest(toolVersion, config.mode(), config.labels().names(), template, model, urls, samplingMap,
                dataInfo, counts, status, stopReason, startedAt, finishedAt);
    }

    private RunMonitor monitor() {
        ClassifyConfig.Progress progress = config.progress();
        if (progress.quiet()) {
            return RunMonitor.NONE;
        }
        return progress.terminal() ? new ProgressBarMonitor() : new ProgressLines(err, progress.interval());
    }

    private void printSummary(RunStats stats, String stopReason) {
        if (config.progress().quiet()) {
            return;
        }
        for (String line : RunSummary.lines(stats, stopReason, config.output())) {
            err.println(line);
        }
        err.flush();
    }

    private void log(String message) {
        if (!config.progress().quiet()) {
            err.println(message);
            err.flush();
        }
    }

    private static String now() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now());
    }
}
