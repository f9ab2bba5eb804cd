package dev.llmcls.llm.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * The limit's logic against simulated servers on a fake clock: no threads, no sleeping, the same
 * result every run. The simulated client keeps exactly as many requests in flight as its {@link
 * Limiter} gives permits, as the run's workers do.
 */
class AdaptiveLimitTest {
    private static final long MS = 1_000_000L;

    /**
     * A server with {@code slots} slots and a first-come queue; service times cycle through 50..400
     * ms.
     */
    private static final class Simulation {
        final int slots;
        final int rateLimit; // refuse (429) a request arriving while this many are in flight; 0:
        // never
        final Duration retryAfter;
        long now;
        final AdaptiveLimit limit;
        final Limiter limiter;
        final List<String> log = new ArrayList<>();
        int inFlightAtServer;
        int maxInFlight;
        int refused;
        long answered;
        private long draws;
        private final PriorityQueue<long[]> events =
                new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        private final ArrayDeque<Integer> queue = new ArrayDeque<>();
        private final List<Limiter.Permit> tickets = new ArrayList<>();
        private int clientInFlight;

        Simulation(int slots, int rateLimit, Duration retryAfter, AdaptiveLimit.Settings settings) {
            this.slots = slots;
            this.rateLimit = rateLimit;
            this.retryAfter = retryAfter;
            this.limit = new AdaptiveLimit(settings, "", log::add);
            this.limiter = new Limiter("", limit, () -> now);
        }

        long service() {
            return (50 + (draws++ * 37) % 351) * MS;
        }

        /** Runs until {@code requests} have been answered. */
        Simulation run(long requests) {
            fill();
            while (answered < requests) {
                long[] event = events.poll();
                now = event[0];
                Limiter.Permit ticket = tickets.get((int) event[1]);
                clientInFlight--;
                if (event[2] == 1) {
                    ticket.overloaded(retryAfter);
                } else {
                    inFlightAtServer--;
                    answered++;
                    ticket.answered();
                    Integer next = queue.poll();
                    if (next != null) {
                        events.add(new long[] {now + service(), next, 0});
                    }
                }
                fill();
            }
            return this;
        }

        private void fill() {
            while (true) {
                Limiter.Permit ticket = limiter.tryAcquire();
                if (ticket == null) {
                    break;
                }
                clientInFlight++;
                tickets.add(ticket);
                if (rateLimit > 0 && inFlightAtServer >= rateLimit) {
                    refused++;
                    events.add(new long[] {now + MS, tickets.size() - 1, 1});
                    continue;
                }
                inFlightAtServer++;
                maxInFlight = Math.max(maxInFlight, inFlightAtServer);
                if (inFlightAtServer - queue.size() <= slots) {
                    events.add(new long[] {now + service(), tickets.size() - 1, 0});
                } else {
                    queue.add(tickets.size() - 1);
                }
            }
        }
    }

    private static AdaptiveLimit.Settings learning() {
        return new AdaptiveLimit.Settings(
                AutoConcurrency.LEARN_FROM, AdaptiveLimit.CEILING, true, null);
    }

    @Test
    void growsPastTheBatchOfABatchingServerAndSettlesAboveIt() {
        Simulation sim = new Simulation(256, 0, null, learning()).run(20_000);
        LimitAlgorithm.Report report = sim.limit.report();
        assertTrue(report.settled() > 256 && report.settled() <= 1024, report + " " + sim.log);
        assertEquals(32, report.path().get(0));
        assertTrue(report.highest() > 256, report.toString());
        assertEquals(0, report.backoffs());
    }

    @Test
    void stopsAtTheKneeOfASmallBatch() {
        Simulation sim = new Simulation(100, 0, null, learning()).run(10_000);
        LimitAlgorithm.Report report = sim.limit.report();
        assertTrue(report.settled() > 100 && report.settled() <= 512, report + " " + sim.log);
    }

    @Test
    void aServerThatQueuesWithoutBatchingKeepsTheLimitLow() {
        Simulation sim = new Simulation(2, 0, null, learning()).run(2_000);
        LimitAlgorithm.Report report = sim.limit.report();
        // two slots: the throughput of 64 is that of 2; the limit goes down and settles at about
        // twice the slots
        assertTrue(report.settled() >= 2 && report.settled() <= 8, report + " " + sim.log);
        assertTrue(report.highest() <= 64, report.toString());
    }

    @Test
    void aRateLimiterLeavesTheLimitAtOrBelowItsConcurrencyAfterFewRefusals() {
        Simulation sim = new Simulation(256, 48, Duration.ofMillis(100), learning()).run(20_000);
        LimitAlgorithm.Report report = sim.limit.report();
        assertTrue(report.settled() <= 48 && report.settled() >= 24, report + " " + sim.log);
        assertTrue(sim.refused > 0 && sim.refused < 100, sim.refused + " refusals " + sim.log);
        assertTrue(report.backoffs() >= 1, report.toString());
    }

    @Test
    void aReportedSlotCountIsAHardCap() {
        var settings = new AdaptiveLimit.Settings(2, 2, false, Duration.ofMinutes(10));
        Simulation sim = new Simulation(64, 0, null, settings).run(2_000);
        assertEquals(2, sim.limiter.limit());
        assertEquals(2, sim.maxInFlight);
        assertEquals(List.of(2), sim.limit.report().path());
    }

    @Test
    void overloadHalvesOncePerBurstThenGrowsBackCautiously() {
        long[] now = {0};
        var limit =
                new Limiter(
                        "",
                        new AdaptiveLimit(
                                new AdaptiveLimit.Settings(64, 64, false, null), "", m -> {}),
                        () -> now[0]);
        List<Limiter.Permit> burst = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            burst.add(limit.tryAcquire());
        }
        now[0] += 10 * MS;
        burst.get(63).overloaded(Duration.ofSeconds(1));
        assertEquals(32, limit.limit());
        burst.get(62).overloaded(null); // the same burst: no second halving
        assertEquals(32, limit.limit());
        assertEquals(
                59,
                limit.report()
                        .ceiling()); // refused with 64 in flight: at most 64 - 1 - 64/16 from now
        // on
        for (int i = 0; i < 62; i++) {
            burst.get(i).failed();
        }
        // answers within the Retry-After end no round: the limit stays down
        answerRounds(limit, now, 4, 10 * MS);
        assertEquals(32, limit.limit());
        now[0] += Duration.ofSeconds(1).toNanos();
        answerRounds(limit, now, 1, 10 * MS);
        assertEquals(36, limit.limit()); // + an eighth, not doubled
        answerRounds(limit, now, 40, 10 * MS);
        assertEquals(59, limit.limit()); // back, but not above where it was refused
        assertEquals(1, limit.report().backoffs());
        // refused again at that boundary (a request still on its way when the server counted): a
        // step just below,
        // not another halving
        List<Limiter.Permit> again = new ArrayList<>();
        for (int i = 0; i < 59; i++) {
            again.add(limit.tryAcquire());
        }
        again.get(58).overloaded(null);
        assertEquals(55, limit.limit()); // 59 in flight when refused: 58, less 59/16
        assertEquals(55, limit.report().ceiling());
        assertEquals(2, limit.report().backoffs());
    }

    @Test
    void anAnswerSlowerThanHalfTheTimeoutHalvesTheLimit() {
        long[] now = {0};
        var limit =
                new Limiter(
                        "",
                        new AdaptiveLimit(
                                new AdaptiveLimit.Settings(16, 1024, true, Duration.ofSeconds(10)),
                                "",
                                m -> {}),
                        () -> now[0]);
        Limiter.Permit slow = limit.tryAcquire();
        now[0] += Duration.ofSeconds(6).toNanos();
        slow.answered();
        assertEquals(8, limit.limit());
    }

    /**
     * Answers {@code rounds} rounds of requests at the current limit, each taking {@code latency}.
     */
    private static void answerRounds(Limiter limit, long[] now, int rounds, long latency) {
        for (int r = 0; r < rounds; r++) {
            int n = Math.max(AdaptiveLimit.MIN_SAMPLES, limit.limit());
            List<Limiter.Permit> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sent.add(java.util.Objects.requireNonNull(limit.tryAcquire(), "within the limit"));
            }
            now[0] += latency;
            sent.forEach(Limiter.Permit::answered);
        }
    }
}
