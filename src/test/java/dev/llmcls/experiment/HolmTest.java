package dev.llmcls.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Holm's step-down adjustment against values worked by hand. */
class HolmTest {
    static Stream<Arguments> worked() {
        return Stream.of(
                // m = 4, sorted 0.01 0.02 0.03 0.04: 4*0.01=0.04, max(0.04, 3*0.02=0.06), max(0.06,
                // 2*0.03), 0.06 vs 0.04
                Arguments.of(
                        new double[] {0.03, 0.01, 0.04, 0.02},
                        new double[] {0.06, 0.04, 0.06, 0.06}),
                // the end-to-end study's four: 0.03125 0.125 1 1
                Arguments.of(
                        new double[] {0.03125, 1, 1, 0.125}, new double[] {0.125, 1, 1, 0.375}),
                // monotone: a later small product does not fall below an earlier one; capped at 1
                Arguments.of(new double[] {0.001, 0.9, 0.0125}, new double[] {0.003, 0.9, 0.025}),
                Arguments.of(new double[] {0.5, 0.6}, new double[] {1.0, 1.0}),
                Arguments.of(new double[] {0.2}, new double[] {0.2}),
                Arguments.of(new double[] {}, new double[] {}));
    }

    @ParameterizedTest
    @MethodSource("worked")
    void adjustsAsWorkedByHand(double[] p, double[] expected) {
        assertArrayEquals(expected, Holm.adjust(p), 1e-12);
    }
}
