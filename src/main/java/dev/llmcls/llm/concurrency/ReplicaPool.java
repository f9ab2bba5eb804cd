package dev.llmcls.llm.concurrency;

import dev.llmcls.llm.Async;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Spreads requests over several replicas of one model: each request goes to the replica with the
 * fewest requests in flight, no replica ever has more than its limit (each replica's {@link
 * Limiter} counts them and gives the permit), and a replica that keeps failing is set aside for a
 * while (doubling each time it fails again) so the others carry the run. When every replica is set
 * aside, the one due back first gets the request, which doubles as the probe that brings it back.
 */
public final class ReplicaPool implements ChatBackend {
    static final int FAILURES_BEFORE_SET_ASIDE = 3;
    static final long FIRST_SET_ASIDE_NANOS = 5_000_000_000L;
    static final long LONGEST_SET_ASIDE_NANOS = 60_000_000_000L;

    private final List<Replica> replicas;
    private final Predicate<Throwable> replicaAtFault;
    private final Object lock = new Object();
    private final ArrayDeque<CompletableFuture<Slot>> queue = new ArrayDeque<>(); // guarded by lock
    private boolean recheckScheduled; // guarded by lock
    private int nextTieBreak;

    private static final class Replica {
        final ChatBackend backend;
        final String name;
        final Limiter limiter;
        int consecutiveFailures;
        int timesSetAside;
        long asideUntilNanos;
        long requests;

        Replica(ChatBackend backend, String name, Limiter limiter) {
            this.backend = backend;
            this.name = name;
            this.limiter = limiter;
        }

        boolean aside(long now) {
            return asideUntilNanos != 0 && now < asideUntilNanos;
        }
    }

    /**
     * @param replicaAtFault tells which failures count against a replica (it is down or broken)
     *     rather than against the request
     */
    public ReplicaPool(
            List<? extends ChatBackend> backends,
            List<String> names,
            int limitPerReplica,
            Predicate<Throwable> replicaAtFault) {
        this(
                backends,
                names,
                names.stream().map(name -> Limiter.fixed(name, limitPerReplica)).toList(),
                replicaAtFault);
    }

    /**
     * @param limits each replica's limiter (a limit that learns, see {@link AdaptiveLimit}, may
     *     change while the run goes; a limiter may be shared with other runs)
     */
    public ReplicaPool(
            List<? extends ChatBackend> backends,
            List<String> names,
            List<Limiter> limits,
            Predicate<Throwable> replicaAtFault) {
        if (backends.isEmpty()
                || backends.size() != names.size()
                || backends.size() != limits.size()) {
            throw new IllegalArgumentException(
                    "one name and one limit per replica, and at least one replica");
        }
        var list = new ArrayList<Replica>();
        for (int i = 0; i < backends.size(); i++) {
            list.add(new Replica(backends.get(i), names.get(i), limits.get(i)));
        }
        this.replicas = List.copyOf(list);
        this.replicaAtFault = replicaAtFault;
    }

    /**
     * Sets a replica aside before the run starts, e.g. because it did not answer the start-up
     * check.
     */
    public void setAside(int index) {
        synchronized (lock) {
            setAside(replicas.get(index), System.nanoTime());
        }
    }

    @Override
    public Completion complete(String prompt, ChatOptions options) {
        Replica replica = null;
        Limiter.Permit permit = null;
        synchronized (lock) {
            while (permit == null) {
                replica = choose(System.nanoTime());
                permit = replica == null ? null : replica.limiter.tryAcquire();
                if (permit != null) {
                    replica.requests++;
                    break;
                }
                try {
                    lock.wait(
                            replica == null
                                    ? 100
                                    : 5); // another run sharing the limiter took the last permit
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.UncheckedIOException(
                            new java.io.InterruptedIOException("interrupted"));
                }
            }
        }
        boolean ok = false;
        RuntimeException failure = null;
        try {
            Completion completion = replica.backend.complete(prompt, options);
            ok = true;
            return completion;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            if (ok) {
                permit.answered();
            } else if (failure != null) {
                permit.completed(failure);
            } else {
                permit.abandon();
            }
            release(replica, ok, failure);
        }
    }

    /**
     * As {@link #complete}, with no thread waiting: the request joins a queue, and the first in it
     * is sent (on {@code executor}) as soon as a replica has room, when a request ends or, since a
     * limiter may be shared with other runs and a replica comes back from aside by the clock, at
     * the latest a few milliseconds later. Cancelling the future gives up its place or cancels its
     * exchange.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // dependants that only note an end
    @Override
    public CompletableFuture<Completion> completeAsync(
            String prompt, ChatOptions options, Executor executor) {
        var slot = new CompletableFuture<Slot>();
        synchronized (lock) {
            queue.add(slot);
        }
        dispatch(executor);
        return Async.then(
                slot,
                taken -> {
                    CompletableFuture<Completion> answer =
                            Async.start(
                                    () ->
                                            taken.replica()
                                                    .backend
                                                    .completeAsync(prompt, options, executor));
                    answer.whenComplete(
                            (completion, failure) -> {
                                Throwable cause = failure == null ? null : Async.unwrap(failure);
                                if (answer.isCancelled()) {
                                    taken.permit().abandon();
                                } else {
                                    taken.permit().completed(cause);
                                }
                                release(
                                        taken.replica(),
                                        cause == null && !answer.isCancelled(),
                                        cause instanceof RuntimeException e && !answer.isCancelled()
                                                ? e
                                                : null);
                                dispatch(executor);
                            });
                    return answer;
                },
                executor);
    }

    /** A replica chosen for a queued request, and its permit. */
    private record Slot(Replica replica, Limiter.Permit permit) {}

    /**
     * Hands replicas to the queued requests while there is room; looks again shortly while some
     * still wait.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // dependants that only note an end
    private void dispatch(Executor executor) {
        List<CompletableFuture<Slot>> woken = new ArrayList<>();
        List<Slot> taken = new ArrayList<>();
        boolean recheck = false;
        long pause = 5;
        synchronized (lock) {
            while (!queue.isEmpty()) {
                if (queue.peek().isDone()) {
                    queue.poll(); // cancelled
                    continue;
                }
                Replica replica = choose(System.nanoTime());
                Limiter.Permit permit = replica == null ? null : replica.limiter.tryAcquire();
                if (permit == null) {
                    pause = replica == null ? 100 : 5;
                    break;
                }
                replica.requests++;
                woken.add(queue.poll());
                taken.add(new Slot(replica, permit));
            }
            if (!queue.isEmpty() && !recheckScheduled) {
                recheckScheduled = true;
                recheck = true;
            }
        }
        for (int i = 0; i < woken.size(); i++) {
            if (!woken.get(i).complete(taken.get(i))) {
                taken.get(i).permit().abandon(); // cancelled meanwhile
                synchronized (lock) {
                    taken.get(i).replica().requests--;
                }
            }
        }
        if (recheck) {
            Async.delay(java.time.Duration.ofMillis(pause), executor)
                    .thenRun(
                            () -> {
                                synchronized (lock) {
                                    recheckScheduled = false;
                                }
                                dispatch(executor);
                            });
        }
    }

    /** Requests sent to each replica so far, by name, in the order the replicas were given. */
    public List<String> usage() {
        synchronized (lock) {
            return replicas.stream().map(r -> r.name + " " + r.requests).toList();
        }
    }

    private Replica choose(long now) {
        Replica best = null;
        Replica dueBackFirst = null;
        boolean anyHealthy = false;
        int start = nextTieBreak++ % replicas.size();
        for (int k = 0; k < replicas.size(); k++) {
            Replica replica = replicas.get((start + k) % replicas.size());
            if (replica.aside(now)) {
                if (replica.limiter.inFlight() < replica.limiter.limit()
                        && (dueBackFirst == null
                                || replica.asideUntilNanos < dueBackFirst.asideUntilNanos)) {
                    dueBackFirst = replica;
                }
                continue;
            }
            anyHealthy = true;
            int inFlight = replica.limiter.inFlight();
            if (inFlight < replica.limiter.limit()
                    && (best == null || inFlight < best.limiter.inFlight())) {
                best = replica;
            }
        }
        if (best != null) {
            return best;
        }
        // Only when every replica is set aside does one get traffic early, and then just one
        // request at a time.
        return !anyHealthy && dueBackFirst != null && dueBackFirst.limiter.inFlight() == 0
                ? dueBackFirst
                : null;
    }

    private void release(Replica replica, boolean ok, RuntimeException failure) {
        synchronized (lock) {
            if (ok) {
                replica.consecutiveFailures = 0;
                replica.timesSetAside = 0;
                replica.asideUntilNanos = 0;
            } else if (failure != null && replicaAtFault.test(failure)) {
                replica.consecutiveFailures++;
                if (replica.consecutiveFailures >= FAILURES_BEFORE_SET_ASIDE) {
                    setAside(replica, System.nanoTime());
                }
            }
            lock.notifyAll();
        }
    }

    private static void setAside(Replica replica, long now) {
        long pause =
                Math.min(
                        LONGEST_SET_ASIDE_NANOS,
                        FIRST_SET_ASIDE_NANOS << Math.min(replica.timesSetAside, 10));
        replica.timesSetAside++;
        replica.consecutiveFailures = 0;
        replica.asideUntilNanos = now + pause;
    }
}
