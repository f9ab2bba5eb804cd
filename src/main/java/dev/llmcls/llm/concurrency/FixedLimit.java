package dev.llmcls.llm.concurrency;

import java.util.List;

/** A number of requests in flight that never changes: a given {@code --concurrency}. */
public final class FixedLimit implements LimitAlgorithm {
    private final int limit;

    public FixedLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a limit is at least 1, got " + limit);
        }
        this.limit = limit;
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
    public void onSample(Sample sample) {}

    @Override
    public Report report() {
        return new Report(limit, limit, limit, limit, 0, List.of(limit));
    }
}
