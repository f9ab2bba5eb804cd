package dev.llmcls.run.task;

import dev.llmcls.llm.RetryAfter;
import dev.llmcls.llm.ServerException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, so that many workers hitting a restarting server do not return
 * in lockstep. A server's {@code Retry-After} takes precedence over the schedule up to five minutes
 * ({@link RetryAfter#CAP}: a server may ask for longer than the backoff's own ceiling, e.g. while
 * it loads a model, but not stall a run for hours).
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "max attempts must be at least 1, got " + maxAttempts);
        }
    }

    /**
     * The pause before attempt {@code attempt + 1}, after attempt {@code attempt} (1-based) failed
     * with {@code failure}.
     */
    public Duration delayAfter(int attempt, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServerException server && server.retryAfter().isPresent()) {
                Duration asked = server.retryAfter().get();
                return asked.compareTo(RetryAfter.CAP) > 0 ? RetryAfter.CAP : asked;
            }
        }
        long ceiling =
                Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(jittered);
    }
}
