package dev.llmcls.run;

import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.Datasets;
import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.data.Shard;
import dev.llmcls.data.Truncation;
import dev.llmcls.llm.ServerConfig;
import dev.llmcls.run.task.RetryPolicy;
import dev.llmcls.runfile.Manifest;
import dev.llmcls.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@code classify} run needs, as plain values, grouped by what they are about; {@code
 * store} says how the run uses the answer store.
 */
public record ClassifyConfig(
        Mode mode,
        Input input,
        Method method,
        Servers servers,
        Execution execution,
        Output output,
        StoreSettings store) {

    public ClassifyConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(servers, "servers");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(store, "store");
    }

    /**
     * A run that uses the answer store as the environment names it ({@code LLMCLS_STORE}, else the
     * default).
     */
    public ClassifyConfig(
            Mode mode,
            Input input,
            Method method,
            Servers servers,
            Execution execution,
            Output output) {
        this(mode, input, method, servers, execution, output, StoreSettings.fromEnvironment());
    }

    /**
     * The examples: the data file, the labels its gold cells name, {@code limit} (null: every
     * example) and {@code shard} (null: no sharding; else only the examples of that shard, taken
     * after the limit) and {@code truncation} (null: texts are sent whole); {@code hub}: the Hub
     * dataset the data file was fetched from (null for a local file).
     */
    public record Input(
            DatasetSpec data,
            LabelSet labels,
            Long limit,
            Shard shard,
            Truncation truncation,
            Manifest.Hub hub) {
        public Input(DatasetSpec data, LabelSet labels, Long limit) {
            this(data, labels, limit, null, null, null);
        }

        public Input(
                DatasetSpec data, LabelSet labels, Long limit, Shard shard, Truncation truncation) {
            this(data, labels, limit, shard, truncation, null);
        }

        public Input(DatasetSpec data, LabelSet labels, Long limit, Shard shard) {
            this(data, labels, limit, shard, null, null);
        }

        /** The examples this run classifies: the first {@code limit}, then those of its shard. */
        public Iterator<Example> examples(Iterator<Example> source) {
            Iterator<Example> limited = Datasets.limit(source, limit);
            return shard == null
                    ? limited
                    : Datasets.filter(limited, example -> shard.contains(example.id()));
        }
    }

    /**
     * Where prompts go and what is asked: the replicas of one model; {@code model} null means the
     * server's first; {@code stopTokenIds} null means the model's default; {@code concurrency} per
     * server, null meaning picked from the server ({@link
     * dev.llmcls.llm.concurrency.AutoConcurrency}). Embedded methods use only {@code concurrency}.
     */
    public record Servers(
            List<ServerConfig> replicas,
            String model,
            double temperature,
            int maxTokens,
            Integer seed,
            List<Integer> stopTokenIds,
            Integer concurrency) {
        public Servers {
            replicas = List.copyOf(replicas);
            if (replicas.isEmpty()) {
                throw new IllegalArgumentException("at least one server is needed");
            }
        }
    }

    /**
     * How the run copes: retries per example, stopping when the server stays down, and the grace on
     * a signal.
     */
    public record Execution(RetryPolicy retryPolicy, int maxConsecutiveFailures, Duration grace) {}

    /** Where records go, whether to start afresh, and how progress is shown. */
    public record Output(Path file, boolean overwrite, Progress progress) {}

    /**
     * How to show progress: a bar on a terminal, plain lines every {@code interval} otherwise, or
     * nothing.
     */
    public record Progress(boolean quiet, boolean terminal, Duration interval) {}
}
