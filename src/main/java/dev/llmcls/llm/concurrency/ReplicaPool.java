package dev.llmcls.llm.concurrency;

import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * Spreads requests over several replicas of one model: each request goes to the replica with the fewest requests in
 * flight, no replica ever has more than its limit, and a replica that keeps failing is set aside for a while
 * (doubling each time it fails again) so the others carry the run. When every replica is set aside, the one due back
 * first gets the request, which doubles as the probe that brings it back.
 */
public final class ReplicaPool implements ChatBackend {
    static final int FAILURES_BEFORE_SET_ASIDE = 3;
    static final long FIRST_SET_ASIDE_NANOS = 5_000_000_000L;
    static final long LONGEST_SET_ASIDE_NANOS = 60_000_000_000L;

    private final List<Replica> replicas;
    private final Predicate<Throwable> replicaAtFault;
    private final Object lock = new Object();
    private int nextTieBreak;

    private static final class Replica {
        final ChatBackend backend;
        final String name;
        final IntSupplier limit;
        int inFlight;
        int consecutiveFailures;
        int timesSetAside;
        long asideUntilNanos;
        long requests;

        Replica(ChatBackend backend, String name, IntSupplier limit) {
            this.backend = backend;
            this.name = name;
            this.limit = limit;
        }

        boolean aside(long now) {
            return asideUntilNanos != 0 && now < asideUntilNanos;
        }
    }

    /**
     * @param replicaAtFault tells which failures count against a replica (it is down or broken) rather than against
     *     the request
     */
    public ReplicaPool(List<? extends ChatBackend> backends, List<String> names, int limitPerReplica,
            Predicate<Throwable> replicaAtFault) {
        this(backends, names, backends.stream().map(b -> (IntSupplier) () -> limitPerReplica).toList(),
                replicaAtFault);
    }

    /**
     * @param limits each replica's requests in flight, asked anew for every request (a limit that learns, see
     *     {@link AdaptiveLimit}, may change while the run goes)
     */
    public ReplicaPool(List<? extends ChatBackend> backends, List<String> names, List<IntSupplier> limits,
            Predicate<Throwable> replicaAtFault) {
        if (backends.isEmpty() || backends.size() != names.size() || backends.size() != limits.size()) {
            throw new IllegalArgumentException("one name and one limit per replica, and at least one replica");
        }
        var list = new ArrayList<Replica>();
        for (int i = 0; i < backends.size(); i++) {
            list.add(new Replica(backends.get(i), names.get(i), limits.get(i)));
        }
        this.replicas = List.copyOf(list);
        this.replicaAtFault = replicaAtFault;
    }

    /** Sets a replica aside before the run starts, e.g. because it did not answer the start-up check. */
    public void setAside(int index) {
        synchronized (lock) {
            setAside(replicas.get(index), System.nanoTime());
        }
    }

    @Override
    public Completion complete(String prompt, ChatOptions options) {
        Replica replica = acquire();
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
            release(replica, ok, failure);
        }
    }

    /** Requests sent to each replica so far, by name, in the order the replicas were given. */
    public List<String> usage() {
        synchronized (lock) {
            return replicas.stream().map(r -> r.name + " " + r.requests).toList();
        }
    }

    private Replica acquire() {
        synchronized (lock) {
            while (true) {
                Replica chosen = choose(System.nanoTime());
                if (chosen != null) {
                    chosen.inFlight++;
                    chosen.requests++;
                    return chosen;
                }
                try {
                    lock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
                }
            }
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
                if (replica.inFlight < replica.limit.getAsInt()
                        && (dueBackFirst == null || replica.asideUntilNanos < dueBackFirst.asideUntilNanos)) {
                    dueBackFirst = replica;
                }
                continue;
            }
            anyHealthy = true;
            if (replica.inFlight < replica.limit.getAsInt() && (best == null || replica.inFlight < best.inFlight)) {
                best = replica;
            }
        }
        if (best != null) {
            return best;
        }
        // Only when every replica is set aside does one get traffic early, and then just one request at a time.
        return !anyHealthy && dueBackFirst != null && dueBackFirst.inFlight == 0 ? dueBackFirst : null;
    }

    private void release(Replica replica, boolean ok, RuntimeException failure) {
        synchronized (lock) {
            replica.inFlight--;
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
        long pause = Math.min(LONGEST_SET_ASIDE_NANOS, FIRST_SET_ASIDE_NANOS << Math.min(replica.timesSetAside, 10));
        replica.timesSetAside++;
        replica.consecutiveFailures = 0;
        replica.asideUntilNanos = now + pause;
    }
}
