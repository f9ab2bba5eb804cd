package dev.llmcls.llm.concurrency;

import java.time.Duration;
import java.util.List;

/**
 * How many requests one server may have in flight: a number that an algorithm holds or learns from
 * what became of the requests. It counts nothing itself; its {@link Limiter} owns the count of
 * requests in flight, hands out permits within {@link #limit()}, and tells the algorithm of each
 * send and each outcome with the count at that moment (the shape of Netflix concurrency-limits'
 * {@code Limit}, with the send reported too, because learning from throughput integrates the
 * requests in flight over time).
 *
 * <p>Implementations: {@link FixedLimit} (a given {@code --concurrency}), {@link AimdLimit}
 * (additive increase, multiplicative decrease on overload) and {@link AdaptiveLimit} (learning a
 * batching server's knee from throughput). Calls come from the limiter under its lock: an algorithm
 * need not be thread-safe on its own.
 */
public interface LimitAlgorithm {
    /** The requests that may be in flight now. */
    int limit();

    /**
     * A request is being sent; {@code inFlight} counts it. What it returns comes back as {@link
     * Sample#tag()} with the request's outcome (e.g. the round it was sent in).
     */
    long onSend(long now, int inFlight);

    /** What became of a request. */
    void onSample(Sample sample);

    /** What the limit did, for the manifest and the summary. */
    Report report();

    /** What became of a request: answered, refused for load or timed out, or failed otherwise. */
    enum Outcome {
        ANSWERED,
        OVERLOADED,
        FAILED
    }

    /**
     * One request's outcome: {@code tag} as {@link #onSend} returned it, when it was sent and with
     * how many in flight (counting it), when it ended and how many were in flight then (still
     * counting it), and the server's {@code Retry-After} of a refusal (null: none).
     */
    record Sample(
            Outcome outcome,
            long tag,
            long sentNanos,
            int inFlightAtSend,
            long endNanos,
            int inFlight,
            Duration retryAfter) {
        public long latencyNanos() {
            return endNanos - sentNanos;
        }
    }

    /**
     * What the limit did: where it started and ended, its highest, its ceiling, its back-offs and
     * its first steps.
     */
    record Report(
            int initial, int settled, int highest, int ceiling, int backoffs, List<Integer> path) {
        public Report {
            path = List.copyOf(path);
        }
    }
}
