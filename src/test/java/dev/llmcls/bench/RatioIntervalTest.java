package dev.llmcls.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RatioIntervalTest {
    @Test
    void equalRatiosHaveNoSpread() {
        var interval = RatioInterval.of(new double[] {0.95, 0.95, 0.95});
        assertEquals(0.95, interval.mean(), 1e-12);
        assertEquals(0.95, interval.low(), 1e-12);
        assertEquals(0.95, interval.high(), 1e-12);
    }

    @Test
    void theIntervalIsStudentsTOnTheLogarithms() {
        // ratios 1 and 2: logs 0 and ln 2, geometric mean sqrt 2; the logs' standard deviation
        // ln 2 / sqrt 2, standard error ln 2 / 2; t with 1 degree of freedom at 0.975: 12.7062
        var interval = RatioInterval.of(new double[] {1.0, 2.0});
        assertEquals(Math.sqrt(2), interval.mean(), 1e-12);
        double half = 12.7062047 * Math.log(2) / 2;
        assertEquals(Math.sqrt(2) * Math.exp(-half), interval.low(), 1e-6);
        assertEquals(Math.sqrt(2) * Math.exp(half), interval.high(), 1e-4);
    }

    @Test
    void moreRoundsOfTheSameSpreadNarrowIt() {
        var few = RatioInterval.of(new double[] {0.9, 1.0, 0.95});
        var many = RatioInterval.of(new double[] {0.9, 1.0, 0.95, 0.9, 1.0, 0.95, 0.9, 1.0, 0.95});
        assertTrue(many.high() - many.low() < few.high() - few.low());
        assertTrue(many.low() < many.mean() && many.mean() < many.high());
    }
}
