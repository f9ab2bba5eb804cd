package dev.llmcls.llm.concurrency;

import dev.llmcls.llm.Async;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Sends each request to one server under a permit of its {@link Limiter}: it waits while the server
 * has as many requests in flight as the limit allows, and tells the limiter what became of each
 * (answered, refused for load with the server's {@code Retry-After}, timed out, or failed
 * otherwise).
 */
public final class LimitedBackend implements ChatBackend {
    private final ChatBackend backend;
    private final Limiter limiter;

    public LimitedBackend(ChatBackend backend, Limiter limiter) {
        this.backend = backend;
        this.limiter = limiter;
    }

    public Limiter limiter() {
        return limiter;
    }

    @Override
    public Completion complete(String prompt, ChatOptions options) {
        Limiter.Permit permit;
        try {
            permit = limiter.acquireBlocking();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.UncheckedIOException(
                    new java.io.InterruptedIOException("interrupted while waiting to send"));
        }
        try {
            Completion answer = backend.complete(prompt, options);
            permit.answered();
            return answer;
        } catch (RuntimeException e) {
            permit.completed(e);
            throw e;
        } finally {
            permit.abandon(); // an Error: the permit goes back all the same (after an outcome
            // this does nothing)
        }
    }

    /**
     * Takes a place in the limiter's queue and sends when its permit comes (on {@code executor}),
     * returning the permit when the answer or failure arrives. Cancelling the future gives up the
     * place, or cancels the exchange (whose end then returns the permit).
     */
    @SuppressWarnings("FutureReturnValueIgnored") // dependants that only note an end
    @Override
    public CompletableFuture<Completion> completeAsync(
            String prompt, ChatOptions options, Executor executor) {
        return Async.then(
                limiter.acquire(),
                permit -> {
                    CompletableFuture<Completion> answer =
                            Async.start(() -> backend.completeAsync(prompt, options, executor));
                    answer.whenComplete(
                            (completion, failure) -> {
                                if (answer.isCancelled()) {
                                    permit.abandon();
                                } else {
                                    permit.completed(
                                            failure == null ? null : Async.unwrap(failure));
                                }
                            });
                    return answer;
                },
                executor);
    }
}
