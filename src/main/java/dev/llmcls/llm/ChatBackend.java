package dev.llmcls.llm;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Sends one prompt, as a single user message, and returns the server's answer. Safe to call from
 * many threads.
 */
public interface ChatBackend {
    /** Waits on this thread for the answer. */
    Completion complete(String prompt, ChatOptions options);

    /**
     * Sends the prompt and returns at once: the future completes with the answer, or with the
     * failure that {@link #complete} would have thrown. No thread waits while the request waits for
     * a permit, is in flight or waits to be sent again. The future may complete on the HTTP
     * client's own thread; every step after a wait (a permit handed on, an answer to read) runs on
     * {@code executor}, whose threads must never block. Cancelling the future cancels the request
     * where it is (its place in a queue, its exchange).
     *
     * <p>By default: {@link #complete} on the calling thread, for backends that send nothing over
     * the network (the tests' stand-ins); every backend on the request path overrides it.
     */
    default CompletableFuture<Completion> completeAsync(
            String prompt, ChatOptions options, Executor executor) {
        return Async.start(() -> CompletableFuture.completedFuture(complete(prompt, options)));
    }
}
