package dev.llmcls.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StatisticsTest {
    @Test
    void wilsonIntervalMatchesPublishedValues() {
        // Newcombe (1998), Table I: 81/263 → 0.2553 to 0.3662; 15/148 → 0.0624 to 0.1605.
        Interval a = Statistics.wilson(81, 263);
        assertEquals(0.2553, a.low(), 5e-5);
        assertEquals(0.3662, a.high(), 5e-5);
        Interval b = Statistics.wilson(15, 148);
        assertEquals(0.0624, b.low(), 5e-5);
        assertEquals(0.1605, b.high(), 5e-5);
    }

    @Test
    void wilsonIntervalStaysInsideZeroAndOne() {
        assertEquals(0.0, Statistics.wilson(0, 10).low());
        assertEquals(1.0, Statistics.wilson(10, 10).high(), 1e-15);
        assertEquals(new Interval(0, 1), Statistics.wilson(0, 0));
    }

    @Test
    void mcnemarExactMatchesHandComputedBinomialTails() {
        // b = 1, c = 5: 2 · (1 + 6) / 64 = 0.21875.
        assertEquals(0.21875, Statistics.mcnemarExact(1, 5), 1e-12);
        assertEquals(0.21875, Statistics.mcnemarExact(5, 1), 1e-12);
        // b = 0, c = 10: 2 / 1024.
        assertEquals(2.0 / 1024, Statistics.mcnemarExact(0, 10), 1e-15);
        assertEquals(1.0, Statistics.mcnemarExact(4, 4), "a balanced split is capped at 1");
        assertEquals(1.0, Statistics.mcnemarExact(0, 0));
    }

    @Test
    void bootstrapIsDeterministicForASeedAndCoversTheObservedDifference() {
        Interval first = Statistics.bootstrapDifference(1000, 40, 80, 5000, 3);
        assertEquals(first, Statistics.bootstrapDifference(1000, 40, 80, 5000, 3));
        assertTrue(first.low() < 0.04 && 0.04 < first.high(), first.toString());
        // The normal approximation of the paired difference: sd = sqrt((b + c) / n - d^2) /
        // sqrt(n).
        double sd = Math.sqrt((120 / 1000.0 - 0.04 * 0.04) / 1000);
        assertEquals(0.04 - 1.96 * sd, first.low(), 0.003);
        assertEquals(0.04 + 1.96 * sd, first.high(), 0.003);
    }

    @Test
    void bootstrapOfIdenticalRunsIsZero() {
        assertEquals(new Interval(0, 0), Statistics.bootstrapDifference(500, 0, 0, 2000, 1));
    }

    /**
     * Issue 14's defect: this test's name promised speed it did not check. Tests check behaviour,
     * not wall-clock time (the speed is a benchmark figure), so it now checks what a million pairs
     * must give — the normal approximation's interval, which the bootstrap matches closely at this
     * size — and {@code @Timeout} only guards against a hang (an algorithm quadratic in the pairs
     * would not finish).
     */
    @Test
    @Timeout(120)
    void bootstrapOfOneMillionPairsMatchesTheNormalApproximation() {
        Interval interval = Statistics.bootstrapDifference(1_000_000, 60_000, 90_000, 10_000, 1);
        double difference = 0.03;
        double sd = Math.sqrt((150_000 / 1e6 - difference * difference) / 1e6);
        assertEquals(difference - 1.96 * sd, interval.low(), 0.0001);
        assertEquals(difference + 1.96 * sd, interval.high(), 0.0001);
    }
}
