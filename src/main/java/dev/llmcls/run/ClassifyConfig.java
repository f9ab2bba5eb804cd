package dev.llmcls.run;

import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.LabelSet;
import dev.llmcls.data.Shard;
import dev.llmcls.llm.ServerConfig;
import dev.llmcls.prompt.PromptTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a {@code classify} run needs, as plain values. {@code model} null means the server's first model;
 * {@code stopTokenIds} null means the default for the model; {@code limit} null means every example;
 * {@code shard} null means no sharding (else only the examples of that shard, after the limit);
 * {@code template} is null for the embedded methods, which send no prompt; {@code concurrency} null means picked from
 * the server ({@link dev.llmcls.llm.AutoConcurrency}).
 */
public record ClassifyConfig(
        String mode,
        DatasetSpec data,
        LabelSet labels,
        PromptTemplate template,
        List<ServerConfig> servers,
        String model,
        double temperature,
        int maxTokens,
        Integer seed,
        List<Integer> stopTokenIds,
        Integer concurrency,
        RetryPolicy retryPolicy,
        int maxConsecutiveFailures,
        Duration grace,
        Path output,
        Long limit,
        Shard shard,
        boolean overwrite,
        Progress progress,
        Method method) {

    /** How to show progress: a bar on a terminal, plain lines every {@code interval} otherwise, or nothing. */
    public record Progress(boolean quiet, boolean terminal, Duration interval) {
    }

    public ClassifyConfig {
        servers = List.copyOf(servers);
        method = method == null ? Method.SEED : method;
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server is needed");
        }
    }
}
