package dev.llmcls.run;

import dev.llmcls.core.ExitCodes;
import dev.llmcls.core.InputException;
import dev.llmcls.core.OutputException;
import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.Datasets;
import dev.llmcls.data.Example;
import dev.llmcls.data.ExampleSource;
import dev.llmcls.data.Shard;
import dev.llmcls.llm.AnswerMemory;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.Sampling;
import dev.llmcls.llm.ServerTokenizer;
import dev.llmcls.llm.concurrency.AutoConcurrency;
import dev.llmcls.prompt.PromptTemplate;
import dev.llmcls.run.embedded.EmbeddedMethod;
import dev.llmcls.run.likelihood.ContentFree;
import dev.llmcls.run.likelihood.LikelihoodSetup;
import dev.llmcls.run.likelihood.LikelihoodTask;
import dev.llmcls.run.likelihood.Scoring;
import dev.llmcls.run.prompting.PromptMethod;
import dev.llmcls.run.prompting.PromptTask;
import dev.llmcls.run.task.ExampleTask;
import dev.llmcls.runfile.JsonlWriter;
import dev.llmcls.runfile.Manifest;
import dev.llmcls.runfile.OutputFiles;
import dev.llmcls.runfile.OutputLock;
import dev.llmcls.runfile.ResumeState;
import dev.llmcls.runfile.RunSettings;
import dev.llmcls.runs.ProgressKeeper;
import dev.llmcls.runs.Tally;
import dev.llmcls.store.StoreSession;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * One {@code classify} run, start to end: check the data ({@link DataScan}) and the server ({@link
 * Connection}) before sending anything, resume from what the output already holds ({@link
 * OutputFiles}), classify the rest concurrently ({@link ExampleRunner}), and leave a manifest that
 * says what happened; {@link RunLog} says it on stderr.
 */
public final class ClassifyJob {
    private final ClassifyConfig config;
    private final RunLog log;
    private final String toolVersion;

    /** A likelihood run's start-up probe, whose cost the run counts; null otherwise. */
    private Completion probeCost;

    /**
     * A likelihood run's label-bias correction (contextual scores the content-free inputs before
     * the run).
     */
    private Scoring.Calibrate calibrate = Scoring.Calibrate.NONE;

    /**
     * The study this run is a cell of (its servers, stop and progress are the study's); null for a
     * lone run.
     */
    private final StudyContext.Member member;

    /**
     * This run's id: the manifest's {@code run_id}, and what the answer store notes beside the
     * answers it got.
     */
    private final String runId = newRunId();

    /** The answer store as this run uses it (off until a prompting run opens it). */
    private StoreSession store = StoreSession.off();

    public ClassifyJob(ClassifyConfig config, PrintWriter err, String toolVersion) {
        this(config, err, toolVersion, null);
    }

    /**
     * A run that is one cell of a study: it shares the study's servers, stop and progress display.
     */
    public ClassifyJob(
            ClassifyConfig config,
            PrintWriter err,
            String toolVersion,
            StudyContext.Member member) {
        this.config = config;
        this.log = new RunLog(err, config.output().progress());
        this.toolVersion = toolVersion;
        this.member = member;
    }

    /**
     * What a run will do: its model, the settings the manifest records, and how to build its task.
     */
    private record Plan(
            String model,
            List<String> baseUrls,
            RunSettings settings,
            int workers,
            IntSupplier limit,
            Supplier<ExampleTask> task,
            Connection connection) {}

    /**
     * Runs to the end (or a stop) and returns the process's exit code, holding the output's lock
     * throughout: a second run on the same output stops here, before it reads the data or sends
     * anything (not even the server check).
     */
    public int run() {
        try (OutputLock lock = OutputLock.acquire(config.output().file())) {
            return runLocked();
        }
    }

    private int runLocked() {
        try (StoreSession answers =
                config.method() instanceof Method.Prompting
                        ? StoreSession.open(config.store(), runId, log::log)
                        : StoreSession.off()) {
            store = answers;
            return runWithStore();
        }
    }

    private int runWithStore() {
        String startedAt = now();
        DataScan data = DataScan.of(config.input());
        if (config.input().shard() != null) {
            log.log(
                    "shard "
                            + config.input().shard()
                            + ": "
                            + data.examples()
                            + " of "
                            + data.allExamples()
                            + " examples");
        }
        Plan plan;
        if (config.method() instanceof Method.Prompting prompting) {
            plan = promptingPlan(prompting);
        } else if (config.method() instanceof Method.Likelihood likelihood) {
            plan = likelihoodPlan(likelihood);
        } else {
            plan = embeddedPlan(((Method.Embedded) config.method()).classifier());
        }
        Truncating.Setup truncating = null;
        if (config.input().truncation() != null) {
            truncating =
                    Truncating.prepare(
                            config.input().truncation(),
                            plan.connection() == null
                                    ? null
                                    : new ServerTokenizer(
                                            config.servers().replicas().get(0), plan.model()),
                            log::log);
            plan =
                    new Plan(
                            plan.model(),
                            plan.baseUrls(),
                            plan.settings().with(truncating.settings()),
                            plan.workers(),
                            plan.limit(),
                            plan.task(),
                            plan.connection());
        }

        Path output = config.output().file();
        Path manifestPath = Manifest.pathFor(output);
        Manifest planned = manifest(plan, data, null, "running", null, startedAt, null);
        Tally resumed =
                Tally.empty(
                        config.input().labels()); // counts what the output holds, for its progress
        // summary
        ResumeState resume =
                OutputFiles.prepare(
                        config.output().file(),
                        config.output().overwrite(),
                        planned,
                        log::log,
                        resumed);
        long skipped = DataScan.countDone(config.input(), resume.succeededIds());
        var stats =
                new RunStats(
                        data.examples() - skipped,
                        skipped,
                        !(config.method() instanceof Method.Embedded));
        planned.write(manifestPath);
        if (skipped > 0 || resume.repairedBytes() > 0) {
            log.log(
                    "resuming "
                            + output
                            + ": "
                            + skipped
                            + " examples already done"
                            + (resume.repairedBytes() > 0
                                    ? ", cut a half-written last line ("
                                            + resume.repairedBytes()
                                            + " bytes)"
                                    : ""));
        }

        // Built before the signal handlers: embedding a training pool the first time takes a while,
        // and a Ctrl-C
        // then simply ends the process (the embeddings cached so far are kept).
        ExampleTask task = plan.task().get();
        if (probeCost != null) {
            stats.addRequests(
                    1, orZero(probeCost.promptTokens()), orZero(probeCost.completionTokens()));
        }
        if (calibrate == Scoring.Calibrate.CONTEXTUAL) {
            // set by the likelihood plan only, whose task is a LikelihoodTask
            ContentFree.Result contentFree =
                    ContentFree.measure((LikelihoodTask) task, config.input().labels(), output);
            stats.addRequests(
                    contentFree.requests(),
                    contentFree.promptTokens(),
                    contentFree.completionTokens());
            log.log(
                    "contextual calibration: "
                            + contentFree.requests()
                            + " requests for the content-free inputs "
                            + ContentFree.INPUTS
                            + ", mean distribution "
                            + contentFree.mean()
                            + " (written to "
                            + ContentFree.pathFor(output)
                            + ")");
        }
        if (truncating != null) {
            task = truncating.wrap(task, config.input().labels());
        }
        var runner =
                new ExampleRunner(
                        new ExampleRunner.Settings(
                                (int) Math.max(1, Math.min(plan.workers(), stats.total())),
                                config.execution().maxConsecutiveFailures(),
                                config.execution().grace()),
                        plan.limit());
        StopSignals signals = member == null ? StopSignals.install(runner) : null;
        if (member != null) {
            member.study().register(member.name(), runner, stats);
        }
        try (ExampleSource source =
                        DatasetReader.open(config.input().data(), config.input().labels());
                JsonlWriter writer = new JsonlWriter(output);
                ProgressKeeper progress = ProgressKeeper.start(output, resumed, sizeOf(output));
                RunMonitor monitor = member == null ? log.monitor() : RunMonitor.NONE) {
            Iterator<Example> todo =
                    Datasets.filter(
                            config.input().examples(source),
                            example -> !resume.succeededIds().contains(example.id()));
            runner.run(
                    todo, task, result -> progress.write(writer, result.record()), stats, monitor);
        } catch (InputException e) {
            // e.g. the server answered 404 for the model: the manifest says the run stopped, and
            // why
            store.close();
            manifest(plan, data, stats, "stopped", e.getMessage(), startedAt, now())
                    .write(manifestPath);
            throw e;
        } catch (OutputException e) {
            // a full disk: keep what can be kept; the manifest may not fit either (it is replaced
            // atomically or not)
            try {
                store.close();
                manifest(plan, data, stats, "stopped", e.getMessage(), startedAt, now())
                        .write(manifestPath);
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        } finally {
            if (member != null) {
                member.study().unregister(member.name(), runner);
            }
        }
        store.close(); // writes the answers still waiting, so that the manifest counts them
        if (store.dir() != null) {
            log.log(
                    "answer store "
                            + store.dir()
                            + ": "
                            + store.reused()
                            + " answers reused, "
                            + store.kept()
                            + " new answers kept"
                            + (store.sampledNotReused() > 0
                                    ? ", "
                                            + store.sampledNotReused()
                                            + " sampled answers found but not reused (--reuse"
                                            + " sampled reuses them)"
                                    : ""));
        }
        if (plan.connection() != null) {
            plan.connection().reportUsage(log::log);
        }
        String stopReason = runner.stopReason();
        String status =
                stopReason != null
                        ? "stopped"
                        : stats.failed() > 0 ? "finished_with_failures" : "complete";
        manifest(plan, data, stats, status, stopReason, startedAt, now()).write(manifestPath);
        log.summary(stats, stopReason, output);
        return signals != null && signals.exitCode() != 0
                ? signals.exitCode()
                : stopReason != null || stats.failed() > 0 ? ExitCodes.FAILURES : ExitCodes.OK;
    }

    /**
     * An in-process classifier: no server to probe, no prompt; the embedding model stands in for
     * the model. Its work (a cache look-up, tokenising, the model) is all CPU, so it runs on at
     * most one worker per core ({@link #inProcessWorkers}).
     */
    private Plan embeddedPlan(EmbeddedMethod classifier) {
        return new Plan(
                classifier.model(),
                List.of(),
                RunSettings.of(classifier.settings(config.input().labels())),
                inProcessWorkers(
                        config.servers().concurrency(), Runtime.getRuntime().availableProcessors()),
                null,
                () -> classifier.task(config.input().labels(), log::log),
                null);
    }

    /**
     * The workers of an in-process run asked for {@code concurrency} (null: {@code auto}) on {@code
     * cores} cores: no more than the cores, since a worker beyond them only waits for one (the
     * model runs one call per core, {@code embed.Embedder}) and costs its stack.
     */
    static int inProcessWorkers(Integer concurrency, int cores) {
        int asked = concurrency != null ? concurrency : AutoConcurrency.IN_PROCESS;
        return Math.max(1, Math.min(asked, cores));
    }

    /** The manifest's record of the run's shard; null when it is not sharded. */
    private Manifest.ShardInfo shardInfo(DataScan data) {
        Shard shard = config.input().shard();
        return shard == null
                ? null
                : new Manifest.ShardInfo(
                        shard.index(), shard.count(), Shard.RULE, data.allExamples());
    }

    /**
     * A prompting run with no server, for batch files: the settings its manifest records, and a
     * task that renders prompts and records answers (it has no backend to send them). Refuses what
     * one request per example, or one per vote, cannot carry.
     */
    public record Offline(
            String model, RunSettings settings, ChatOptions options, Supplier<PromptTask> task) {}

    public Offline offline(String model) {
        if (config.method() instanceof Method.Embedded) {
            throw new InputException(
                    "--mode "
                            + config.mode()
                            + " classifies in-process with an embedding model and "
                            + "sends no requests, so it has no batch file; run classify");
        }
        if (!(config.method() instanceof Method.Prompting prompting)) {
            throw new InputException(
                    "--scoring likelihood is not exported to batch files: it probes the server"
                            + " before the run (and measures content-free inputs for --calibrate"
                            + " contextual) and reads prompt_logprobs, which vllm run-batch and the"
                            + " OpenAI Batch API do not answer alike; run classify");
        }
        ClassifyConfig.Servers servers = config.servers();
        var sampling =
                new Sampling(
                        servers.temperature(),
                        servers.maxTokens(),
                        servers.seed(),
                        servers.stopTokenIds() != null
                                ? servers.stopTokenIds()
                                : Sampling.defaultStopTokenIds(model));
        RunSettings settings = RunSettings.of(sampling);
        for (PromptMethod method : prompting.methods()) {
            settings = settings.with(method.settings());
        }
        ChatOptions options = ChatOptions.of(model, sampling);
        Supplier<PromptTask> task =
                () -> {
                    prompting.methods().forEach(method -> method.prepare(log::log));
                    return new PromptTask(
                            prompting.template(),
                            config.input().labels(),
                            null,
                            options,
                            config.execution().retryPolicy(),
                            prompting.methods());
                };
        return new Offline(model, settings, options, task);
    }

    /**
     * A manifest of this run as a batch file run leaves it; {@code sources} say where the answers
     * came from.
     */
    public Manifest manifest(
            Offline offline,
            List<String> sources,
            DataScan data,
            RunStats stats,
            String status,
            String stopReason,
            String startedAt,
            String finishedAt) {
        return manifest(
                new Plan(offline.model(), sources, offline.settings(), 1, null, null, null),
                data,
                stats,
                status,
                stopReason,
                startedAt,
                finishedAt);
    }

    public void log(String message) {
        log.log(message);
    }

    private Plan promptingPlan(Method.Prompting prompting) {
        Connection connection =
                member != null
                        ? member.study().connect(config.servers(), log::log, member.priority())
                        : Connection.open(config.servers(), log::log);
        // this run's own store session, in the options of its every request: a connection shared
        // with other cells of a study holds none
        AnswerMemory memory = store.forModel(connection.probe().identity());
        Sampling sampling = sampling(connection);
        List<PromptMethod> methods =
                prompting.methods().stream().map(m -> m.forServer(connection.kind())).toList();
        RunSettings settings = RunSettings.of(sampling);
        for (PromptMethod method : methods) {
            settings = settings.with(method.settings());
        }
        return new Plan(
                connection.model(),
                urls(),
                settings,
                connection.workers(),
                connection.limit(),
                () -> {
                    methods.forEach(method -> method.prepare(log::log));
                    return new PromptTask(
                            prompting.template(),
                            config.input().labels(),
                            connection.backend(),
                            ChatOptions.of(connection.model(), sampling).withMemory(memory),
                            config.execution().retryPolicy(),
                            methods);
                },
                connection);
    }

    /**
     * {@code --scoring likelihood}: probes the server first (and counts the probe's cost), then one
     * request per label, sent together: fewer examples at once keep the requests in flight within
     * the concurrency asked for.
     */
    private Plan likelihoodPlan(Method.Likelihood likelihood) {
        Connection connection = Connection.open(config.servers(), log::log);
        Sampling sampling = sampling(connection);
        List<PromptMethod> methods =
                likelihood.methods().stream().map(m -> m.forServer(connection.kind())).toList();
        RunSettings settings = RunSettings.of(sampling).with(likelihood.scoring().settings());
        for (PromptMethod method : methods) {
            settings = settings.with(method.settings());
        }
        List<String> urls = urls();
        ChatOptions options = ChatOptions.of(connection.model(), sampling);
        probeCost =
                LikelihoodSetup.probe(
                        connection.backend(), options, config.input().labels(), urls.get(0));
        calibrate = likelihood.scoring().calibrate();
        int perExample = config.input().labels().size();
        IntSupplier requests = connection.limit();
        return new Plan(
                connection.model(),
                urls,
                settings,
                Math.max(1, connection.workers() / perExample),
                () -> Math.max(1, requests.getAsInt() / perExample),
                () -> {
                    methods.forEach(method -> method.prepare(log::log));
                    return new LikelihoodTask(
                            likelihood.template(),
                            config.input().labels(),
                            connection.backend(),
                            options,
                            config.execution().retryPolicy(),
                            methods,
                            likelihood.scoring().answerPrefix(),
                            likelihood.scoring().normalisation());
                },
                connection);
    }

    private Sampling sampling(Connection connection) {
        ClassifyConfig.Servers servers = config.servers();
        return new Sampling(
                servers.temperature(),
                servers.maxTokens(),
                servers.seed(),
                servers.stopTokenIds() != null
                        ? servers.stopTokenIds()
                        : Sampling.defaultStopTokenIds(
                                connection.model(), connection.probe().listed()));
    }

    private List<String> urls() {
        List<String> urls = new ArrayList<>();
        config.servers().replicas().forEach(server -> urls.add(server.baseUrl()));
        return urls;
    }

    private Manifest manifest(
            Plan plan,
            DataScan data,
            RunStats stats,
            String status,
            String stopReason,
            String startedAt,
            String finishedAt) {
        PromptTemplate prompt =
                config.method() instanceof Method.Prompting prompting
                        ? prompting.template()
                        : config.method() instanceof Method.Likelihood likelihood
                                ? likelihood.template()
                                : null;
        Manifest.Template template =
                prompt == null
                        ? null
                        : new Manifest.Template(prompt.origin(), prompt.sha256(), prompt.source());
        var dataInfo =
                new Manifest.Data(
                        config.input().data().file().toString(),
                        data.format(),
                        data.sha256(),
                        data.examples(),
                        config.input().hub());
        Manifest.Counts counts =
                stats == null
                        ? null
                        : new Manifest.Counts(
                                data.examples(),
                                stats.succeeded(),
                                stats.failed(),
                                stats.skipped(),
                                stats.retries(),
                                stats.promptTokens(),
                                stats.completionTokens(),
                                // Written only when a method sends more than one request per
                                // attempt (likelihood: one per label), so
                                // that other manifests keep their fields.
                                stats.requests() == stats.done() + stats.retries()
                                        ? 0
                                        : stats.requests());
        return new Manifest(
                toolVersion,
                config.mode().toString(),
                config.input().labels().names(),
                template,
                plan.model(),
                plan.baseUrls(),
                plan.settings(),
                dataInfo,
                counts,
                status,
                stopReason,
                startedAt,
                finishedAt,
                shardInfo(data),
                plan.connection() == null ? null : plan.connection().concurrencyRecord(),
                runId,
                storeRecord(stats));
    }

    /** How this run used the answer store, for the manifest; null when it did not. */
    private Manifest.Store storeRecord(RunStats stats) {
        if (store.dir() == null) {
            return null;
        }
        return new Manifest.Store(
                store.dir().toString(),
                store.settings().use().name().toLowerCase(Locale.ROOT),
                store.settings().reuseSampled(),
                store.reused(),
                stats == null ? 0 : stats.fromStore(),
                store.kept());
    }

    private static long sizeOf(Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
    }

    private static long orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** A run id: the UTC time it started and a random part, e.g. {@code 20261205T0902-3f9a1c}. */
    static String newRunId() {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now())
                + "-"
                + String.format(Locale.ROOT, "%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }

    private static String now() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now());
    }
}
