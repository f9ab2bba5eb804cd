package dev.llmcls.llm;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The few steps the asynchronous request path is built from ({@link ChatBackend#completeAsync}): a
 * request waits for a permit, then for its answer, then perhaps for a retry's pause, and no thread
 * waits with it.
 *
 * <p>{@link CompletableFuture}'s own {@code thenCompose} does not pass a cancellation back to the
 * step it waits on: cancelling what a chain returns leaves the HTTP exchange running and a queued
 * permit waiting. {@link #compose} does: cancelling its future cancels the step in progress (the
 * JDK HTTP client aborts an exchange whose future is cancelled; a limiter gives up a cancelled
 * place in its queue). That is how a stopped run ends its examples in flight after the grace, where
 * the thread-per-request design interrupted the threads.
 */
public final class Async {
    private Async() {}

    /**
     * Runs {@code next} on {@code executor} once {@code first} has ended, with its value or its
     * failure (one of the two is null; the failure unwrapped from {@link CompletionException}), and
     * completes as the future {@code next} returns. Cancelling the result cancels {@code first}
     * while it runs, and then the future {@code next} made. When {@code first} has ended already,
     * {@code next} runs at once on the calling thread.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // dependants that only note an end
    public static <T, U> CompletableFuture<U> compose(
            CompletableFuture<T> first,
            BiFunction<? super T, Throwable, ? extends CompletableFuture<U>> next,
            Executor executor) {
        var result = new CompletableFuture<U>();
        var current = new AtomicReference<CompletableFuture<?>>(first);
        java.util.function.BiConsumer<T, Throwable> step =
                (value, failure) -> {
                    if (result.isDone()) {
                        return; // cancelled meanwhile
                    }
                    CompletableFuture<U> made;
                    try {
                        made = next.apply(value, failure == null ? null : unwrap(failure));
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                        return;
                    }
                    current.set(made);
                    if (result.isDone()) {
                        made.cancel(true);
                        return;
                    }
                    made.whenComplete(
                            (u, f) -> {
                                if (f == null) {
                                    result.complete(u);
                                } else {
                                    result.completeExceptionally(unwrap(f));
                                }
                            });
                };
        if (first.isDone()) {
            first.whenComplete(
                    step); // nothing waited: no hop to the executor (the caller is on it, or waits
            // anyway)
        } else {
            first.whenCompleteAsync(step, executor);
        }
        result.whenComplete(
                (u, f) -> {
                    if (result.isCancelled()) {
                        current.get().cancel(true);
                    }
                });
        return result;
    }

    /**
     * As {@link #compose}, for the value only: a failure of {@code first} is the result's failure.
     */
    public static <T, U> CompletableFuture<U> then(
            CompletableFuture<T> first,
            Function<? super T, ? extends CompletableFuture<U>> next,
            Executor executor) {
        return compose(
                first,
                (value, failure) ->
                        failure != null
                                ? CompletableFuture.failedFuture(failure)
                                : next.apply(value),
                executor);
    }

    /**
     * A future that completes after {@code delay}, on {@code executor}; cancelling it drops the
     * wait.
     */
    public static CompletableFuture<Void> delay(Duration delay, Executor executor) {
        return CompletableFuture.runAsync(
                () -> {},
                CompletableFuture.delayedExecutor(
                        Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS, executor));
    }

    /** {@code supplier}'s future, or a failed one when it throws instead of returning one. */
    public static <T> CompletableFuture<T> start(
            java.util.function.Supplier<CompletableFuture<T>> supplier) {
        try {
            return supplier.get();
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The failure itself, out of the {@link CompletionException} or {@link ExecutionException}
     * around it.
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Waits for {@code future} on this thread, for the callers that stay synchronous (the start-up
     * probe, likelihood scoring's label requests). Its failure is thrown as it is (a checked one
     * inside an unchecked wrapper); an interrupt cancels it (and with it the exchange) and throws
     * as an interrupted send did: an {@link UncheckedIOException} over an {@link
     * InterruptedIOException}, the thread's interrupt flag set again.
     */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(
                    new InterruptedIOException("interrupted while waiting for an answer"));
        } catch (CancellationException e) {
            throw new UncheckedIOException(
                    new InterruptedIOException("cancelled while waiting for an answer"));
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            if (cause instanceof java.io.IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(cause);
        }
    }
}
