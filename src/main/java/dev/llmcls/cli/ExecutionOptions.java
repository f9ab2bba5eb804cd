package dev.llmcls.cli;

import dev.llmcls.run.ClassifyConfig;
import dev.llmcls.run.task.RetryPolicy;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code classify}'s "Execution" section: its shard ({@link ShardOptions}, which is all that batch
 * files take of it), retries, when to give up on a server that stays down, and the grace on a
 * signal.
 */
public final class ExecutionOptions extends ShardOptions {
    /** The longest backoff between two attempts. */
    static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);

    @Option(
            names = "--max-attempts",
            defaultValue = "5",
            paramLabel = "N",
            description =
                    "Attempts per example for retryable failures (connection, timeout, 429, 5xx,"
                            + " bad body). Default: ${DEFAULT-VALUE}.")
    int maxAttempts;

    @Option(
            names = "--retry-delay",
            defaultValue = "500ms",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "First backoff delay; doubles each retry, with jitter, up to 30s. Default:"
                            + " ${DEFAULT-VALUE}.")
    Duration retryDelay;

    @Option(
            names = "--max-consecutive-failures",
            defaultValue = "32",
            paramLabel = "N",
            description =
                    "Stop the run (exit 1, resumable) after N examples in a row fail because the"
                            + " server is down; 0 never stops. Default: ${DEFAULT-VALUE}.")
    int maxConsecutiveFailures;

    @Option(
            names = "--grace",
            defaultValue = "30s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "On SIGINT/SIGTERM, how long to wait for requests in flight. Default:"
                            + " ${DEFAULT-VALUE}.")
    Duration grace;

    ClassifyConfig.Execution execution() {
        return new ClassifyConfig.Execution(
                new RetryPolicy(maxAttempts, retryDelay, MAX_RETRY_DELAY),
                maxConsecutiveFailures,
                grace);
    }
}
