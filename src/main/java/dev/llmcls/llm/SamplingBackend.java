package dev.llmcls.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gets {@code options.n()} sampled answers for a prompt: asks once with {@code n}, and when a
 * server ignores {@code n} (Ollama, some proxies) and returns fewer choices, asks again for the
 * rest, summing the token usage. When a server refuses an {@code n} that large (llama-server allows
 * at most its slot count: 400 "Field 'n': Value must be between 1 <= value <= 4"), it asks for at
 * most what the server allows from then on (the limit it names, else half), down to single
 * requests, and says so once.
 */
public final class SamplingBackend implements ChatBackend {
    /**
     * A 400 about the {@code n} field: llama.cpp "Field 'n'", OpenAI "Invalid 'n'", others "n must
     * be ...".
     */
    private static final Pattern ABOUT_N =
            Pattern.compile("(?i)(['\"`]n['\"`]|\\bn must\\b|\\bn should\\b)");

    private static final Pattern UPPER_LIMIT = Pattern.compile("<=\\s*(?:value\\s*<=\\s*)?(\\d+)");

    private final ChatBackend delegate;
    private final Consumer<String> log;
    private final AtomicInteger limit = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicBoolean said = new AtomicBoolean();

    public SamplingBackend(ChatBackend delegate) {
        this(delegate, message -> {});
    }

    public SamplingBackend(ChatBackend delegate, Consumer<String> log) {
        this.delegate = delegate;
        this.log = log;
    }

    @Override
    public Completion complete(String prompt, ChatOptions options) {
        int wanted = options.n();
        List<Completion.Choice> choices = new ArrayList<>(wanted);
        Integer promptTokens = null;
        Integer completionTokens = null;
        String from = null;
        boolean allKept = true;
        while (choices.size() < wanted) {
            int ask = Math.min(wanted - choices.size(), limit.get());
            Completion answer;
            try {
                answer = delegate.complete(prompt, options.withN(ask));
            } catch (ServerException e) {
                if (ask > 1 && lowerLimit(e, ask)) {
                    continue;
                }
                throw e;
            }
            int missing = wanted - choices.size();
            choices.addAll(answer.choices().subList(0, Math.min(missing, answer.choices().size())));
            promptTokens = sum(promptTokens, answer.promptTokens());
            completionTokens = sum(completionTokens, answer.completionTokens());
            allKept &= answer.from() != null;
            from = from != null ? from : answer.from();
        }
        // kept only when no part of it was sent
        return new Completion(choices, promptTokens, completionTokens, null, allKept ? from : null);
    }

    /**
     * As {@link #complete}, each further request sent when the answer before it has come, with no
     * thread waiting.
     */
    @Override
    public CompletableFuture<Completion> completeAsync(
            String prompt, ChatOptions options, Executor executor) {
        return gather(prompt, options, executor, new Gathered(options.n()));
    }

    /** The answers gathered so far for one {@link #completeAsync}. */
    private static final class Gathered {
        final int wanted;
        final List<Completion.Choice> choices;
        Integer promptTokens;
        Integer completionTokens;
        String from;
        boolean allKept = true;

        Gathered(int wanted) {
            this.wanted = wanted;
            this.choices = new ArrayList<>(wanted);
        }

        void add(Completion answer) {
            int missing = wanted - choices.size();
            choices.addAll(answer.choices().subList(0, Math.min(missing, answer.choices().size())));
            promptTokens = sum(promptTokens, answer.promptTokens());
            completionTokens = sum(completionTokens, answer.completionTokens());
            allKept &= answer.from() != null;
            from = from != null ? from : answer.from();
        }

        Completion completion() {
            return new Completion(
                    choices, promptTokens, completionTokens, null, allKept ? from : null);
        }
    }

    private CompletableFuture<Completion> gather(
            String prompt, ChatOptions options, Executor executor, Gathered gathered) {
        if (gathered.choices.size() >= gathered.wanted) {
            return CompletableFuture.completedFuture(gathered.completion());
        }
        int ask = Math.min(gathered.wanted - gathered.choices.size(), limit.get());
        CompletableFuture<Completion> sent =
                Async.start(() -> delegate.completeAsync(prompt, options.withN(ask), executor));
        return Async.compose(
                sent,
                (answer, failure) -> {
                    if (failure != null) {
                        if (ask > 1 && failure instanceof ServerException e && lowerLimit(e, ask)) {
                            return gather(prompt, options, executor, gathered);
                        }
                        return CompletableFuture.failedFuture(failure);
                    }
                    gathered.add(answer);
                    return gather(prompt, options, executor, gathered);
                },
                executor);
    }

    /**
     * Lowers the limit when {@code e} refuses {@code n = asked}; false when it is about something
     * else.
     */
    private boolean lowerLimit(ServerException e, int asked) {
        String message = String.valueOf(e.getMessage());
        if ((e.statusCode() != 400 && e.statusCode() != 422) || !ABOUT_N.matcher(message).find()) {
            return false;
        }
        int allowed = asked / 2;
        Matcher named = UPPER_LIMIT.matcher(message);
        if (named.find()) {
            int max = Integer.parseInt(named.group(1));
            allowed = max >= 1 && max < asked ? max : allowed;
        }
        int next = Math.max(1, allowed);
        limit.accumulateAndGet(next, Math::min);
        if (said.compareAndSet(false, true)) {
            log.accept(
                    "note: the server refuses n = "
                            + asked
                            + " answers per request ("
                            + Failures.describe(e)
                            + "); asking for at most "
                            + limit.get()
                            + " per request and repeating requests for the rest");
        }
        return true;
    }

    private static Integer sum(Integer a, Integer b) {
        return a == null ? b : b == null ? a : Integer.valueOf(a + b);
    }
}
