package dev.llmcls.run;

import dev.llmcls.llm.Async;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;

/**
 * The one limit of requests in flight to a server that several runs of a study share: a request
 * waits here until fewer than {@code limit} are in flight, and the waiting request of the lowest
 * {@code priority} (the study's earliest cell; then the earliest to ask) goes first. So the first
 * cells finish first, and the later cells' requests fill exactly the room the earlier ones leave:
 * the server stays full until the study's last request. A waiting request is a future, not a
 * thread; a request's end lets the next in; the head is also looked at again every few milliseconds
 * while some wait, because the limit may grow with no request ending ({@code --concurrency auto}).
 */
final class ServerGate {
    private static final Duration RECHECK = Duration.ofMillis(20);

    private final IntSupplier limit;
    private final Object lock = new Object();
    private final PriorityQueue<Waiter> waiting =
            new PriorityQueue<>(
                    Comparator.comparingInt((Waiter w) -> w.priority)
                            .thenComparingLong(w -> w.order));
    private int inFlight;
    private int highest;
    private long order;
    private boolean recheckScheduled;

    private record Waiter(int priority, long order, CompletableFuture<Void> turn) {}

    ServerGate(IntSupplier limit) {
        this.limit = limit;
    }

    /**
     * {@code backend} with each request let through this gate at {@code priority} (lower goes
     * first).
     */
    @SuppressWarnings("FutureReturnValueIgnored") // dependants that only note an end
    ChatBackend view(ChatBackend backend, int priority) {
        return new ChatBackend() {
            @Override
            public Completion complete(String prompt, ChatOptions options) {
                acquire(priority);
                try {
                    return backend.complete(prompt, options);
                } finally {
                    release();
                }
            }

            @Override
            public CompletableFuture<Completion> completeAsync(
                    String prompt, ChatOptions options, Executor executor) {
                return Async.then(
                        enter(priority),
                        entered -> {
                            CompletableFuture<Completion> answer =
                                    Async.start(
                                            () -> backend.completeAsync(prompt, options, executor));
                            answer.whenComplete((completion, failure) -> release());
                            return answer;
                        },
                        executor);
            }
        };
    }

    /** The most requests that were in flight at once through this gate. */
    int highest() {
        synchronized (lock) {
            return highest;
        }
    }

    /** Waits on this thread for a turn. */
    void acquire(int priority) {
        CompletableFuture<Void> turn = enter(priority);
        try {
            turn.get();
        } catch (InterruptedException e) {
            if (!turn.cancel(false)) {
                release(); // let in just as the wait ended
            }
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(
                    new InterruptedIOException("interrupted while waiting for the server"));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * A turn: completed when this request may go in (it then counts as in flight); cancelling it
     * gives it up.
     */
    CompletableFuture<Void> enter(int priority) {
        var turn = new CompletableFuture<Void>();
        synchronized (lock) {
            waiting.add(new Waiter(priority, order++, turn));
        }
        admit();
        return turn;
    }

    void release() {
        synchronized (lock) {
            inFlight--;
        }
        admit();
    }

    /** Lets the waiting requests in, lowest priority first, while there is room. */
    @SuppressWarnings("FutureReturnValueIgnored") // dependants that only note an end
    private void admit() {
        List<CompletableFuture<Void>> admitted = new ArrayList<>();
        boolean recheck = false;
        synchronized (lock) {
            while (!waiting.isEmpty() && inFlight < room()) {
                Waiter head = waiting.poll();
                if (head.turn.isDone()) {
                    continue; // cancelled
                }
                inFlight++;
                highest = Math.max(highest, inFlight);
                admitted.add(head.turn);
            }
            if (!waiting.isEmpty() && !recheckScheduled) {
                recheckScheduled = true;
                recheck = true;
            }
        }
        boolean given = false;
        for (CompletableFuture<Void> turn : admitted) {
            if (!turn.complete(null)) {
                synchronized (lock) {
                    inFlight--; // cancelled meanwhile
                }
                given = true;
            }
        }
        if (given) {
            admit();
        }
        if (recheck) {
            Async.delay(RECHECK, Runnable::run)
                    .thenRun(
                            () -> {
                                synchronized (lock) {
                                    recheckScheduled = false;
                                }
                                admit();
                            });
        }
    }

    private int room() {
        return Math.max(1, limit.getAsInt());
    }
}
