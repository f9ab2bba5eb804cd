package dev.llmcls.run;

import dev.llmcls.data.Example;
import dev.llmcls.run.task.ExampleTask;
import dev.llmcls.run.task.TaskResult;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Runs a task over a stream of examples with as many workers as the limit allows at each moment (never more than
 * {@code concurrency}), so that exactly that many requests are in flight while examples remain. Workers start when
 * the limit allows more (lazily: a run whose limit stays low never creates the threads of a high one) and end, after
 * their example, when it allows fewer. Each result goes to the sink as soon as it is ready. A stop (a signal, or the
 * server staying down) ends the taking of new examples; examples in flight get {@code grace} to finish and are then
 * interrupted, and an interrupted example is not recorded, so a resumed run tries it again.
 */
public final class ExampleRunner {
    private static final long TICK_MILLIS = 200;

    /** {@code concurrency}: the most workers at once, whatever the limit says. */
    public record Settings(int concurrency, int maxConsecutiveFailures, Duration grace) {
        public Settings {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
            }
        }
    }

    private final Settings settings;
    private final IntSupplier limit;
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private final AtomicLong stopRequestedNanos = new AtomicLong();
    private final AtomicInteger consecutiveServerFailures = new AtomicInteger();
    private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
    private final ThreadFactory threadFactory = workerThreads();
    private final Object workersLock = new Object();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private int workers; // started and not yet ended (guarded by workersLock)
    private boolean exhausted;
    private Runnable work;

    /** Workers for exactly {@code settings.concurrency()} requests in flight. */
    public ExampleRunner(Settings settings) {
        this(settings, null);
    }

    /** @param limit the requests that may be in flight now, asked after each example (null: the concurrency) */
    public ExampleRunner(Settings settings, IntSupplier limit) {
        this.settings = settings;
        this.limit = limit != null ? limit : settings::concurrency;
    }

    /** Asks the run to stop taking new examples; the first reason given is the one reported. */
    public void requestStop(String reason) {
        if (stopReason.compareAndSet(null, reason)) {
            stopRequestedNanos.set(System.nanoTime());
        }
    }

    /** Why the run stopped before the end of its examples, or null if it did not. */
    public String stopReason() {
        return stopReason.get();
    }

    public void run(Iterator<Example> examples, ExampleTask task, Consumer<TaskResult> sink, RunStats stats,
            RunMonitor monitor) {
        work = () -> work(examples, task, sink, stats);
        topUp();
        awaitWorkers(stats, monitor);
        monitor.update(stats);
        if (fatal.get() != null) {
            throw fatal.get();
        }
    }

    private int target() {
        return Math.max(1, Math.min(settings.concurrency(), limit.getAsInt()));
    }

    /** Starts workers until there are as many as the limit allows, while examples remain. */
    private void topUp() {
        synchronized (workersLock) {
            int target = target();
            while (workers < target && !exhausted && stopReason.get() == null) {
                workers++;
                Thread thread = threadFactory.newThread(work);
                threads.add(thread);
                thread.start();
            }
        }
    }

    private void work(Iterator<Example> examples, ExampleTask task, Consumer<TaskResult> sink, RunStats stats) {
        boolean counted = true;
        try {
            while (stopReason.get() == null) {
                synchronized (workersLock) {
                    if (workers > target()) {
                        workers--; // the limit went down: this worker ends
                        counted = false;
                        return;
                    }
                }
                Example example;
                synchronized (examples) {
                    if (!examples.hasNext()) {
                        synchronized (workersLock) {
                            exhausted = true;
                        }
                        return;
                    }
                    example = examples.next();
                }
                TaskResult result = task.process(example);
                sink.accept(result);
                stats.add(result);
                watchServerHealth(result);
                topUp();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fatal.compareAndSet(null, e);
            requestStop("an unexpected error: " + e.getMessage());
        } finally {
            synchronized (workersLock) {
                if (counted) {
                    workers--;
                }
                threads.remove(Thread.currentThread());
                workersLock.notifyAll();
            }
        }
    }

    private void watchServerHealth(TaskResult result) {
        if (result.failure() != null && result.failure().serverDown()) {
            int inARow = consecutiveServerFailures.incrementAndGet();
            if (settings.maxConsecutiveFailures() > 0 && inARow >= settings.maxConsecutiveFailures()) {
                requestStop("the server failed " + inARow + " examples in a row (" + result.record().error() + ")");
            }
        } else {
            consecutiveServerFailures.set(0);
        }
    }

    /** Waits until every worker has ended, updating the monitor, and interrupts them once the grace is over. */
    private void awaitWorkers(RunStats stats, RunMonitor monitor) {
        boolean interrupted = false;
        boolean interruptedWorkers = false;
        while (true) {
            synchronized (workersLock) {
                if (workers == 0 && threads.isEmpty()) {
                    break;
                }
                try {
                    workersLock.wait(TICK_MILLIS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                threads.forEach(Thread::interrupt); // as before: this thread stops waiting for them
                break;
            }
            monitor.update(stats);
            long stoppedAt = stopRequestedNanos.get();
            if (!interruptedWorkers && stoppedAt != 0 && System.nanoTime() - stoppedAt > settings.grace().toNanos()) {
                threads.forEach(Thread::interrupt);
                interruptedWorkers = true;
            }
            topUp(); // the limit may have grown while no example ended
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory workerThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "llmcls-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
