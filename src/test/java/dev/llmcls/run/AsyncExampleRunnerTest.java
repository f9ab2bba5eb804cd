package dev.llmcls.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.data.Example;
import dev.llmcls.run.task.AsyncExampleTask;
import dev.llmcls.run.task.TaskResult;
import dev.llmcls.runfile.RunRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runner's asynchronous design: examples in flight are futures, not threads. */
@Timeout(60)
class AsyncExampleRunnerTest {
    /** Starts examples and leaves their futures for the test to complete (or never). */
    private static final class HeldTask implements AsyncExampleTask {
        final ConcurrentLinkedQueue<CompletableFuture<TaskResult>> held =
                new ConcurrentLinkedQueue<>();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final CountDownLatch reached;

        HeldTask(int reach) {
            reached = new CountDownLatch(reach);
        }

        @Override
        public TaskResult process(Example example) {
            throw new AssertionError("the runner takes the asynchronous path");
        }

        @Override
        public CompletableFuture<TaskResult> start(Example example, Executor executor) {
            threads.add(Thread.currentThread());
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            var future = new CompletableFuture<TaskResult>();
            futuresByExample.put(future, example);
            held.add(future);
            reached.countDown();
            return future;
        }

        final java.util.Map<CompletableFuture<TaskResult>, Example> futuresByExample =
                new ConcurrentHashMap<>();

        void answerAll() {
            CompletableFuture<TaskResult> next;
            while ((next = held.poll()) != null) {
                Example example = futuresByExample.get(next);
                inFlight.decrementAndGet(); // before the answer: the runner may start the next one
                // at once
                next.complete(
                        new TaskResult(
                                new RunRecord(
                                        example.id(),
                                        example.text(),
                                        "A",
                                        "A",
                                        "stop",
                                        1,
                                        1,
                                        1,
                                        null,
                                        1),
                                null,
                                List.of()));
            }
        }
    }

    private static Iterator<Example> examples(int n) {
        List<Example> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Example(Integer.toString(i), "text " + i, 0));
        }
        return list.iterator();
    }

    @Test
    void aThousandExamplesInFlightTakeAFewThreads() throws Exception {
        int concurrency = 1024;
        var task = new HeldTask(concurrency);
        var runner =
                new ExampleRunner(
                        new ExampleRunner.Settings(concurrency, 0, Duration.ofSeconds(5)));
        var recorded = new ConcurrentLinkedQueue<TaskResult>();
        var stats = new RunStats(3000, 0);
        Thread run =
                new Thread(
                        () ->
                                runner.run(
                                        examples(3000),
                                        task,
                                        recorded::add,
                                        stats,
                                        RunMonitor.NONE));
        run.start();
        assertTrue(task.reached.await(20, TimeUnit.SECONDS), "1,024 examples started");
        Thread.sleep(200);
        assertEquals(
                concurrency, task.inFlight.get(), "exactly the concurrency in flight, no more");
        while (run.isAlive()) {
            task.answerAll();
            Thread.sleep(5);
        }
        assertEquals(3000, recorded.size());
        assertEquals(concurrency, task.peak.get());
        assertTrue(
                task.threads.size() <= ExampleRunner.asyncThreads(concurrency),
                task.threads.size() + " threads started examples");
    }

    @Test
    void aStopCancelsTheExamplesStillInFlightAfterTheGraceAndRecordsNone() throws Exception {
        var task = new HeldTask(8);
        var runner = new ExampleRunner(new ExampleRunner.Settings(8, 0, Duration.ofMillis(300)));
        var recorded = new ConcurrentLinkedQueue<TaskResult>();
        Thread run =
                new Thread(
                        () ->
                                runner.run(
                                        examples(100),
                                        task,
                                        recorded::add,
                                        new RunStats(100, 0),
                                        RunMonitor.NONE));
        run.start();
        assertTrue(task.reached.await(20, TimeUnit.SECONDS));
        runner.requestStop("test");
        run.join(20_000);
        assertTrue(!run.isAlive(), "the run ends after the grace");
        assertEquals(0, recorded.size(), "examples cancelled in flight are not recorded");
        assertTrue(
                task.futuresByExample.keySet().stream().allMatch(CompletableFuture::isCancelled));
        assertEquals(8, task.futuresByExample.size(), "no example started after the stop");
        assertEquals("test", runner.stopReason());
    }
}
