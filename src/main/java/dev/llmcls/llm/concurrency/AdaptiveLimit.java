package dev.llmcls.llm.concurrency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The number of requests one server may have in flight, learnt while the run goes: the {@link
 * LimitAlgorithm} of {@code --concurrency auto}. Its logic is plain methods fed by its {@link
 * Limiter} with what happened to each request and how many were in flight, at times read from the
 * limiter's clock, so that tests drive it deterministically.
 *
 * <p><b>Learning</b> (a server that reports no capacity): the limit is judged in rounds. A round at
 * limit L lasts until at least {@code max(16, L / 2)} requests sent during it have been answered
 * (32 when going down); its throughput is measured going up by Little's law (the mean number of
 * requests in flight over the round divided by the mean latency of those answers) and going down by
 * the rate at which they came. The limit doubles while a round's throughput is more than 15 % above
 * the best so far (quadruples while it scaled nearly in proportion, far below the knee); when
 * doubling no longer pays, it settles at twice the smallest limit that gave the best throughput:
 * above the knee, so that a batching server's queue never runs dry (matching its batch exactly
 * starves 1-4 % of its slot-time, BENCHMARKS.md issue 7), and never above the ceiling. When the
 * first doubling already gains nothing and the answers waited longer (half as long again: they
 * queue; a round with no gain and no queueing is measured once more), the server does not batch (or
 * has fewer slots than the start): the limit halves while the throughput holds (within 30 %; it
 * goes no lower than 2) and settles at twice the smallest limit that still kept it, so that
 * requests do not wait long in the server's queue, where the wait counts against {@code --timeout}.
 * A round whose slowest answer took more than a quarter of the timeout does not grow the limit, and
 * an answer slower than half the timeout halves it.
 *
 * <p><b>Reported capacity</b> (llama-server's slots, vLLM's default batch): the limit starts there
 * and is never exceeded; it only backs off on overload.
 *
 * <p><b>Overload</b> (HTTP 429 or 503, or a timeout): the limit halves, at most once per round (a
 * burst of refusals counts once), the ceiling drops to one below the most requests in flight
 * between the refused request's send and its refusal (the server refused at no more), less a
 * sixteenth for requests still on their way, and no round ends before the server's {@code
 * Retry-After} has passed. Then the limit grows back cautiously, by an eighth per round, up to that
 * ceiling. A later refusal near that ceiling (the boundary is known) lowers ceiling and limit to a
 * few per cent below the requests then in flight instead of halving again, so a rate limiter that
 * refuses above C leaves the limit at most C after a few refusals.
 */
public final class AdaptiveLimit implements LimitAlgorithm {
    /** The most requests in flight to one server that learning goes to. */
    public static final int CEILING = 1024;

    static final int MIN_SAMPLES = 16;
    static final double GAIN = 0.15;

    /**
     * Halving the limit below the knee costs up to half the throughput; less than this is measuring
     * noise.
     */
    static final double LOSS = 0.3;

    /**
     * The latency growth (x) that says requests queue at the server rather than being served
     * together.
     */
    static final double QUEUEING = 1.5;

    private static final int PATH_LENGTH = 40;

    private enum Phase {
        UP,
        DOWN,
        SETTLED,
        RECOVERING
    }

    /**
     * What the limit starts from and may reach, and whether it learns.
     *
     * @param initial the first limit
     * @param ceiling the most it may reach
     * @param learn true: learn the capacity from throughput; false: {@code initial} is the server's
     *     own figure, held unless the server is overloaded
     * @param timeout the per-request timeout, which queued requests must stay well inside (null:
     *     none)
     */
    public record Settings(int initial, int ceiling, boolean learn, Duration timeout) {
        public Settings {
            if (initial < 1 || ceiling < initial) {
                throw new IllegalArgumentException(
                        "need 1 <= initial <= ceiling, got " + initial + ", " + ceiling);
            }
        }
    }

    private final Settings settings;
    private final Consumer<String> log;
    private final String name;

    private int limit;
    private int cap;
    private int highest;
    private int backoffs;
    private Phase phase;
    private Phase afterRecovery;
    private int recoveryTarget;
    private long backedOffIn = Long.MAX_VALUE; // the first round after the last back-off
    private final List<Integer> path = new ArrayList<>();

    private long round;
    private long roundStart;
    private long lastEvent;
    private double inFlightNanos; // the integral of requests in flight over the round
    private int inFlight; // as the limiter last said
    private long samples; // answers to requests sent in this round
    private long firstAnswer; // when the first of them came
    private long latencySum;
    private long maxLatency;
    private boolean anySent;
    private long holdUntil;
    private boolean grewOnce;

    private double best; // requests per second
    private double bestLatency; // the mean latency of the round that set `best`
    private boolean measuredAgain;
    private int bestLimit; // the smallest limit that reached `best` (within GAIN)

    /**
     * @param name the server's name for the log (empty for a run with one server)
     * @param log where the limit's changes are said, one short line each
     */
    public AdaptiveLimit(Settings settings, String name, Consumer<String> log) {
        this.settings = settings;
        this.name = name;
        this.log = log;
        this.limit = settings.initial();
        this.cap = settings.ceiling();
        this.highest = limit;
        this.phase = settings.learn() ? Phase.UP : Phase.SETTLED;
        path.add(limit);
    }

    @Override
    public int limit() {
        return limit;
    }

    /** The server's name in the log (empty for a run with one server). */
    public String name() {
        return name;
    }

    /** The most this limit can ever be. */
    public int ceiling() {
        return settings.ceiling();
    }

    @Override
    public Report report() {
        return new Report(settings.initial(), limit, highest, cap, backoffs, path);
    }

    @Override
    public long onSend(long now, int inFlight) {
        if (!anySent) {
            anySent = true; // the first round starts with the first request, not when the limit was
            // made
            roundStart = now;
            lastEvent = now;
        }
        advance(now);
        this.inFlight = inFlight;
        return round;
    }

    @Override
    public void onSample(Sample sample) {
        switch (sample.outcome()) {
            case ANSWERED -> answered(sample);
            case OVERLOADED -> overloaded(sample);
            case FAILED -> {
                advance(sample.endNanos());
                inFlight = sample.inFlight() - 1;
            }
        }
    }

    /** The request got its answer. */
    private void answered(Sample ticket) {
        long now = ticket.endNanos();
        advance(now);
        inFlight = ticket.inFlight() - 1;
        long latency = ticket.latencyNanos();
        if (ticket.tag() != round) {
            return; // sent under another limit: says nothing about this one
        }
        if (samples++ == 0) {
            firstAnswer = now;
        }
        latencySum += latency;
        maxLatency = Math.max(maxLatency, latency);
        if (settings.timeout() != null && latency > settings.timeout().toNanos() / 2 && limit > 1) {
            phase = settings.learn() ? Phase.SETTLED : phase;
            change(
                    Math.max(1, limit / 2),
                    now,
                    String.format(
                            Locale.ROOT,
                            "an answer took %.1f s, more than half " + "of --timeout",
                            latency / 1e9));
            return;
        }
        if (phase == Phase.SETTLED
                || now < holdUntil
                || samples
                        < Math.max(
                                phase == Phase.DOWN ? 2 * MIN_SAMPLES : MIN_SAMPLES, limit / 2)) {
            return;
        }
        endRound(now);
    }

    /**
     * The server refused the request for load (HTTP 429 or 503) or it timed out; {@code retryAfter}
     * is what the server asked for (null: nothing).
     */
    private void overloaded(Sample ticket) {
        long now = ticket.endNanos();
        Duration retryAfter = ticket.retryAfter();
        advance(now);
        // How many the server may have counted when it refused: at most what was in flight here
        // when the request
        // was sent or, if it reached the server late (a new connection on a busy machine), when the
        // refusal came.
        int seen = Math.max(ticket.inFlightAtSend(), ticket.inFlight());
        inFlight = ticket.inFlight() - 1;
        // Refused again near where it refused before: the boundary is known, so step just below it
        // instead of
        // halving.
        boolean knownBoundary =
                backoffs > 0 && ticket.tag() >= backedOffIn && seen > cap - Math.max(2, cap / 8);
        // One below that count, less a sixteenth for requests still on their way, not yet counted
        // by the server.
        cap = Math.max(1, Math.min(cap, seen - 1 - Math.max(1, seen / 16)));
        if (retryAfter != null) {
            holdUntil = Math.max(holdUntil, now + retryAfter.toNanos());
        }
        if (ticket.tag() != round && limit <= cap) {
            return; // this round already backed off for the same burst
        }
        backoffs++;
        if (knownBoundary) {
            change(Math.min(limit, cap), now, "refused again, " + seen + " in flight: just below");
            backedOffIn = round;
            return;
        }
        if (phase != Phase.RECOVERING) {
            afterRecovery = phase == Phase.UP || phase == Phase.DOWN ? Phase.SETTLED : phase;
        }
        recoveryTarget = Math.min(cap, Math.max(limit, recoveryTarget));
        phase = Phase.RECOVERING;
        change(
                Math.max(1, Math.min(cap, limit / 2)),
                now,
                "the server refused a request ("
                        + seen
                        + " in flight)"
                        + (retryAfter != null
                                ? ", Retry-After " + retryAfter.toMillis() + " ms"
                                : ""));
        backedOffIn = round;
    }

    private void advance(long now) {
        inFlightNanos += (double) inFlight * (now - lastEvent);
        lastEvent = now;
    }

    private void endRound(long now) {
        double elapsed = now - roundStart;
        double meanInFlight = elapsed <= 0 ? inFlight : inFlightNanos / elapsed;
        // Going up, Little's law: requests in flight over their latency. Both are this round's, and
        // the first
        // answers of a round are its quickest, alike in every round, so rounds compare. Going down,
        // the queue that
        // the previous, larger limit left delays this round's answers (Little's law would see less
        // throughput than
        // there is): the rate at which they came, from the first on, is the server's rate whatever
        // waited ahead.
        double meanLatency = latencySum / (double) samples;
        double throughput =
                phase == Phase.DOWN
                        ? (samples - 1) / (double) Math.max(1, now - firstAnswer) * 1e9
                        : meanInFlight / meanLatency * 1e9;
        if (phase == Phase.RECOVERING) {
            int target = Math.min(recoveryTarget, cap);
            if (limit < target) {
                change(
                        Math.min(target, limit + Math.max(1, limit / 8)),
                        now,
                        "growing back after the refusal");
            } else {
                restartRound(now);
            }
            if (limit >= target) {
                phase = afterRecovery;
            }
            return;
        }
        if (meanInFlight < 0.75 * limit) {
            restartRound(
                    now); // the run did not use its limit (too few examples left): nothing learnt
            return;
        }
        String measured =
                String.format(
                        Locale.ROOT, "%.0f answers/s at %.0f in flight", throughput, meanInFlight);
        boolean tooSlow =
                settings.timeout() != null && maxLatency > settings.timeout().toNanos() / 4;
        if (phase == Phase.UP) {
            if (best == 0 && tooSlow && limit > 1) {
                phase = Phase.DOWN; // already near the timeout at the start
                change(limit / 2, now, measured + ", answers near --timeout: trying fewer");
            } else if (best == 0) {
                best = throughput;
                bestLimit = limit;
                bestLatency = meanLatency;
                grow(limit * 2, now, measured);
            } else if (throughput > best * (1 + GAIN) && !tooSlow) {
                boolean proportional = throughput / best >= 0.8 * limit / bestLimit;
                String gain = percent(throughput, best);
                best = throughput;
                bestLimit = limit;
                bestLatency = meanLatency;
                grewOnce = true;
                grow(limit * (proportional ? 4 : 2), now, measured + " (+" + gain + ")");
            } else if (!grewOnce
                    && !tooSlow
                    && !measuredAgain
                    && meanLatency < QUEUEING * bestLatency) {
                // No gain, but no queueing either (the latency held): a noisy round, e.g. the
                // client itself was
                // short of CPU. Measure again before concluding anything.
                measuredAgain = true;
                say(limit + " kept (" + measured + ", no gain but no queueing: measuring again)");
                restartRound(now);
            } else if (!grewOnce
                    && bestLimit > 1
                    && (tooSlow || meanLatency >= QUEUEING * bestLatency)) {
                // The first doubling gained nothing and the answers waited longer (or came near the
                // timeout): the
                // server queues without batching, or has fewer slots than the start. Probe below
                // the start.
                phase = Phase.DOWN;
                best = 0;
                change(bestLimit / 2, now, measured + ", no gain: trying fewer");
            } else if (tooSlow) {
                settle(Math.min(limit, bestLimit), now, measured + ", answers near --timeout");
            } else {
                settle(2 * bestLimit, now, measured + ", no clear gain");
            }
        } else if (phase == Phase.DOWN) {
            if (best == 0) {
                best = throughput;
                bestLimit = limit;
                change(Math.max(1, limit / 2), now, measured + ": trying fewer");
            } else if (throughput >= best * (1 - LOSS)) {
                bestLimit = limit;
                if (limit <= 2) {
                    settle(2 * limit, now, measured + ", throughput held down to " + limit);
                } else {
                    change(limit / 2, now, measured + ", throughput held: trying fewer");
                }
            } else {
                settle(2 * bestLimit, now, measured + ", throughput fell");
            }
        }
    }

    private static String percent(double now, double before) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * (now / before - 1));
    }

    private void grow(int wanted, long now, String why) {
        int next = Math.min(cap, wanted);
        if (next <= limit) {
            settle(limit, now, why + ", at the ceiling");
            return;
        }
        change(next, now, why);
    }

    private void settle(int wanted, long now, String why) {
        phase = Phase.SETTLED;
        int next = Math.max(1, Math.min(cap, wanted));
        if (next == limit) {
            say(limit + " settled (" + why + ")");
            restartRound(now);
        } else {
            change(next, now, why + "; settled");
        }
    }

    private void change(int next, long now, String why) {
        if (next != limit) {
            say(limit + " -> " + next + " (" + why + ")");
            limit = next;
            highest = Math.max(highest, limit);
            if (path.size() < PATH_LENGTH) {
                path.add(limit);
            }
        }
        restartRound(now);
    }

    private void restartRound(long now) {
        round++;
        roundStart = now;
        lastEvent = now;
        inFlightNanos = 0;
        samples = 0;
        firstAnswer = 0;
        latencySum = 0;
        maxLatency = 0;
    }

    private void say(String message) {
        log.accept("concurrency" + (name.isEmpty() ? "" : " " + name) + ": " + message);
    }
}
