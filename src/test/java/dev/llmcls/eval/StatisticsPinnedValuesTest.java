package dev.llmcls.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The figures {@code evaluate} prints, pinned on fixed inputs to the values commons-math3 3.6.1
 * gave (computed once by that code, not by hand), so that a change of statistics library that moves
 * any of them fails here: Wilson intervals, McNemar's exact p-values, the seeded bootstrap
 * intervals of a paired difference, and AUROC with DeLong's interval.
 */
class StatisticsPinnedValuesTest {
    private static final double CLOSE = 1e-12;

    @Test
    void theNormalQuantileOfA95PercentInterval() {
        assertEquals(1.959963984540054, Statistics.Z95, CLOSE);
    }

    @ParameterizedTest(name = "wilson({0}, {1}) = [{2}, {3}]")
    @CsvSource({
        "0, 1, 0.0, 0.7934506856227626",
        "1, 1, 0.20654931437723745, 1.0",
        "7, 10, 0.39677814746114537, 0.8922087325936989",
        "30, 100, 0.2189488529493276, 0.3958485463334666",
        "857, 1000, 0.8339350119390162, 0.8773326825022975",
        "1, 3, 0.06149194472039615, 0.7923403991979523",
        "123456, 1000000, 0.12281269653142285, 0.12410219641400438"
    })
    void wilsonIntervals(long successes, long trials, double low, double high) {
        Interval interval = Statistics.wilson(successes, trials);
        assertEquals(low, interval.low(), CLOSE);
        assertEquals(high, interval.high(), CLOSE);
    }

    @ParameterizedTest(name = "mcnemar({0}, {1}) = {2}")
    @CsvSource({
        "1, 5, 0.21875",
        "3, 17, 0.0025768280029296875",
        "40, 80, 3.3040001839124145E-4",
        "0, 1, 1.0",
        "250, 300, 0.0365787455491029",
        "10000, 10250, 0.08015136598035366",
        "7, 7, 1.0"
    })
    void mcnemarExactPValues(long onlyA, long onlyB, double p) {
        assertEquals(p, Statistics.mcnemarExact(onlyA, onlyB), p * 1e-9);
    }

    @ParameterizedTest(
            name =
                    "bootstrap(pairs {0}, onlyA {1}, onlyB {2}, {3} resamples, seed {4}) = [{5},"
                            + " {6}]")
    @CsvSource({
        "1000, 40, 80, 5000, 3, 0.018, 0.061",
        "200, 10, 25, 2000, 42, 0.015, 0.13",
        "50, 0, 7, 1000, 1, 0.059500000000000025, 0.24",
        "50, 7, 0, 1000, 1, -0.24, -0.059500000000000455",
        "30, 30, 0, 500, 5, -1.0, -1.0",
        "100000, 3000, 3300, 1000, 7, 0.0014195, 0.004540499999999999"
    })
    void seededBootstrapIntervals(
            long pairs, long onlyA, long onlyB, int resamples, long seed, double low, double high) {
        Interval interval = Statistics.bootstrapDifference(pairs, onlyA, onlyB, resamples, seed);
        assertEquals(low, interval.low(), CLOSE);
        assertEquals(high, interval.high(), CLOSE);
    }

    @Test
    void aurocWithDeLongsInterval() {
        double[] confidence = {0.9, 0.8, 0.8, 0.7, 0.65, 0.6, 0.55, 0.5, 0.4, 0.3, 0.95, 0.2};
        boolean[] right = {
            true, true, false, true, false, true, true, false, false, true, true, false
        };
        Calibration.Auroc auroc = Calibration.auroc(confidence, right);
        assertEquals(0.7285714285714285, auroc.value(), CLOSE);
        assertEquals(0.4172017069061719, auroc.ci95().low(), CLOSE);
        assertEquals(1.0, auroc.ci95().high(), CLOSE);
    }
}
