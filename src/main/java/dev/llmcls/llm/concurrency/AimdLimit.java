package dev.llmcls.llm.concurrency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Additive increase, multiplicative decrease (TCP's congestion rule, as Netflix concurrency-limits'
 * {@code AIMDLimit}): one more for an answer that came while the limit was in use (at least half of
 * it in flight), times {@code backoff} for a refusal for load or an answer slower than {@code
 * slow}; never below {@code min} or above {@code max}. Simple and steady where a server's capacity
 * moves (a shared, rate-limited API); slow to reach a large batch, which {@link AdaptiveLimit}
 * finds in a few rounds.
 */
public final class AimdLimit implements LimitAlgorithm {
    private static final int PATH_LENGTH = 40;

    private final int initial;
    private final int min;
    private final int max;
    private final double backoff;
    private final Duration slow;
    private int limit;
    private int highest;
    private int backoffs;
    private final List<Integer> path = new ArrayList<>();

    /**
     * @param backoff the factor a refusal multiplies the limit by, in (0, 1)
     * @param slow an answer slower than this counts as overload (null: only refusals and timeouts
     *     do)
     */
    public AimdLimit(int initial, int min, int max, double backoff, Duration slow) {
        if (min < 1 || initial < min || max < initial || !(backoff > 0 && backoff < 1)) {
            throw new IllegalArgumentException(
                    "need 1 <= min <= initial <= max and 0 < backoff < 1, got "
                            + min
                            + ", "
                            + initial
                            + ", "
                            + max
                            + ", "
                            + backoff);
        }
        this.initial = initial;
        this.min = min;
        this.max = max;
        this.backoff = backoff;
        this.slow = slow;
        this.limit = initial;
        this.highest = initial;
        path.add(initial);
    }

    @Override
    public int limit() {
        return limit;
    }

    @Override
    public long onSend(long now, int inFlight) {
        return 0;
    }

    @Override
    public void onSample(Sample sample) {
        boolean overloaded =
                sample.outcome() == Outcome.OVERLOADED
                        || (sample.outcome() == Outcome.ANSWERED
                                && slow != null
                                && sample.latencyNanos() > slow.toNanos());
        if (overloaded) {
            backoffs++;
            set(Math.max(min, (int) (limit * backoff)));
        } else if (sample.outcome() == Outcome.ANSWERED && 2 * sample.inFlight() >= limit) {
            set(Math.min(max, limit + 1));
        }
    }

    private void set(int next) {
        if (next != limit && path.size() < PATH_LENGTH) {
            path.add(next);
        }
        limit = next;
        highest = Math.max(highest, limit);
    }

    @Override
    public Report report() {
        return new Report(initial, limit, highest, max, backoffs, path);
    }
}
