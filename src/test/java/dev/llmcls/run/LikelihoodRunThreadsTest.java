package dev.llmcls.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.label.LabelLikelihood;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.Sampling;
import dev.llmcls.llm.ServerException;
import dev.llmcls.llm.concurrency.LimitedBackend;
import dev.llmcls.llm.concurrency.Limiter;
import dev.llmcls.prompt.PromptTemplate;
import dev.llmcls.run.likelihood.LikelihoodTask;
import dev.llmcls.run.task.RetryPolicy;
import dev.llmcls.run.task.TaskResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --scoring likelihood} on the asynchronous path: an example's label requests are futures
 * under the server's limiter, so a thousand requests in flight take the runner's few threads, not
 * one per example and one per label request.
 */
@Timeout(120)
class LikelihoodRunThreadsTest {
    private static final LabelSet LABELS = new LabelSet(List.of("A", "B", "C", "D"));
    private static final int REQUESTS = 1024; // --concurrency 1024
    private static final int EXAMPLES = 2000;

    /** A server that holds every request until the test answers it. */
    private static final class HeldServer implements ChatBackend {
        final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final AtomicInteger sent = new AtomicInteger();
        final Map<String, Boolean> failedOnce = new ConcurrentHashMap<>();
        final CountDownLatch full = new CountDownLatch(REQUESTS);

        record Held(String prompt, ChatOptions options, CompletableFuture<Completion> answer) {}

        /** A thread that waits for its answer: what the thread-per-request design did. */
        @Override
        public Completion complete(String prompt, ChatOptions options) {
            try {
                return completeAsync(prompt, options, Runnable::run).join();
            } catch (java.util.concurrent.CompletionException e) {
                throw (RuntimeException) e.getCause();
            }
        }

        @Override
        public CompletableFuture<Completion> completeAsync(
                String prompt, ChatOptions options, Executor executor) {
            sent.incrementAndGet();
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            var answer = new CompletableFuture<Completion>();
            held.add(new Held(prompt, options, answer));
            full.countDown();
            return answer;
        }

        /**
         * Answers every request held now: the gold label (its index is the example's number mod 4)
         * gets the highest log-probability; label A's first request for every 100th example is
         * refused with a 503 once, and retried.
         */
        void answerAll() {
            Held next;
            while ((next = held.poll()) != null) {
                inFlight.decrementAndGet();
                int number =
                        Integer.parseInt(next.prompt().replaceAll("(?s).*text: (\\d+).*", "$1"));
                String label = next.options().assistantPrefix().substring("label: ".length());
                if (number % 100 == 0
                        && label.equals("A")
                        && failedOnce.putIfAbsent(next.prompt(), true) == null) {
                    next.answer()
                            .completeExceptionally(new ServerException(503, "busy", Duration.ZERO));
                    continue;
                }
                int index = LABELS.names().indexOf(label);
                double logprob = index == number % 4 ? -0.2 : -3.0;
                var prompt =
                        new ArrayList<Completion.PromptToken>(
                                List.of(
                                        new Completion.PromptToken(1, "label", -0.1, 1),
                                        new Completion.PromptToken(2, ":", -0.1, 1),
                                        new Completion.PromptToken(10 + index, label, logprob, 1)));
                prompt.add(0, null); // the first prompt token has no log-probability
                next.answer()
                        .complete(
                                new Completion(
                                        List.of(new Completion.Choice("x", "length")),
                                        5,
                                        1,
                                        prompt));
            }
        }
    }

    private static Iterator<Example> examples() {
        List<Example> list = new ArrayList<>();
        for (int i = 0; i < EXAMPLES; i++) {
            list.add(new Example(Integer.toString(i), Integer.toString(i), i % 4));
        }
        return list.iterator();
    }

    @Test
    void aThousandLabelRequestsInFlightTakeTheRunnersFewThreads() throws Exception {
        var server = new HeldServer();
        var task =
                new LikelihoodTask(
                        PromptTemplate.parse("text: {text}\n{labels}", "test", null),
                        LABELS,
                        new LimitedBackend(server, Limiter.fixed("test", REQUESTS)),
                        ChatOptions.of("m", new Sampling(0, 1, null, List.of())),
                        new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(1)),
                        List.of(),
                        "label: ",
                        LabelLikelihood.Normalisation.SUM);
        // What ClassifyJob's likelihood plan gives --concurrency 1024 with four labels.
        int examplesAtOnce = REQUESTS / LABELS.size();
        var runner =
                new ExampleRunner(
                        new ExampleRunner.Settings(examplesAtOnce, 0, Duration.ofSeconds(5)));
        var recorded = new ConcurrentLinkedQueue<TaskResult>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        Thread run =
                new Thread(
                        () ->
                                runner.run(
                                        examples(),
                                        task,
                                        recorded::add,
                                        new RunStats(EXAMPLES, 0),
                                        RunMonitor.NONE));
        run.start();
        assertTrue(server.full.await(60, TimeUnit.SECONDS), "1,024 label requests sent");
        Thread.sleep(200);
        assertEquals(REQUESTS, server.inFlight.get(), "the whole concurrency in flight");
        int most = threads.getThreadCount();
        while (run.isAlive()) {
            server.answerAll();
            most = Math.max(most, threads.getThreadCount());
            Thread.sleep(2);
        }
        // The run's own thread, the runner's pool, and the JDK's scheduler of delayed steps.
        int allowed = 1 + ExampleRunner.asyncThreads(examplesAtOnce) + 2;
        assertTrue(
                most - before <= allowed,
                "at most "
                        + allowed
                        + " more live threads with 1,024 requests in flight, saw "
                        + (most - before));
        assertEquals(REQUESTS, server.peak.get(), "never more than the limit in flight");

        assertEquals(EXAMPLES, recorded.size());
        for (TaskResult result : recorded) {
            var record = result.record();
            int number = Integer.parseInt(record.id());
            assertNull(record.error(), record.toString());
            assertEquals(LABELS.name(number % 4), record.label(), record.toString());
            assertEquals("label: " + LABELS.name(number % 4), record.output());
            int requests = number % 100 == 0 ? 5 : 4;
            assertEquals(requests, record.attempts(), "one retry for every 100th example");
            assertEquals(number % 100 == 0 ? 1 : 0, result.retries().size());
            assertEquals(5 * 4, record.promptTokens(), "the four answered requests' tokens");
        }
        assertEquals(EXAMPLES * 4 + EXAMPLES / 100, server.sent.get());
    }
}
