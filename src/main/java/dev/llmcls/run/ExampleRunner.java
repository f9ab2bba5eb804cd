package dev.llmcls.run;

import dev.llmcls.data.Example;
import dev.llmcls.llm.Async;
import dev.llmcls.run.task.AsyncExampleTask;
import dev.llmcls.run.task.ExampleTask;
import dev.llmcls.run.task.TaskResult;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Runs a task over a stream of examples with as many workers as the limit allows at each moment
 * (never more than {@code concurrency}), so that exactly that many requests are in flight while
 * examples remain. Workers start when the limit allows more (lazily: a run whose limit stays low
 * never creates the threads of a high one) and end, after their example, when it allows fewer. Each
 * result goes to the sink as soon as it is ready. A stop (a signal, or the server staying down)
 * ends the taking of new examples; examples in flight get {@code grace} to finish and are then
 * interrupted, and an interrupted example is not recorded, so a resumed run tries it again.
 */
public final class ExampleRunner {
    private static final long TICK_MILLIS = 200;
    private static final int ASYNC_THREADS_MIN = 4;

    /** {@code concurrency}: the most workers at once, whatever the limit says. */
    public record Settings(int concurrency, int maxConsecutiveFailures, Duration grace) {
        public Settings {
            if (concurrency < 1) {
                throw new IllegalArgumentException(
                        "concurrency must be at least 1, got " + concurrency);
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

    /**
     * @param limit the requests that may be in flight now, asked after each example (null: the
     *     concurrency)
     */
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

    public void run(
            Iterator<Example> examples,
            ExampleTask task,
            Consumer<TaskResult> sink,
            RunStats stats,
            RunMonitor monitor) {
        if (task instanceof AsyncExampleTask async) {
            new AsyncRun(examples, async, sink, stats).run(monitor);
            return;
        }
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

    private void work(
            Iterator<Example> examples,
            ExampleTask task,
            Consumer<TaskResult> sink,
            RunStats stats) {
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
            if (settings.maxConsecutiveFailures() > 0
                    && inARow >= settings.maxConsecutiveFailures()) {
                requestStop(
                        "the server failed "
                                + inARow
                                + " examples in a row ("
                                + result.record().error()
                                + ")");
            }
        } else {
            consecutiveServerFailures.set(0);
        }
    }

    /**
     * Waits until every worker has ended, updating the monitor, and interrupts them once the grace
     * is over.
     */
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
            if (!interruptedWorkers
                    && stoppedAt != 0
                    && System.nanoTime() - stoppedAt > settings.grace().toNanos()) {
                threads.forEach(Thread::interrupt);
                interruptedWorkers = true;
            }
            topUp(); // the limit may have grown while no example ended
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The threads of an asynchronous run: enough to keep two cores busy with the examples' own
     * work.
     */
    static int asyncThreads(int concurrency) {
        return Math.min(
                concurrency,
                Math.max(ASYNC_THREADS_MIN, 2 * Runtime.getRuntime().availableProcessors()));
    }

    /**
     * A run of an {@link AsyncExampleTask}: up to the limit's examples in flight, each a future,
     * and a few threads ({@link #asyncThreads}) that start examples (render the prompt, send) and
     * finish them (read the answer, write the record) as their answers come. Starting is bounded
     * here, by the same limit as the threads of the other design were; the limiter under the
     * backend still gives each request its permit. A stop ends the starting; after the grace, the
     * examples still in flight are cancelled (their exchanges aborted, their queued permits given
     * up) and nothing is recorded for them.
     */
    private final class AsyncRun {
        private final Iterator<Example> examples;
        private final AsyncExampleTask task;
        private final Consumer<TaskResult> sink;
        private final RunStats stats;
        private final ExecutorService pool;
        private final Set<CompletableFuture<TaskResult>> inFlight = ConcurrentHashMap.newKeySet();
        private final Object lock = new Object();
        private int running; // examples reserved, started or finishing (guarded by lock)
        private boolean drained;
        private volatile boolean cancelled;

        AsyncRun(
                Iterator<Example> examples,
                AsyncExampleTask task,
                Consumer<TaskResult> sink,
                RunStats stats) {
            this.examples = examples;
            this.task = task;
            this.sink = sink;
            this.stats = stats;
            AtomicInteger count = new AtomicInteger();
            this.pool =
                    Executors.newFixedThreadPool(
                            asyncThreads(settings.concurrency()),
                            runnable -> {
                                Thread thread =
                                        new Thread(
                                                runnable,
                                                "llmcls-example-" + count.incrementAndGet());
                                thread.setDaemon(true);
                                return thread;
                            });
        }

        void run(RunMonitor monitor) {
            try {
                start(reserve(0));
                await(monitor);
            } finally {
                pool.shutdown();
            }
            monitor.update(stats);
            if (fatal.get() != null) {
                throw fatal.get();
            }
        }

        /**
         * Counts in {@code ended} examples as ended, and reserves places for the examples the limit
         * lets start now.
         */
        private int reserve(int ended) {
            synchronized (lock) {
                running -= ended;
                int more = 0;
                if (!drained && stopReason.get() == null) {
                    more = Math.max(0, target() - running);
                }
                running += more;
                if (running == 0) {
                    lock.notifyAll(); // the run is over; otherwise the waiting thread looks at
                    // each tick
                }
                return more;
            }
        }

        private void start(int count) {
            for (int i = 0; i < count; i++) {
                pool.execute(this::startOne);
            }
        }

        @SuppressWarnings("FutureReturnValueIgnored") // dependants that only note an end
        private void startOne() {
            Example example = null;
            if (stopReason.get() == null && !cancelled) {
                synchronized (examples) {
                    if (examples.hasNext()) {
                        example = examples.next();
                    }
                }
            }
            if (example == null) {
                synchronized (lock) {
                    drained |= stopReason.get() == null;
                }
                start(reserve(1));
                return;
            }
            CompletableFuture<TaskResult> future;
            try {
                future = task.start(example, pool);
            } catch (RuntimeException e) {
                future = CompletableFuture.failedFuture(e);
            }
            inFlight.add(future);
            if (cancelled) {
                future.cancel(true);
            }
            CompletableFuture<TaskResult> started = future;
            future.whenComplete((result, failure) -> finish(started, result, failure));
        }

        @SuppressWarnings("CollectionUndefinedEquality") // a future is its own identity
        private void finish(
                CompletableFuture<TaskResult> future, TaskResult result, Throwable failure) {
            try {
                if (failure == null) {
                    sink.accept(result);
                    stats.add(result);
                    watchServerHealth(result);
                } else if (!future.isCancelled()) {
                    Throwable cause = Async.unwrap(failure);
                    RuntimeException error =
                            cause instanceof RuntimeException e
                                    ? e
                                    : new IllegalStateException(cause);
                    fatal.compareAndSet(null, error);
                    requestStop("an unexpected error: " + error.getMessage());
                }
            } catch (RuntimeException e) {
                fatal.compareAndSet(null, e);
                requestStop("an unexpected error: " + e.getMessage());
            } finally {
                inFlight.remove(future);
                start(reserve(1));
            }
        }

        /**
         * Waits until no example is in flight, updating the monitor; cancels those left once the
         * grace is over.
         */
        private void await(RunMonitor monitor) {
            boolean interrupted = false;
            while (true) {
                synchronized (lock) {
                    if (running == 0) {
                        break;
                    }
                    try {
                        lock.wait(TICK_MILLIS);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    cancelAll(); // as the other design: this thread stops waiting for them
                    break;
                }
                monitor.update(stats);
                long stoppedAt = stopRequestedNanos.get();
                if (!cancelled
                        && stoppedAt != 0
                        && System.nanoTime() - stoppedAt > settings.grace().toNanos()) {
                    cancelAll();
                }
                start(reserve(0)); // the limit may have grown while no example ended
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void cancelAll() {
            cancelled = true;
            for (CompletableFuture<TaskResult> future : inFlight) {
                future.cancel(true);
            }
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
