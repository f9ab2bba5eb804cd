package dev.llmcls.run.prompting;

import dev.llmcls.core.InputException;
import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.label.AnswerParser;
import dev.llmcls.label.Constraint;
import dev.llmcls.llm.Async;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.FailureKind;
import dev.llmcls.llm.Failures;
import dev.llmcls.prompt.PromptTemplate;
import dev.llmcls.run.task.AsyncExampleTask;
import dev.llmcls.run.task.RetryPolicy;
import dev.llmcls.run.task.TaskResult;
import dev.llmcls.runfile.RunRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Classifies an example by rendering the prompt, asking the server (with retries) and recording its
 * answer; the run's {@link PromptMethod}s shape each step. With none, the record holds exactly the
 * seed's fields.
 */
public final class PromptTask implements AsyncExampleTask {
    private static final int MAX_ERROR_LENGTH = 1000;

    /**
     * HTTP 500s for one example, with other answers in between, after which it is recorded as its
     * own error.
     */
    static final int EXAMPLE_ERROR_AFTER = 3;

    /**
     * Answers received by every worker so far: a repeating 500 while this grows is the example's,
     * not the server's.
     */
    private final java.util.concurrent.atomic.AtomicLong answers =
            new java.util.concurrent.atomic.AtomicLong();

    private final PromptTemplate template;
    private final LabelSet labels;
    private final String labelList;
    private final ChatBackend backend;
    private final ChatOptions options;
    private final RetryPolicy retryPolicy;
    private final List<PromptMethod> methods;
    private final AnswerParser parser;

    /**
     * @param options the model and its sampling; each method adds its parameters and may wrap
     *     {@code backend}
     */
    public PromptTask(
            PromptTemplate template,
            LabelSet labels,
            ChatBackend backend,
            ChatOptions options,
            RetryPolicy retryPolicy,
            List<PromptMethod> methods) {
        this.template = template;
        this.labels = labels;
        this.labelList = PromptTemplate.bulletList(labels.names());
        this.retryPolicy = retryPolicy;
        this.methods = List.copyOf(methods);
        for (PromptMethod method : this.methods) {
            backend = method.backend(backend);
            options = method.options(options);
        }
        this.backend = backend;
        this.options = options;
        Constraint constraint =
                this.methods.stream()
                        .map(PromptMethod::constraint)
                        .filter(Objects::nonNull)
                        .findFirst()
                        .orElse(Constraint.NONE);
        this.parser = new AnswerParser(labels.names(), constraint);
    }

    public String render(Example example) throws InterruptedException {
        return render(template, labelList, methods, example);
    }

    /**
     * The one place a prompt's template values are built: the example's text and other fields, the
     * label list, no demonstrations unless a method fills {@code {examples}}, then each method's
     * own values. {@code run.likelihood.LikelihoodTask} renders with it.
     */
    public static String render(
            PromptTemplate template, String labelList, List<PromptMethod> methods, Example example)
            throws InterruptedException {
        Map<String, String> values = new HashMap<>(4 + example.fields().size());
        values.putAll(
                example.fields()); // the other dataset fields the template uses ({hypothesis}, ...)
        values.put("text", example.text());
        values.put("labels", labelList);
        values.put("examples", "");
        for (PromptMethod method : methods) {
            values.putAll(method.templateValues(example));
        }
        return template.render(values);
    }

    @Override
    public TaskResult process(Example example) throws InterruptedException {
        String prompt = render(example);
        String gold = goldName(labels, example);
        List<FailureKind> retries = new ArrayList<>();
        long answersAtFirst500 = -1;
        int repeated500s = 0;
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            try {
                Completion answer = backend.complete(prompt, options);
                answers.incrementAndGet();
                long latencyMs = (System.nanoTime() - started) / 1_000_000;
                return new TaskResult(answered(example, answer, latencyMs, attempt), null, retries);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException(
                            "stopped while waiting for an answer to example " + example.id());
                }
                if (e instanceof InputException) {
                    throw e; // e.g. the server does not serve the model: every request would fail
                    // alike
                }
                FailureKind kind = FailureKind.of(e);
                if (Failures.httpStatus(e) == 500) {
                    // A 500 for this example a third time while other requests got answers is this
                    // example's.
                    repeated500s++;
                    if (answersAtFirst500 < 0) {
                        answersAtFirst500 = answers.get();
                    } else if (repeated500s >= EXAMPLE_ERROR_AFTER
                            && answers.get() > answersAtFirst500) {
                        kind = FailureKind.EXAMPLE_ERROR;
                    }
                }
                if (!kind.retryable() || attempt >= retryPolicy.maxAttempts()) {
                    long latencyMs = (System.nanoTime() - started) / 1_000_000;
                    var record =
                            new RunRecord(
                                    example.id(),
                                    example.text(),
                                    gold,
                                    null,
                                    null,
                                    null,
                                    null,
                                    latencyMs,
                                    errorMessage(kind, e),
                                    attempt);
                    return new TaskResult(withGold(record, labels, example), kind, retries);
                }
                retries.add(kind);
                Thread.sleep(retryPolicy.delayAfter(attempt, e).toMillis());
            }
        }
    }

    /**
     * As {@link #process}, with no thread waiting: the prompt is rendered on the calling thread,
     * then each attempt is sent with {@link ChatBackend#completeAsync}, and a retry waits for its
     * pause as a scheduled step, not a sleep. The records and the retry decisions are exactly
     * {@link #process}'s.
     */
    @Override
    public CompletableFuture<TaskResult> start(Example example, Executor executor) {
        String prompt;
        try {
            prompt = render(example);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            var stopped = new CompletableFuture<TaskResult>();
            stopped.cancel(false);
            return stopped;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return attempt(example, prompt, 1, new Attempts(), executor);
    }

    /** What the attempts at one example have seen so far. */
    private static final class Attempts {
        final List<FailureKind> retries = new ArrayList<>();
        long answersAtFirst500 = -1;
        int repeated500s;
    }

    private CompletableFuture<TaskResult> attempt(
            Example example, String prompt, int attempt, Attempts seen, Executor executor) {
        long started = System.nanoTime();
        CompletableFuture<Completion> sent =
                Async.start(() -> backend.completeAsync(prompt, options, executor));
        return Async.compose(
                sent,
                (answer, failure) -> {
                    if (failure == null) {
                        answers.incrementAndGet();
                        long latencyMs = (System.nanoTime() - started) / 1_000_000;
                        return CompletableFuture.completedFuture(
                                new TaskResult(
                                        answered(example, answer, latencyMs, attempt),
                                        null,
                                        seen.retries));
                    }
                    if (!(failure instanceof RuntimeException e)
                            || failure instanceof InputException) {
                        return CompletableFuture.failedFuture(
                                failure); // e.g. the server does not serve the model
                    }
                    FailureKind kind = FailureKind.of(e);
                    if (Failures.httpStatus(e) == 500) {
                        // A 500 for this example a third time while other requests got answers is
                        // this example's.
                        seen.repeated500s++;
                        if (seen.answersAtFirst500 < 0) {
                            seen.answersAtFirst500 = answers.get();
                        } else if (seen.repeated500s >= EXAMPLE_ERROR_AFTER
                                && answers.get() > seen.answersAtFirst500) {
                            kind = FailureKind.EXAMPLE_ERROR;
                        }
                    }
                    if (!kind.retryable() || attempt >= retryPolicy.maxAttempts()) {
                        long latencyMs = (System.nanoTime() - started) / 1_000_000;
                        var record =
                                new RunRecord(
                                        example.id(),
                                        example.text(),
                                        goldName(labels, example),
                                        null,
                                        null,
                                        null,
                                        null,
                                        latencyMs,
                                        errorMessage(kind, e),
                                        attempt);
                        return CompletableFuture.completedFuture(
                                new TaskResult(
                                        withGold(record, labels, example), kind, seen.retries));
                    }
                    seen.retries.add(kind);
                    return Async.then(
                            Async.delay(retryPolicy.delayAfter(attempt, e), executor),
                            paused -> attempt(example, prompt, attempt + 1, seen, executor),
                            executor);
                },
                executor);
    }

    /** The record of an answered example: here, and for an answer from a batch result file. */
    public RunRecord answered(Example example, Completion answer, long latencyMs, int attempts) {
        RunRecord record =
                withGold(
                                new RunRecord(
                                        example.id(),
                                        example.text(),
                                        goldName(labels, example),
                                        answer.text(),
                                        answer.finishReason(),
                                        answer.promptTokens(),
                                        answer.completionTokens(),
                                        latencyMs,
                                        null,
                                        attempts),
                                labels,
                                example)
                        .withAnswerNotes(false, answer.choices().get(0).reasoning());
        for (PromptMethod method : methods) {
            record = method.decide(record, answer, parser);
        }
        return answer.from() == null ? record : record.withCachedFrom(answer.from());
    }

    /**
     * The record of an example that got no answer, {@code error} saying why (a failed batch
     * result).
     */
    public RunRecord failed(Example example, String error, long latencyMs, int attempts) {
        String message =
                error.length() > MAX_ERROR_LENGTH
                        ? error.substring(0, MAX_ERROR_LENGTH) + "..."
                        : error;
        return withGold(
                new RunRecord(
                        example.id(),
                        example.text(),
                        goldName(labels, example),
                        null,
                        null,
                        null,
                        null,
                        latencyMs,
                        message,
                        attempts),
                labels,
                example);
    }

    /**
     * The record's {@code gold}: the example's gold label name; null for a multi-label example
     * ({@link #withGold}).
     */
    public static String goldName(LabelSet labels, Example example) {
        return example.multiLabel() ? null : labels.name(example.gold());
    }

    /**
     * The record of a multi-label example with its gold label names; a single-label one as it is.
     */
    public static RunRecord withGold(RunRecord record, LabelSet labels, Example example) {
        return example.multiLabel() ? record.withGoldLabels(example.goldNames(labels)) : record;
    }

    /**
     * What each request sends besides the prompt: the model, its sampling and every method's
     * parameters.
     */
    public ChatOptions options() {
        return options;
    }

    public static String errorMessage(FailureKind kind, Throwable e) {
        String message = Failures.describe(e).strip();
        if (message.length() > MAX_ERROR_LENGTH) {
            message = message.substring(0, MAX_ERROR_LENGTH) + "...";
        }
        return kind.label() + ": " + message;
    }
}
