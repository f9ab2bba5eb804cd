package dev.llmcls.experiment;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Holm's step-down correction of p-values for a family of tests (Holm 1979): with the m p-values in
 * ascending order p(1) <= ... <= p(m), the adjusted p(i) = max over j <= i of min(1, (m - j + 1)
 * p(j)). Rejecting where the adjusted value is below alpha keeps the family-wise error rate at
 * alpha, with no assumption about how the tests depend on each other.
 */
public final class Holm {
    public static final String NAME = "Holm (step-down), family-wise error 5 %";

    private Holm() {}

    /** The adjusted p-values, in the order given. */
    public static double[] adjust(double[] p) {
        int m = p.length;
        Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double[] adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1.0, (m - rank) * p[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
