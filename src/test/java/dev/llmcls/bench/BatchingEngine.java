package dev.llmcls.bench;

import dev.llmcls.testing.FakeOpenAiServer;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * A continuous-batching inference engine in miniature: {@code slots} requests are served at once,
 * the rest wait in a first-come queue, and each request, when it gets a slot, takes a service time
 * drawn from a seeded uniform distribution. The draws are made in arrival order, so the total
 * service time of N requests is the same in every run and the ideal wall time of a run is that
 * total divided by {@code slots}.
 *
 * <p>The engine keeps its own clock, as a GPU does: a request is given a slot the moment it
 * arrives, starting when that slot frees (or at once if one is free), and its answer is sent at its
 * end time. A slot therefore never waits for a thread of this process to wake up, and a slot is
 * idle only when no request is waiting: the time slots stand idle before the last request arrives
 * is what the client failed to keep queued ({@link Report#starvedSlotSeconds}). After the last
 * arrival the batch drains, which no client can avoid.
 */
public final class BatchingEngine implements FakeOpenAiServer.Engine {
    private final int slots;
    private final long minMillis;
    private final long maxMillis;
    private final Random random;
    private final PriorityQueue<Long> slotFreeAt = new PriorityQueue<>();

    private long served;
    private long totalServiceMillis;
    private long firstArrivalNanos;
    private long lastArrivalNanos;
    private long lastEndNanos;
    private long starvedNanos;
    private long fullNanos;

    public BatchingEngine(int slots, long minMillis, long maxMillis, long seed) {
        this.slots = slots;
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = new Random(seed);
    }

    /**
     * What the engine saw of a run; {@code rampSeconds} is how long after the first request the
     * S-th one came.
     */
    public record Report(
            int slots,
            long served,
            long totalServiceMillis,
            double windowSeconds,
            double starvedSlotSeconds,
            double rampSeconds) {
        public double idealSeconds() {
            return totalServiceMillis / 1000.0 / slots;
        }

        /**
         * Busy slot-time over available slot-time between the first arrival and the last answer.
         */
        public double utilisation() {
            return windowSeconds <= 0 ? 0 : totalServiceMillis / 1000.0 / (windowSeconds * slots);
        }

        /**
         * The share of slot-time left idle for lack of a waiting request, before the last request
         * arrived.
         */
        public double starvedShare() {
            return windowSeconds <= 0 ? 0 : starvedSlotSeconds / (windowSeconds * slots);
        }
    }

    @Override
    public void serve(FakeOpenAiServer.ChatRequest request) throws InterruptedException {
        long end = schedule(System.nanoTime());
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * Gives the request arriving at {@code now} the slot that frees first; returns when its answer
     * is due.
     */
    private synchronized long schedule(long now) {
        if (firstArrivalNanos == 0) {
            firstArrivalNanos = now;
            for (int i = 0; i < slots; i++) {
                slotFreeAt.add(now);
            }
        }
        lastArrivalNanos = now;
        if (served == slots - 1) {
            fullNanos = now; // the request that fills the last slot
        }
        long free = slotFreeAt.poll();
        long start = Math.max(free, now);
        starvedNanos += start - free; // the slot stood idle from `free` until this request came
        long millis = minMillis + (long) (random.nextDouble() * (maxMillis - minMillis + 1));
        long end = start + millis * 1_000_000L;
        slotFreeAt.add(end);
        served++;
        totalServiceMillis += millis;
        lastEndNanos = Math.max(lastEndNanos, end);
        return end;
    }

    /** The {@link System#nanoTime} of the first request's arrival (0 before any). */
    public synchronized long firstArrivalNanos() {
        return firstArrivalNanos;
    }

    /** The {@link System#nanoTime} at which the last answer was due. */
    public synchronized long lastEndNanos() {
        return lastEndNanos;
    }

    public synchronized Report report() {
        // Slots still idle at the last arrival were idle for lack of requests too, up to that
        // moment.
        long starved = starvedNanos;
        for (long free : slotFreeAt) {
            starved += Math.max(0, lastArrivalNanos - free);
        }
        return new Report(
                slots,
                served,
                totalServiceMillis,
                (lastEndNanos - firstArrivalNanos) / 1e9,
                starved / 1e9,
                (fullNanos - firstArrivalNanos) / 1e9);
    }
}
