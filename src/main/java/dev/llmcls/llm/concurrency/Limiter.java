package dev.llmcls.llm.concurrency;

import dev.llmcls.llm.FailureKind;
import dev.llmcls.llm.Failures;
import dev.llmcls.llm.ServerException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The requests in flight to one server: the one place they are counted. A request is sent under a
 * {@link Permit}, handed out while fewer than the {@link LimitAlgorithm}'s limit are in flight (at
 * once by {@link #tryAcquire}, or as a future that completes when one is returned, first come first
 * served, by {@link #acquire}); the permit's outcome ({@link Permit#completed}) returns it and
 * tells the algorithm. Several runs in one JVM that talk to the same server share its limiter
 * through a {@link LimiterRegistry}, so that the server sees one limit, not one per run.
 */
public final class Limiter {
    private final String name;
    private final LimitAlgorithm algorithm;
    private final LongSupplier clock;
    private final ArrayDeque<CompletableFuture<Permit>> waiting = new ArrayDeque<>();
    private int inFlight; // guarded by this
    // The sends let out now, guarded by this: the algorithm's limit, except that when the limit
    // rises it opens by two per answer (TCP's slow start; a refusal or failure opens nothing)
    // rather than at once, so that a server
    // refusing above some concurrency (a rate limiter) answers 429 to the first excess requests
    // before hundreds more are on their way. -1 until the first grant (the first limit opens at
    // once).
    private int open = -1;

    /**
     * @param name the server's name in the log (empty for a run with one server)
     * @param clock nanoseconds, as {@link System#nanoTime} (tests drive a fake one)
     */
    public Limiter(String name, LimitAlgorithm algorithm, LongSupplier clock) {
        this.name = name;
        this.algorithm = algorithm;
        this.clock = clock;
    }

    /** A limiter of {@code limit} requests in flight that never changes. */
    public static Limiter fixed(String name, int limit) {
        return new Limiter(name, new FixedLimit(limit), System::nanoTime);
    }

    public String name() {
        return name;
    }

    public LimitAlgorithm algorithm() {
        return algorithm;
    }

    /** The requests that may be in flight now. */
    public synchronized int limit() {
        return algorithm.limit();
    }

    /** The requests in flight now. */
    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized LimitAlgorithm.Report report() {
        return algorithm.report();
    }

    /** A permit now, or null when the limit is reached (or others wait for one already). */
    public synchronized Permit tryAcquire() {
        return waiting.isEmpty() && inFlight < open() ? grant() : null;
    }

    /**
     * A permit as soon as one is free, in the order asked. Cancelling the future gives up the
     * place.
     */
    public CompletableFuture<Permit> acquire() {
        synchronized (this) {
            if (waiting.isEmpty() && inFlight < open()) {
                return CompletableFuture.completedFuture(grant());
            }
            var future = new CompletableFuture<Permit>();
            waiting.add(future);
            return future;
        }
    }

    /** A permit, waiting for one while the limit is reached. */
    public Permit acquireBlocking() throws InterruptedException {
        CompletableFuture<Permit> future = acquire();
        try {
            return future.get();
        } catch (InterruptedException e) {
            if (!future.cancel(false)) {
                future.join().abandon(); // granted just as the wait ended: give it back unused
            }
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The sends let out now: see {@link #open}. Called holding this. */
    private int open() {
        int limit = algorithm.limit();
        if (open < 0 || open > limit) {
            open = limit; // the first limit, or a lower one: at once
        }
        return open;
    }

    private Permit grant() {
        inFlight++;
        long now = clock.getAsLong();
        return new Permit(algorithm.onSend(now, inFlight), now, inFlight);
    }

    private void release(Permit permit, LimitAlgorithm.Outcome outcome, Duration retryAfter) {
        List<CompletableFuture<Permit>> woken = new ArrayList<>();
        List<Permit> granted = new ArrayList<>();
        synchronized (this) {
            if (outcome != null) {
                algorithm.onSample(
                        new LimitAlgorithm.Sample(
                                outcome,
                                permit.tag,
                                permit.sentNanos,
                                permit.inFlightAtSend,
                                clock.getAsLong(),
                                inFlight,
                                retryAfter));
            }
            inFlight--;
            if (outcome == LimitAlgorithm.Outcome.ANSWERED
                    && open >= 0
                    && open < algorithm.limit()) { // a refusal opens nothing
                open = Math.min(algorithm.limit(), open + 2);
            }
            while (!waiting.isEmpty() && inFlight < open()) {
                CompletableFuture<Permit> next = waiting.poll();
                if (!next.isDone()) { // not cancelled
                    woken.add(next);
                    granted.add(grant());
                }
            }
        }
        for (int i = 0; i < woken.size(); i++) {
            if (!woken.get(i).complete(granted.get(i))) {
                granted.get(i).abandon(); // cancelled meanwhile
            }
        }
    }

    /**
     * A request's right to be in flight; returned exactly once, by one of its methods (later calls
     * do nothing).
     */
    public final class Permit {
        private final long tag;
        private final long sentNanos;
        private final int inFlightAtSend;
        private final AtomicBoolean returned = new AtomicBoolean();

        private Permit(long tag, long sentNanos, int inFlightAtSend) {
            this.tag = tag;
            this.sentNanos = sentNanos;
            this.inFlightAtSend = inFlightAtSend;
        }

        /** The request got its answer. */
        public void answered() {
            end(LimitAlgorithm.Outcome.ANSWERED, null);
        }

        /**
         * The server refused it for load (429, 503) or it timed out; {@code retryAfter} as the
         * server asked, or null.
         */
        public void overloaded(Duration retryAfter) {
            end(LimitAlgorithm.Outcome.OVERLOADED, retryAfter);
        }

        /** It failed for another reason: it says nothing about the limit. */
        public void failed() {
            end(LimitAlgorithm.Outcome.FAILED, null);
        }

        /** It was never sent: the permit goes back without a sample. */
        public void abandon() {
            end(null, null);
        }

        /** The outcome of a request that ended with {@code failure} (null: answered). */
        public void completed(Throwable failure) {
            if (failure == null) {
                answered();
            } else if (overload(failure)) {
                overloaded(retryAfter(failure));
            } else {
                failed();
            }
        }

        private void end(LimitAlgorithm.Outcome outcome, Duration retryAfter) {
            if (returned.compareAndSet(false, true)) {
                release(this, outcome, retryAfter);
            }
        }
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
