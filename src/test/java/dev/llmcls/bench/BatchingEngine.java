package dev.llmcls.bench;

import dev.llmcls.testing.FakeOpenAiServer;
import java.util.Random;
import java.util.concurrent.Semaphore;

/**
 * A continuous-batching inference engine in miniature: at most {@code slots} requests are served at once and the rest
 * wait in a first-come queue; each request, when it gets a slot, takes a service time drawn from a seeded uniform
 * distribution. Draws are made in the order requests get a slot, so the total service time of N requests is the same
 * in every run, and the ideal wall time of a run is that total divided by {@code slots}.
 */
final class BatchingEngine implements FakeOpenAiServer.Engine {
    private final int slots;
    private final long minMillis;
    private final long maxMillis;
    private final Semaphore free;
    private final Random random;

    private long served;
    private long totalServiceMillis;
    private long firstArrivalNanos;
    private long lastEndNanos;
    private int busy;
    private long lastChangeNanos;
    private double busySlotNanos;

    BatchingEngine(int slots, long minMillis, long maxMillis, long seed) {
        this.slots = slots;
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.free = new Semaphore(slots, true);
        this.random = new Random(seed);
    }

    /** What the engine saw of a run. */
    record Report(int slots, long served, long totalServiceMillis, double windowSeconds, double utilisation) {
        double idealSeconds() {
            return totalServiceMillis / 1000.0 / slots;
        }
    }

    @Override
    public void serve(FakeOpenAiServer.ChatRequest request) throws InterruptedException {
        arrived();
        free.acquire();
        long millis;
        try {
            millis = start();
            Thread.sleep(millis);
        } finally {
            end();
            free.release();
        }
    }

    private synchronized void arrived() {
        if (firstArrivalNanos == 0) {
            firstArrivalNanos = System.nanoTime();
        }
    }

    private synchronized long start() {
        long millis = minMillis + (long) (random.nextDouble() * (maxMillis - minMillis + 1));
        served++;
        totalServiceMillis += millis;
        changeBusy(+1);
        return millis;
    }

    private synchronized void end() {
        changeBusy(-1);
        lastEndNanos = System.nanoTime();
    }

    private void changeBusy(int delta) {
        long now = System.nanoTime();
        if (lastChangeNanos != 0) {
            busySlotNanos += (double) busy * (now - lastChangeNanos);
        }
        busy += delta;
        lastChangeNanos = now;
    }

    synchronized Report report() {
        double window = (lastEndNanos - firstArrivalNanos) / 1e9;
        double utilisation = window <= 0 ? 0 : busySlotNanos / 1e9 / (window * slots);
        return new Report(slots, served, totalServiceMillis, window, utilisation);
    }
}
