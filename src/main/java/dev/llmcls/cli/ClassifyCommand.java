package dev.llmcls.cli;

import dev.llmcls.core.InputException;
import dev.llmcls.core.TextFiles;
import dev.llmcls.data.DatasetFormat;
import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.Truncation;
import dev.llmcls.data.LabelSet;
import dev.llmcls.llm.concurrency.AdaptiveLimit;
import dev.llmcls.llm.concurrency.AutoConcurrency;
import dev.llmcls.llm.ServerConfig;
import dev.llmcls.prompt.PromptTemplate;
import dev.llmcls.run.ClassifyConfig;
import dev.llmcls.run.ClassifyJob;
import dev.llmcls.run.Method;
import dev.llmcls.run.Mode;
import dev.llmcls.run.task.RetryPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify every example of a dataset with an LLM behind an OpenAI-compatible API, appending "
                + "one JSON line per example to the output file.",
                "Re-running the same command resumes: examples that already have an answer are skipped.",
                "--mode similarity, knn and linear classify in-process with a bundled embedding model instead: no "
                        + "server, no GPU."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every example has an answer", "1:the run finished, but some examples failed or it stopped early",
                "2:usage or input error (nothing was sent)", "130/143:stopped by SIGINT/SIGTERM (re-run to resume)"})
public class ClassifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "basic",
            description = "${COMPLETION-CANDIDATES}. A prompting mode picks prompts/MODE.txt (seed modes: basic, "
                    + "reason; CARP: carp, carp-zh); similarity, knn and linear (a logistic-regression probe) classify "
                    + "in-process with an embedding model, no server. Default: ${DEFAULT-VALUE}.")
    Mode mode;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The dataset file.")
    Path data;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Dataset layout: ${COMPLETION-CANDIDATES} (default: detected from the file).")
    DatasetFormat format;

    @Option(names = "--text-field", paramLabel = "NAME", defaultValue = DatasetSpec.DEFAULT_TEXT_FIELD,
            description = "Column or field holding the text (csv, jsonl). Default: ${DEFAULT-VALUE}.")
    String textField;

    @Option(names = "--label-field", paramLabel = "NAME", defaultValue = DatasetSpec.DEFAULT_LABEL_FIELD,
            description = "Column or field holding the gold label: an index into the labels or a label name. "
                    + "Default: ${DEFAULT-VALUE}.")
    String labelField;

    @Option(names = "--id-field", paramLabel = "NAME",
            description = "Column or field holding a unique example id (default: the 0-based row index).")
    String idField;

    @Option(names = "--truncate", paramLabel = "UNIT:N[:WHERE]",
            description = "Cut each text to at most N chars or tokens before it is sent (tokens counted by the "
                    + "server's /tokenize, else estimated at 4 chars each), from the end (default) or the middle: "
                    + "chars:2000, tokens:480:middle. Each cut is recorded with the original length. Default: none "
                    + "(a text too long for the model is that example's error).")
    String truncate;

    @Option(names = "--limit", paramLabel = "N", description = "Classify only the first N examples.")
    Long limit;

    @Mixin
    LabelOptions labelOptions;

    @Mixin
    MethodOptions methodOptions;

    @Mixin
    ShardOptions shardOptions;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--prompt", paramLabel = "FILE", description = "Prompt template (overrides prompts/MODE.txt).")
    Path prompt;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "OpenAI-compatible API base URL (default: $LLMCLS_BASE_URL, else " + ServerConfig.DEFAULT_BASE_URL + ").")
    List<String> baseUrls = new ArrayList<>();

    @Option(names = "--model", paramLabel = "NAME", description = "Model name (default: the first model the server lists).")
    String model;

    @Option(names = "--api-key-env", paramLabel = "VAR", defaultValue = "OPENAI_API_KEY",
            description = "Environment variable holding the API key (default: ${DEFAULT-VALUE}; no key if unset).")
    String apiKeyEnv;

    @Option(names = "--api-key-file", paramLabel = "FILE", description = "File holding the API key (overrides --api-key-env).")
    Path apiKeyFile;

    @Option(names = "--temperature", defaultValue = "0", description = "Sampling temperature. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--max-tokens", defaultValue = "1024", description = "Answer length limit. Default: ${DEFAULT-VALUE}.")
    int maxTokens;

    @Option(names = "--seed", description = "Sampling seed sent to the server.")
    Integer seed;

    @Option(names = "--stop-token-ids", split = ",", paramLabel = "ID",
            description = "Token ids that end an answer, sent as vLLM's stop_token_ids (default: 151329,151336,151338 "
                    + "for GLM-4 models, none otherwise). Pass 'none' to send none.")
    List<String> stopTokenIds;

    @Option(names = "--concurrency", defaultValue = "auto", converter = ConcurrencyConverter.class, paramLabel = "N|auto",
            description = "Requests in flight at once per server (--base-url), never more; N servers have N times as "
                    + "many. auto (the default) keeps a batching server full: "
                    + "the slot count a server reports (llama-server's /props total_slots), "
                    + AutoConcurrency.VLLM + " for vLLM (its largest default batch; the rest wait in its queue); "
                    + "for other servers it learns while running, from " + AutoConcurrency.LEARN_FROM
                    + ", doubling while throughput grows, up to " + AdaptiveLimit.CEILING + ". auto halves on "
                    + "HTTP 429/503. A number N stays fixed. Default: ${DEFAULT-VALUE}.")
    Integer concurrency;

    @Option(names = "--timeout", defaultValue = "10m", converter = DurationConverter.Positive.class, paramLabel = "DURATION",
            description = "Read timeout of one request; long enough for a request queued in vLLM. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--connect-timeout", defaultValue = "10s", converter = DurationConverter.Positive.class, paramLabel = "DURATION",
            description = "Connect timeout. Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Option(names = "--max-attempts", defaultValue = "5",
            description = "Attempts per example for retryable failures (connection, timeout, 429, 5xx, bad body). "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxAttempts;

    @Option(names = "--retry-delay", defaultValue = "500ms", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "First backoff delay; doubles each retry, with jitter, up to 30s. Default: ${DEFAULT-VALUE}.")
    Duration retryDelay;

    @Option(names = "--max-consecutive-failures", defaultValue = "32", paramLabel = "N",
            description = "Stop the run (exit 1, resumable) after N examples in a row fail because the server is "
                    + "down; 0 never stops. Default: ${DEFAULT-VALUE}.")
    int maxConsecutiveFailures;

    @Option(names = "--grace", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "On SIGINT/SIGTERM, how long to wait for requests in flight. Default: ${DEFAULT-VALUE}.")
    Duration grace;

    @Option(names = "--output", paramLabel = "FILE", description = "JSONL output (default: output/MODE.jsonl; a "
            + "shard writes FILE with .shard-I-of-N before the extension).")
    Path output;

    @Option(names = "--overwrite", description = "Start afresh: move an existing output aside instead of resuming.")
    boolean overwrite;

    @Option(names = "--progress-interval", defaultValue = "30s", converter = DurationConverter.class,
            paramLabel = "DURATION", description = "Progress line interval when stderr is not a terminal. Default: ${DEFAULT-VALUE}.")
    Duration progressInterval;

    @Option(names = {"-q", "--quiet"}, description = "No progress and no summary.")
    boolean quiet;


    @Override
    public Integer call() {
        validate();
        PromptTemplate template = template();
        List<String> fields = template == null ? List.of() : template.dataFields(textField);
        DatasetSpec dataSpec = new DatasetSpec(data, format, textField, labelField, idField, fields);
        LabelSet labels = labels(dataSpec);
        Method method = methodOptions.method(spec.commandLine(), mode,
                template == null ? null : template.renderingAsText(textField), temperature, seed, textField,
                labelField, fields, labels);
        ShardOptions.Resolved shard = shardOptions.resolve(spec.commandLine(), System.getenv());
        Path runOutput = output != null ? output : Path.of("output", mode + ".jsonl");
        if (shard.shard() != null) {
            runOutput = shard.shard().outputFor(runOutput);
            if (!quiet) {
                spec.commandLine().getErr().println("shard " + shard.shard() + " (from " + shard.origin() + "): "
                        + "writing " + runOutput);
                spec.commandLine().getErr().flush();
            }
        }
        var config = new ClassifyConfig(mode,
                new ClassifyConfig.Input(dataSpec, labels, limit, shard.shard(),
                        truncate == null ? null : Truncation.parse(truncate)),
                method,
                new ClassifyConfig.Servers(servers(), model, temperature, maxTokens, seed, stopTokens(), concurrency),
                new ClassifyConfig.Execution(new RetryPolicy(maxAttempts, retryDelay, Duration.ofSeconds(30)),
                        maxConsecutiveFailures, grace),
                new ClassifyConfig.Output(runOutput, overwrite,
                        new ClassifyConfig.Progress(quiet, Terminal.stderrIsTerminal(), progressInterval)),
                storeOptions.settings(spec.commandLine(), System.getenv(), System.getProperty("user.home")));
        return run(config);
    }

    /** Runs the configured job; {@code batch export} and {@code batch import} write or read batch files instead. */
    int run(ClassifyConfig config) {
        return new ClassifyJob(config, spec.commandLine().getErr(), VersionProvider.version()).run();
    }

    private void validate() {
        if (maxAttempts < 1) {
            throw usage("--max-attempts must be at least 1, got " + maxAttempts);
        }
        if (maxTokens < 1) {
            throw usage("--max-tokens must be at least 1, got " + maxTokens);
        }
        if (limit != null && limit < 1) {
            throw usage("--limit must be at least 1, got " + limit);
        }
    }

    /**
     * The labels given by --labels or --labels-file; without either, the class names a Parquet file's
     * {@code ClassLabel} metadata gives its label column, else the default list.
     */
    private LabelSet labels(DatasetSpec dataSpec) {
        if (labelOptions.given(spec.commandLine().getParseResult())) {
            return labelOptions.labelSet();
        }
        return DatasetReader.classLabelNames(dataSpec).map(LabelSet::new).orElseGet(labelOptions::labelSet);
    }

    private PromptTemplate template() {
        if (mode.embedded()) {
            if (prompt != null) {
                throw usage("--mode " + mode + " sends no prompt; --prompt does not apply");
            }
            return null;
        }
        Path file = prompt != null ? prompt : Prompts.forMode(mode.toString());
        return PromptTemplate.read(file);
    }

    private List<ServerConfig> servers() {
        List<String> urls = new ArrayList<>(baseUrls);
        if (urls.isEmpty()) {
            String fromEnv = System.getenv("LLMCLS_BASE_URL");
            urls.add(fromEnv != null && !fromEnv.isBlank() ? fromEnv : ServerConfig.DEFAULT_BASE_URL);
        }
        String apiKey = apiKey();
        String keySource = apiKeyFile != null ? "file " + apiKeyFile : "environment variable " + apiKeyEnv;
        List<ServerConfig> servers = new ArrayList<>();
        for (String url : urls) {
            servers.add(new ServerConfig(url, apiKey, connectTimeout, timeout, keySource));
        }
        return servers;
    }

    private String apiKey() {
        if (apiKeyFile != null) {
            try {
                return TextFiles.readString(apiKeyFile).strip();
            } catch (IOException e) {
                throw new InputException("cannot read API key file " + apiKeyFile + ": " + e.getMessage(), e);
            }
        }
        return System.getenv(apiKeyEnv);
    }

    private List<Integer> stopTokens() {
        if (stopTokenIds == null) {
            return null;
        }
        if (stopTokenIds.size() == 1 && stopTokenIds.get(0).equalsIgnoreCase("none")) {
            return List.of();
        }
        List<Integer> ids = new ArrayList<>();
        for (String id : stopTokenIds) {
            try {
                ids.add(Integer.parseInt(id.strip()));
            } catch (NumberFormatException e) {
                throw usage("--stop-token-ids takes integers, got '" + id + "'");
            }
        }
        return ids;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
