package dev.llmcls.multilabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The multi-label figures against sums worked by hand. */
class MultiLabelTallyTest {
    private static final double EPS = 1e-12;

    @Test
    void anErrorPredictsNothingAndIsNeverExactlyRight() {
        // labels x, y. Example 1: gold {x}, answer {x}. Example 2: gold {}, failed. Example 3: gold
        // {}, answer {}.
        var tally = new MultiLabelTally(List.of("x", "y"));
        tally.add(Set.of(0), Set.of(0), null);
        tally.add(Set.of(), null, null);
        tally.add(Set.of(), Set.of(), null);
        MultiLabelMetrics m = tally.metrics();
        assertEquals(3, m.examples());
        assertEquals(
                2, m.subsetRight(), "the failed one is wrong even though its gold set is empty");
        assertEquals(2.0 / 3, m.subsetAccuracy(), EPS);
        assertEquals(0, m.hammingLoss(), EPS, "an error names no label; nothing was gold");
        assertEquals(2.0 / 3, m.sampleF1(), EPS, "1 + 0 (failed) + 1 (both empty), over 3");
        assertEquals(1, m.errors());
        assertEquals(1, m.noLabel());
        assertEquals(1.0, m.macroF1(), EPS, "y is neither gold nor predicted, so only x counts");
        assertEquals(1.0, m.microF1(), EPS);
        assertNull(m.sweep());
    }

    @Test
    void thresholdSweepMatchesTheHandWorkedCounts() {
        // labels a, b; probabilities (a, b): r1 gold {a} (0.8, 0.2), r2 gold {a, b} (0.55, 0.45),
        // r3 gold {b} (0.35, 0.65)
        var tally = new MultiLabelTally(List.of("a", "b"));
        tally.add(Set.of(0), Set.of(0), new double[] {0.8, 0.2});
        tally.add(Set.of(0, 1), Set.of(0), new double[] {0.55, 0.45});
        tally.add(Set.of(1), Set.of(1), new double[] {0.35, 0.65});
        ThresholdSweep sweep = tally.metrics().sweep();
        assertEquals(3, sweep.examples());
        // At t: a predicted where p_a >= t, b where p_b >= t; micro F1 = 2tp / (2tp + fp + fn).
        // 0.1, 0.2: both everywhere (tp 4, fp 2): 8/10. 0.3: a everywhere, b on r2, r3 (tp 4, fp
        // 1): 8/9.
        // 0.4: a on r1, r2, b on r2, r3: 1. 0.5: b only on r3 (tp 3, fn 1): 6/7. 0.6: a on r1, b on
        // r3: 4/6.
        // 0.7, 0.8: a on r1 only (tp 1, fn 3): 2/5. 0.9: nothing: 0.
        double[] expected = {0.8, 0.8, 8.0 / 9, 1, 6.0 / 7, 4.0 / 6, 0.4, 0.4, 0};
        for (int t = 0; t < expected.length; t++) {
            assertEquals(
                    expected[t],
                    sweep.microF1().get(t),
                    EPS,
                    "threshold " + sweep.thresholds().get(t));
        }
        // a: F1 0.8 at 0.1-0.3, 1 at 0.4-0.5 -> 0.4 (the lower on a tie); b: 1 at 0.3-0.4 -> 0.3.
        assertEquals(
                new ThresholdSweep.LabelThreshold("a", 0.4, 1, 1, 1, 2), sweep.perLabel().get(0));
        assertEquals(
                new ThresholdSweep.LabelThreshold("b", 0.3, 1, 1, 1, 2), sweep.perLabel().get(1));
        assertEquals(1, sweep.tunedMicroF1(), EPS);
        MultiLabelMetrics m = tally.metrics();
        // answers {a}, {a}, {b}: r2 misses b. tp 3, fp 0, fn 1.
        assertEquals(2.0 / 3, m.subsetAccuracy(), EPS);
        assertEquals(1.0 / 6, m.hammingLoss(), EPS);
        assertEquals(6.0 / 7, m.microF1(), EPS);
        assertEquals((1 + 2.0 / 3) / 2, m.macroF1(), EPS, "a: F1 1; b: P 1, R 1/2, F1 2/3");
        assertEquals((1 + 2.0 / 3 + 1) / 3, m.sampleF1(), EPS);
    }
}
