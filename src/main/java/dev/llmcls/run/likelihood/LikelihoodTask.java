package dev.llmcls.run.likelihood;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.label.LabelDistribution;
import dev.llmcls.label.LabelLikelihood;
import dev.llmcls.llm.Async;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.FailureKind;
import dev.llmcls.prompt.PromptTemplate;
import dev.llmcls.run.prompting.PromptMethod;
import dev.llmcls.run.prompting.PromptTask;
import dev.llmcls.run.task.AsyncExampleTask;
import dev.llmcls.run.task.RetryPolicy;
import dev.llmcls.run.task.TaskResult;
import dev.llmcls.runfile.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scores an example by likelihood: one chat request per label, each with the assistant's answer
 * already written up to and including that label ({@code answerPrefix + label}, vLLM's {@code
 * continue_final_message: true}, {@code add_generation_prompt: false}, {@code prompt_logprobs},
 * {@code max_tokens: 1}). The label requests of an example are sent together. Each label's
 * log-likelihood is the sum of its own tokens' log-probabilities ({@link LabelLikelihood}); the
 * record gets the softmax over the labels ({@code label_probs}), the arg-max ({@code label}), the
 * sums and token counts, and the honest cost: every request's tokens and the number of requests.
 * The requests go asynchronously ({@link #start}), so an example in flight costs no thread.
 */
public final class LikelihoodTask implements AsyncExampleTask {
    /**
     * Asked for by every label request: the prompt token's own log-probability comes with one
     * alternative.
     */
    static final int PROMPT_LOGPROBS = 1;

    private final PromptTemplate template;
    private final LabelSet labels;
    private final String labelList;
    private final ChatBackend backend;
    private final List<ChatOptions> perLabel;
    private final RetryPolicy retryPolicy;
    private final List<PromptMethod> methods;
    private final String answerPrefix;
    private final LabelLikelihood.Normalisation normalisation;

    /**
     * The steps (an answer read, a retry sent) of the callers that wait ({@link #process}, {@link
     * #scoreText}); a run's examples take the runner's executor instead.
     */
    private final ExecutorService steps;

    /**
     * @param methods the run's other prompt methods, which fill template placeholders
     *     (demonstrations)
     */
    public LikelihoodTask(
            PromptTemplate template,
            LabelSet labels,
            ChatBackend backend,
            ChatOptions base,
            RetryPolicy retryPolicy,
            List<PromptMethod> methods,
            String answerPrefix,
            LabelLikelihood.Normalisation normalisation) {
        this.template = template;
        this.labels = labels;
        this.labelList = PromptTemplate.bulletList(labels.names());
        this.backend = backend;
        this.retryPolicy = retryPolicy;
        this.methods = List.copyOf(methods);
        this.answerPrefix = answerPrefix;
        this.normalisation = normalisation;
        var options = new ArrayList<ChatOptions>();
        for (String label : labels.names()) {
            options.add(labelOptions(base, answerPrefix + label));
        }
        this.perLabel = List.copyOf(options);
        this.steps =
                Executors.newCachedThreadPool(
                        runnable -> {
                            Thread thread = new Thread(runnable, "llmcls-likelihood");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /**
     * The request of one label: the answer up to the label, continued, with the prompt's
     * log-probabilities.
     */
    static ChatOptions labelOptions(ChatOptions base, String answer) {
        var extra = new LinkedHashMap<String, Object>(base.extraParameters());
        extra.put("continue_final_message", true);
        extra.put("add_generation_prompt", false);
        extra.put("prompt_logprobs", PROMPT_LOGPROBS);
        var sampling =
                new dev.llmcls.llm.Sampling(
                        0, 1, base.sampling().seed(), base.sampling().stopTokenIds());
        return new ChatOptions(base.model(), sampling, 1, extra, answer, null, base.memory());
    }

    public String render(Example example) throws InterruptedException {
        return PromptTask.render(template, labelList, methods, example);
    }

    /** One label request's outcome: the answer, or the failure that ended its attempts. */
    private record Sent(
            Completion answer, RuntimeException failure, int requests, List<FailureKind> retries) {}

    /** What scoring one prompt gave: the distribution and what it cost. */
    public record Scored(
            double[] probabilities,
            LabelLikelihood.Scores scores,
            long promptTokens,
            long completionTokens,
            int requests) {}

    /**
     * Waits on this thread for {@link #start}'s result (the path of a task wrapped by one that is
     * not asynchronous, {@code --truncate}): the same requests, retries and record.
     */
    @Override
    public TaskResult process(Example example) throws InterruptedException {
        return await(start(example, steps));
    }

    /**
     * Sends every label's request of {@code example} at once, each through {@link
     * ChatBackend#completeAsync} (so under the server's limiter) with its own retries, whose pauses
     * are scheduled steps, not sleeps; no thread waits for the answers. The future completes with
     * the example's record once every label has its answer or its final failure; cancelling it
     * cancels the label requests still in flight.
     */
    @Override
    public CompletableFuture<TaskResult> start(Example example, Executor executor) {
        long started = System.nanoTime();
        String gold;
        String prompt;
        try {
            gold = PromptTask.goldName(labels, example);
            prompt = render(example);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            var stopped = new CompletableFuture<TaskResult>();
            stopped.cancel(false);
            return stopped;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return Async.then(
                sendAll(prompt, executor),
                sent ->
                        CompletableFuture.completedFuture(
                                result(
                                        example,
                                        gold,
                                        sent,
                                        (System.nanoTime() - started) / 1_000_000)),
                executor);
    }

    private TaskResult result(Example example, String gold, List<Sent> sent, long latencyMs) {
        int requests = 0;
        long promptTokens = 0;
        long completionTokens = 0;
        var retries = new ArrayList<FailureKind>();
        RuntimeException failure = null;
        for (Sent s : sent) {
            requests += s.requests();
            retries.addAll(s.retries());
            if (s.failure() != null && failure == null) {
                failure = s.failure();
            }
            if (s.answer() != null) {
                promptTokens += orZero(s.answer().promptTokens());
                completionTokens += orZero(s.answer().completionTokens());
            }
        }
        var probabilities =
                new RunRecord.Probabilities("likelihood", null, null, null, null, null, requests);
        if (failure == null) {
            try {
                Scored scored =
                        score(
                                sent.stream().map(Sent::answer).toList(),
                                promptTokens,
                                completionTokens,
                                requests);
                String label = labels.name(LabelDistribution.argmax(scored.probabilities()));
                var record =
                        new RunRecord(
                                        example.id(),
                                        example.text(),
                                        gold,
                                        answerPrefix + label,
                                        "likelihood",
                                        (int) promptTokens,
                                        (int) completionTokens,
                                        latencyMs,
                                        null,
                                        requests)
                                .withDecision(label, null, null, null)
                                .withProbabilities(probabilitiesOf(scored));
                // from the answer store only when no label's request was sent
                boolean kept = sent.stream().allMatch(s -> s.answer().from() != null);
                record = kept ? record.withCachedFrom(sent.get(0).answer().from()) : record;
                if (example.multiLabel()) {
                    record =
                            PromptTask.withGold(record, labels, example)
                                    .withLabels(aboveUniform(scored.probabilities()));
                }
                return new TaskResult(record, null, retries);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        FailureKind kind = FailureKind.of(failure);
        var record =
                new RunRecord(
                                example.id(),
                                example.text(),
                                gold,
                                null,
                                null,
                                promptTokens == 0 ? null : (int) promptTokens,
                                completionTokens == 0 ? null : (int) completionTokens,
                                latencyMs,
                                PromptTask.errorMessage(kind, failure),
                                requests)
                        .withProbabilities(probabilities);
        return new TaskResult(PromptTask.withGold(record, labels, example), kind, retries);
    }

    /**
     * A multi-label example's set from its label distribution: the labels more likely than an even
     * share (at least 1/k of the probability). {@code evaluate}'s threshold sweep shows which
     * threshold each label would rather have.
     */
    private List<String> aboveUniform(double[] probabilities) {
        var names = new ArrayList<String>();
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i] >= 1.0 / probabilities.length) {
                names.add(labels.name(i));
            }
        }
        return names;
    }

    private RunRecord.Probabilities probabilitiesOf(Scored scored) {
        var sums = new LinkedHashMap<String, Double>();
        var tokens = new LinkedHashMap<String, Integer>();
        for (int i = 0; i < labels.size(); i++) {
            sums.put(labels.name(i), scored.scores().sums()[i]);
            tokens.put(labels.name(i), scored.scores().tokens()[i]);
        }
        return new RunRecord.Probabilities(
                "likelihood",
                LabelDistribution.byName(labels.names(), scored.probabilities()),
                sums,
                tokens,
                null,
                null,
                scored.requests());
    }

    /**
     * Scores a text that is no example (a content-free input for contextual calibration): the label
     * distribution and what it cost; fails with the first request's failure.
     */
    public Scored scoreText(String text) throws InterruptedException {
        var example = new Example("content-free", text, 0);
        List<Sent> sent = await(sendAll(render(example), steps));
        int requests = 0;
        long promptTokens = 0;
        long completionTokens = 0;
        for (Sent s : sent) {
            if (s.failure() != null) {
                throw s.failure();
            }
            requests += s.requests();
            promptTokens += orZero(s.answer().promptTokens());
            completionTokens += orZero(s.answer().completionTokens());
        }
        return score(
                sent.stream().map(Sent::answer).toList(), promptTokens, completionTokens, requests);
    }

    private Scored score(
            List<Completion> answers, long promptTokens, long completionTokens, int requests) {
        var ids = new ArrayList<long[]>();
        var logprobs = new ArrayList<double[]>();
        for (int i = 0; i < answers.size(); i++) {
            List<Completion.PromptToken> prompt = answers.get(i).promptLogprobs();
            if (prompt == null || prompt.isEmpty()) {
                throw new IllegalStateException(
                        "the server returned no prompt_logprobs for label '"
                                + labels.name(i)
                                + "'; likelihood scoring needs them (vLLM returns them)");
            }
            long[] tokenIds = new long[prompt.size()];
            double[] values = new double[prompt.size()];
            for (int p = 0; p < prompt.size(); p++) {
                Completion.PromptToken token = prompt.get(p);
                tokenIds[p] = token == null ? -1 : token.id();
                values[p] = token == null ? 0 : token.logprob();
            }
            ids.add(tokenIds);
            logprobs.add(values);
        }
        LabelLikelihood.Scores scores = LabelLikelihood.of(ids, logprobs, labels.names());
        return new Scored(
                LabelDistribution.softmax(scores.scores(normalisation)),
                scores,
                promptTokens,
                completionTokens,
                requests);
    }

    /**
     * Sends every label's request at once, each with its own retries: the future completes with
     * their outcomes in label order, or fails as soon as one fails with something that is no
     * request's failure (and the others are cancelled); cancelling it cancels them all.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // dependants that only note an end
    private CompletableFuture<List<Sent>> sendAll(String prompt, Executor executor) {
        var futures = new ArrayList<CompletableFuture<Sent>>(perLabel.size());
        for (ChatOptions options : perLabel) {
            futures.add(send(prompt, options, 1, new ArrayList<>(), executor));
        }
        var all = new CompletableFuture<List<Sent>>();
        var left = new AtomicInteger(futures.size());
        for (CompletableFuture<Sent> future : futures) {
            future.whenComplete(
                    (sent, failure) -> {
                        if (failure != null) {
                            all.completeExceptionally(Async.unwrap(failure));
                        } else if (left.decrementAndGet() == 0) {
                            all.complete(futures.stream().map(CompletableFuture::join).toList());
                        }
                    });
        }
        all.whenComplete(
                (sent, failure) -> {
                    if (failure != null) {
                        futures.forEach(future -> future.cancel(true));
                    }
                });
        return all;
    }

    /**
     * One label's request from its {@code attempt}: its answer, or the failure that ended its
     * attempts (a retryable one after {@link RetryPolicy#maxAttempts}), each retry after its pause.
     */
    private CompletableFuture<Sent> send(
            String prompt,
            ChatOptions options,
            int attempt,
            List<FailureKind> retries,
            Executor executor) {
        return Async.compose(
                Async.start(() -> backend.completeAsync(prompt, options, executor)),
                (answer, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(
                                new Sent(answer, null, attempt, retries));
                    }
                    if (!(failure instanceof RuntimeException e)) {
                        return CompletableFuture.failedFuture(failure);
                    }
                    FailureKind kind = FailureKind.of(e);
                    if (!kind.retryable() || attempt >= retryPolicy.maxAttempts()) {
                        return CompletableFuture.completedFuture(
                                new Sent(null, e, attempt, retries));
                    }
                    retries.add(kind);
                    return Async.then(
                            Async.delay(retryPolicy.delayAfter(attempt, e), executor),
                            paused -> send(prompt, options, attempt + 1, retries, executor),
                            executor);
                },
                executor);
    }

    /**
     * Waits for {@code future}; an interrupt cancels it (and its requests). Its failure is thrown
     * as it is (one that is not unchecked inside an {@link IllegalStateException}).
     */
    private static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw new InterruptedException("stopped while waiting for the label requests");
        } catch (CancellationException e) {
            throw new InterruptedException("stopped while waiting for the label requests");
        } catch (ExecutionException e) {
            Throwable cause = Async.unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static long orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
