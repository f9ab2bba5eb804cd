package dev.llmcls.run;

import dev.llmcls.llm.ChatBackend;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * The one limit of requests in flight to a server that several runs of a study share: a request waits here until
 * fewer than {@code limit} are in flight, and the waiting request of the lowest {@code priority} (the study's
 * earliest cell; then the earliest to ask) goes first. So the first cells finish first, and the later cells' requests
 * fill exactly the room the earlier ones leave: the server stays full until the study's last request. Each waiter has
 * its own condition, so a release wakes one thread, not all; the head also looks again every few milliseconds
 * because the limit may grow with no request ending ({@code --concurrency auto}).
 */
final class ServerGate {
    private static final long RECHECK_MILLIS = 20;

    private final IntSupplier limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(
            Comparator.comparingInt((Waiter w) -> w.priority).thenComparingLong(w -> w.order));
    private int inFlight;
    private int highest;
    private long order;

    private static final class Waiter {
        final int priority;
        final long order;
        final Condition turn;

        Waiter(int priority, long order, Condition turn) {
            this.priority = priority;
            this.order = order;
            this.turn = turn;
        }
    }

    ServerGate(IntSupplier limit) {
        this.limit = limit;
    }

    /** {@code backend} with each request let through this gate at {@code priority} (lower goes first). */
    ChatBackend view(ChatBackend backend, int priority) {
        return (prompt, options) -> {
            acquire(priority);
            try {
                return backend.complete(prompt, options);
            } finally {
                release();
            }
        };
    }

    /** The most requests that were in flight at once through this gate. */
    int highest() {
        lock.lock();
        try {
            return highest;
        } finally {
            lock.unlock();
        }
    }

    void acquire(int priority) {
        lock.lock();
        try {
            if (waiting.isEmpty() && inFlight < room()) {
                enter();
                return;
            }
            var waiter = new Waiter(priority, order++, lock.newCondition());
            waiting.add(waiter);
            try {
                while (waiting.peek() != waiter || inFlight >= room()) {
                    waiter.turn.await(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                waiting.remove(waiter);
                signalHead();
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for the server"));
            }
            waiting.poll();
            enter();
            signalHead(); // the limit may have room for the next one too
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            inFlight--;
            signalHead();
        } finally {
            lock.unlock();
        }
    }

    private void enter() {
        inFlight++;
        highest = Math.max(highest, inFlight);
    }

    private int room() {
        return Math.max(1, limit.getAsInt());
    }

    private void signalHead() {
        Waiter head = waiting.peek();
        if (head != null && inFlight < room()) {
            head.turn.signal();
        }
    }
}
