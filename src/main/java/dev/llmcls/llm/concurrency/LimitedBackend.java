package dev.llmcls.llm.concurrency;

import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.FailureKind;
import dev.llmcls.llm.Failures;
import dev.llmcls.llm.ServerException;
import java.time.Duration;

/**
 * Tells a server's {@link AdaptiveLimit} what became of each request sent through it: answered (with its latency),
 * refused for load (HTTP 429 or 503, with the server's {@code Retry-After}), timed out, or failed otherwise. It
 * only observes; who may send how many is decided by the run's workers and {@link ReplicaPool}.
 */
public final class LimitedBackend implements ChatBackend {
    private final ChatBackend backend;
    private final AdaptiveLimit limit;

    public LimitedBackend(ChatBackend backend, AdaptiveLimit limit) {
        this.backend = backend;
        this.limit = limit;
    }

    public AdaptiveLimit limit() {
        return limit;
    }

    @Override
    public Completion complete(String prompt, ChatOptions options) {
        AdaptiveLimit.Ticket ticket = limit.sent();
        Completion answer;
        try {
            answer = backend.complete(prompt, options);
        } catch (RuntimeException e) {
            if (overload(e)) {
                limit.overloaded(ticket, retryAfter(e));
            } else {
                limit.failed(ticket);
            }
            throw e;
        }
        limit.answered(ticket);
        return answer;
    }

    /** A refusal for load (429, 503) or a timeout: fewer requests in flight would have helped. */
    static boolean overload(Throwable failure) {
        int status = Failures.httpStatus(failure);
        return status == 429 || status == 503 || FailureKind.of(failure) == FailureKind.TIMEOUT;
    }

    private static Duration retryAfter(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServerException server && server.retryAfter().isPresent()) {
                return server.retryAfter().get();
            }
        }
        return null;
    }
}
