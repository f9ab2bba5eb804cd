package dev.llmcls.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every calibration figure against a fixture worked out by hand (the working is in the comments),
 * so a wrong formula cannot pass by agreeing with itself.
 */
class CalibrationTest {
    // Nine predictions. Sorted by confidence: .95 right, .92 wrong, .90 right, .85 wrong, .75
    // right, .65 wrong,
    // .55 right, .45 wrong, .35 wrong. No confidence sits on a bin edge (multiples of 1/15).
    private static final double[] CONFIDENCE = {
        0.95, 0.90, 0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.92
    };
    private static final boolean[] RIGHT = {
        true, true, false, true, false, true, false, false, false
    };

    @Test
    void eceUsesFifteenEqualWidthBins() {
        // Bins (m-1)/15..m/15: .95 -> 15th, .90 and .92 -> 14th, the others one bin each.
        // One-example bins: |1-.95| + |0-.85| + |1-.75| + |0-.65| + |1-.55| + |0-.45| + |0-.35| =
        // 3.05.
        // The shared bin: accuracy 1/2, mean confidence .91, gap .41, weight 2.  ECE = (3.05 + 2 *
        // .41) / 9 = 0.43.
        assertEquals(0.43, Calibration.ece(CONFIDENCE, RIGHT), 1e-12);
        List<Calibration.Bin> bins = Calibration.reliability(CONFIDENCE, RIGHT);
        assertEquals(15, bins.size());
        Calibration.Bin shared = bins.get(13);
        assertEquals(2, shared.count());
        assertEquals(0.91, shared.confidence(), 1e-12);
        assertEquals(0.5, shared.accuracy(), 1e-12);
        assertEquals(0, bins.get(0).count());
        assertEquals(0, Calibration.bin(0.0), "a confidence of 0 falls in the first bin");
        assertEquals(14, Calibration.bin(1.0), "a confidence of 1 in the last");
    }

    @Test
    void aurocCountsRightOverWrongPairsWithDeLongsInterval() {
        // Right: .95 .90 .75 .55; wrong: .92 .85 .65 .45 .35.  Pairs right > wrong: 5 + 4 + 3 + 2 =
        // 14 of 20 -> 0.7.
        Calibration.Auroc auroc = Calibration.auroc(CONFIDENCE, RIGHT);
        assertEquals(0.7, auroc.value(), 1e-12);
        // DeLong placements. Right: 5/5, 4/5, 3/5, 2/5 -> variance (.09+.01+.01+.09)/3.
        // Wrong: share of right ones above: 1/4, 2/4, 3/4, 4/4, 4/4 -> variance
        // (.2025+.04+.0025+.09+.09)/4.
        double se = Math.sqrt(0.2 / 3 / 4 + 0.425 / 4 / 5);
        assertEquals(0.7 - 1.959963984540054 * se, auroc.ci95().low(), 1e-9);
        assertEquals(1.0, auroc.ci95().high(), 1e-12, "clipped at 1");
        assertNull(
                Calibration.auroc(new double[] {0.3, 0.9}, new boolean[] {true, true}),
                "no wrong prediction: none");
    }

    @Test
    void aurocCountsTiesAsHalf() {
        // Right .8 and .5, wrong .8: the tie counts 1/2, .5 < .8 counts 0 -> 0.5 / 2.
        assertEquals(
                0.25,
                Calibration.auroc(new double[] {0.8, 0.8, 0.5}, new boolean[] {true, false, true})
                        .value(),
                1e-12);
    }

    @Test
    void riskCoverageAndItsAreaAndAccuracyAtCoverage() {
        // Errors among the k most confident: 0 1 1 2 2 3 3 4 5; risks 0, 1/2, 1/3, 2/4, 2/5, 3/6,
        // 3/7, 4/8, 5/9.
        double aurc =
                (0 + 1.0 / 2 + 1.0 / 3 + 2.0 / 4 + 2.0 / 5 + 3.0 / 6 + 3.0 / 7 + 4.0 / 8 + 5.0 / 9)
                        / 9;
        assertEquals(aurc, Calibration.aurc(CONFIDENCE, RIGHT), 1e-12);
        List<Calibration.Point> curve = Calibration.riskCoverage(CONFIDENCE, RIGHT);
        assertEquals(9, curve.size());
        assertEquals(2.0 / 9, curve.get(1).coverage(), 1e-12);
        assertEquals(0.5, curve.get(1).risk(), 1e-12);
        // 50 %: the 5 most confident (ceil 4.5), 2 wrong -> 3/5; 80 %: 8 (ceil 7.2), 4 wrong; 90 %
        // and 100 %: all 9.
        assertEquals(0.6, Calibration.accuracyAtCoverage(CONFIDENCE, RIGHT, 0.5), 1e-12);
        assertEquals(0.5, Calibration.accuracyAtCoverage(CONFIDENCE, RIGHT, 0.8), 1e-12);
        assertEquals(4.0 / 9, Calibration.accuracyAtCoverage(CONFIDENCE, RIGHT, 0.9), 1e-12);
        assertEquals(4.0 / 9, Calibration.accuracyAtCoverage(CONFIDENCE, RIGHT, 1.0), 1e-12);
    }

    @Test
    void tiedConfidencesCountAsTakenInRandomOrder() {
        // .8 right and .8 wrong tie: the first taken is wrong half the time. Risks .5, .5, 1/3.
        double[] confidence = {0.8, 0.8, 0.5};
        boolean[] right = {true, false, true};
        assertEquals((0.5 + 0.5 + 1.0 / 3) / 3, Calibration.aurc(confidence, right), 1e-12);
        assertEquals(0.5, Calibration.accuracyAtCoverage(confidence, right, 0.3), 1e-12);
    }

    @Test
    void brierAndNegativeLogLikelihoodOfFullDistributions() {
        double[][] p = {{0.7, 0.2, 0.1}, {0.5, 0.25, 0.25}, {0.1, 0.1, 0.8}};
        int[] gold = {0, 1, 2};
        // (.3² + .2² + .1²) = .14; (.5² + .75² + .25²) = .875; (.1² + .1² + .2²) = .06.
        assertEquals((0.14 + 0.875 + 0.06) / 3, Calibration.brier(p, gold), 1e-12);
        assertEquals(
                -(Math.log(0.7) + Math.log(0.25) + Math.log(0.8)) / 3,
                Calibration.nll(p, gold),
                1e-12);
        assertEquals(
                -Math.log(1e-15),
                Calibration.nll(new double[][] {{1.0, 0.0}}, new int[] {1}),
                1e-9,
                "a zero probability for the gold label is clamped, not infinite");
    }
}
