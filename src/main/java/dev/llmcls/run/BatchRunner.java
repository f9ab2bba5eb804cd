package dev.llmcls.run;

import dev.llmcls.data.Example;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs a task over a stream of examples with a fixed number of workers, so that exactly {@code concurrency} requests
 * are in flight while examples remain, never more. Each result goes to the sink as soon as it is ready. A stop
 * (a signal, or the server staying down) ends the taking of new examples; examples in flight get {@code grace} to
 * finish and are then interrupted, and an interrupted example is not recorded, so a resumed run tries it again.
 */
public final class BatchRunner {
    private static final long TICK_MILLIS = 200;

    public record Settings(int concurrency, int maxConsecutiveFailures, Duration grace) {
        public Settings {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
            }
        }
    }

    private final Settings settings;
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private final AtomicLong stopRequestedNanos = new AtomicLong();
    private final AtomicInteger consecutiveServerFailures = new AtomicInteger();
    private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();

    public BatchRunner(Settings settings) {
        this.settings = settings;
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
        ExecutorService workers = Executors.newFixedThreadPool(settings.concurrency(), workerThreads());
        for (int i = 0; i < settings.concurrency(); i++) {
            workers.execute(() -> work(examples, task, sink, stats));
        }
        workers.shutdown();
        awaitWorkers(workers, stats, monitor);
        monitor.update(stats);
        if (fatal.get() != null) {
            throw fatal.get();
        }
    }

    private void work(Iterator<Example> examples, ExampleTask task, Consumer<TaskResult> sink, RunStats stats) {
        try {
            while (stopReason.get() == null) {
                Example example;
                synchronized (examples) {
                    if (!examples.hasNext()) {
                        return;
                    }
                    example = examples.next();
                }
                TaskResult result = task.process(example);
                sink.accept(result);
                stats.add(result);
                watchServerHealth(result);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fatal.compareAndSet(null, e);
            requestStop("an unexpected error: " + e.getMessage());
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

    private void awaitWorkers(ExecutorService workers, RunStats stats, RunMonitor monitor) {
        boolean interrupted = false;
        try {
            while (!workers.awaitTermination(TICK_MILLIS, TimeUnit.MILLISECONDS)) {
                monitor.update(stats);
                long stoppedAt = stopRequestedNanos.get();
                if (stoppedAt != 0 && System.nanoTime() - stoppedAt > settings.grace().toNanos()) {
                    workers.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
            workers.shutdownNow();
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
