package dev.llmcls.run;

import dev.llmcls.llm.FailureKind;
import dev.llmcls.run.task.TaskResult;
import dev.llmcls.runfile.RunRecord;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters of a run, updated by the workers and read by progress reporting and the final
 * summary.
 */
public final class RunStats {
    private final long startedNanos = System.nanoTime();
    private final long total;
    private final long skipped;
    private final boolean served;
    private final AtomicLong emptyAnswers = new AtomicLong();
    private final AtomicLong emptyAtLength = new AtomicLong();
    private final AtomicLong constrained = new AtomicLong();
    private final AtomicLong constraintBroken = new AtomicLong();
    private final AtomicLong firstTokenReadings = new AtomicLong();
    private final AtomicLong withUnlistedLabels = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong completionTokens = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong fromStore = new AtomicLong();
    private final Map<FailureKind, AtomicLong> failures = counters();
    private final Map<FailureKind, AtomicLong> retries = counters();

    /**
     * @param total the examples this run has to process (already excluding the skipped ones)
     */
    public RunStats(long total, long skipped) {
        this(total, skipped, true);
    }

    /**
     * @param served whether a server answers (false for the embedded modes: no requests, no tokens)
     */
    public RunStats(long total, long skipped, boolean served) {
        this.total = total;
        this.skipped = skipped;
        this.served = served;
    }

    /** Whether the examples go to a server, so that requests and tokens mean something. */
    public boolean served() {
        return served;
    }

    public void add(TaskResult result) {
        RunRecord record = result.record();
        if (result.failure() == null) {
            succeeded.incrementAndGet();
            if (record.emptyAnswer()) {
                emptyAnswers.incrementAndGet();
                if ("length".equals(record.finishReason())) {
                    emptyAtLength.incrementAndGet();
                }
            }
            if (record.constraint() != null) {
                constrained.incrementAndGet();
                if (record.constraintBroken()) {
                    constraintBroken.incrementAndGet();
                }
            }
        } else {
            failed.incrementAndGet();
            failures.get(result.failure()).incrementAndGet();
        }
        if (record.promptTokens() != null) {
            promptTokens.addAndGet(record.promptTokens());
        }
        if (record.completionTokens() != null) {
            completionTokens.addAndGet(record.completionTokens());
        }
        RunRecord.Probabilities probabilities = record.probabilities();
        if (probabilities != null && probabilities.labelsUnlisted() != null) {
            firstTokenReadings.incrementAndGet();
            if (probabilities.labelsUnlisted() > 0) {
                withUnlistedLabels.incrementAndGet();
            }
        }
        if (record.cachedFrom() != null) {
            fromStore.incrementAndGet(); // answered from the answer store: nothing was sent
        } else {
            requests.addAndGet(
                    probabilities != null && probabilities.requests() != null
                            ? probabilities.requests()
                            : Math.max(1, record.attempts()));
        }
        for (FailureKind kind : result.retries()) {
            retries.get(kind).incrementAndGet();
        }
    }

    public long total() {
        return total;
    }

    public long skipped() {
        return skipped;
    }

    public long done() {
        return succeeded.get() + failed.get();
    }

    public long succeeded() {
        return succeeded.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Answers whose content was empty (a reasoning model that spent its budget reasoning, say). */
    public long emptyAnswers() {
        return emptyAnswers.get();
    }

    /** Of the empty answers, those that stopped at the token limit. */
    public long emptyAnswersAtLength() {
        return emptyAtLength.get();
    }

    /** Answers given under a constraint ({@code --constrain}). */
    public long constrainedAnswers() {
        return constrained.get();
    }

    /** Of the constrained answers, those that do not keep the constraint. */
    public long constraintBroken() {
        return constraintBroken.get();
    }

    /**
     * Answers whose confidence was read from the alternatives at the label's first token ({@code
     * --confidence}).
     */
    public long firstTokenReadings() {
        return firstTokenReadings.get();
    }

    /**
     * Of those, the answers with labels the server did not list among its top alternatives there.
     */
    public long withUnlistedLabels() {
        return withUnlistedLabels.get();
    }

    public long promptTokens() {
        return promptTokens.get();
    }

    public long completionTokens() {
        return completionTokens.get();
    }

    /**
     * Requests sent to the server, retries included (an embedded method's records count one each):
     * more than the examples when a method sends several requests per example, as likelihood
     * scoring does (one per label).
     */
    public long requests() {
        return requests.get();
    }

    /**
     * Requests made outside the examples' records, e.g. a start-up probe or content-free
     * calibration inputs.
     */
    public void addRequests(long extra, long extraPromptTokens, long extraCompletionTokens) {
        requests.addAndGet(extra);
        promptTokens.addAndGet(extraPromptTokens);
        completionTokens.addAndGet(extraCompletionTokens);
    }

    /**
     * Examples answered wholly from the answer store (records marked {@code cached_from}): no
     * request sent.
     */
    public long fromStore() {
        return fromStore.get();
    }

    public long retries() {
        long sum = 0;
        for (AtomicLong count : retries.values()) {
            sum += count.get();
        }
        return sum;
    }

    public Map<FailureKind, Long> failuresByKind() {
        return byKind(failures);
    }

    public Map<FailureKind, Long> retriesByKind() {
        return byKind(retries);
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** One counter per kind, all made up front so that counting never writes to the map itself. */
    private static Map<FailureKind, AtomicLong> counters() {
        var map = new EnumMap<FailureKind, AtomicLong>(FailureKind.class);
        for (FailureKind kind : FailureKind.values()) {
            map.put(kind, new AtomicLong());
        }
        return map;
    }

    private static Map<FailureKind, Long> byKind(Map<FailureKind, AtomicLong> counts) {
        var map = new EnumMap<FailureKind, Long>(FailureKind.class);
        for (FailureKind kind : FailureKind.values()) {
            long count = counts.get(kind).get();
            if (count > 0) {
                map.put(kind, count);
            }
        }
        return map;
    }
}
