package dev.llmcls.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SoftmaxRegressionTest {
    /** Three classes around three centres in 5 dimensions, with noise {@code spread}. */
    private static float[][] points(int n, double spread, long seed, int[] labels) {
        var random = new SplittableRandom(seed);
        float[][] x = new float[n][5];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < 5; j++) {
                double centre = j == labels[i] ? 1 : 0;
                x[i][j] = (float) (centre + spread * (random.nextDouble() * 2 - 1));
            }
        }
        return x;
    }

    @Test
    void classifiesWellSeparatedClassesAndGivesADistribution() {
        int[] y = new int[300];
        float[][] x = points(300, 0.3, 1, y);
        SoftmaxRegression.Model model = SoftmaxRegression.fit(x, y, 3, 1e-3, null);
        int right = 0;
        for (int i = 0; i < x.length; i++) {
            double[] p = model.probabilities(x[i]);
            assertEquals(1, p[0] + p[1] + p[2], 1e-12);
            int best = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
            right += best == y[i] ? 1 : 0;
        }
        assertEquals(300, right);
        assertTrue(model.probabilities(new float[] {1, 0, 0, 0, 0})[0] > 0.9);
    }

    @Test
    void theGradientIsTheDerivativeOfTheLoss() {
        int[] y = new int[40];
        float[][] x = points(40, 1, 2, y);
        Lbfgs.Objective loss = SoftmaxRegression.loss(x, y, 3, 0.05);
        var random = new SplittableRandom(3);
        double[] w = new double[3 * 6];
        for (int k = 0; k < w.length; k++) {
            w[k] = random.nextDouble() - 0.5;
        }
        double[] gradient = new double[w.length];
        loss.valueAndGradient(w, gradient);
        double h = 1e-6;
        for (int k = 0; k < w.length; k++) {
            double[] plus = w.clone();
            double[] minus = w.clone();
            plus[k] += h;
            minus[k] -= h;
            double numeric =
                    (loss.valueAndGradient(plus, new double[w.length])
                                    - loss.valueAndGradient(minus, new double[w.length]))
                            / (2 * h);
            assertEquals(numeric, gradient[k], 1e-7, "parameter " + k);
        }
    }

    @Test
    void crossValidationChoosesThePenaltyWithTheLowestHeldOutLossAndFitsEveryVectorWithIt() {
        int[] y = new int[300];
        float[][] x = points(300, 0.9, 4, y);
        SoftmaxRegression.Fit fit = SoftmaxRegression.crossValidated(x, y, 3, 5, 2);
        assertEquals(SoftmaxRegression.LAMBDAS.length, fit.scores().size());
        SoftmaxRegression.Score best =
                fit.scores().stream()
                        .min(java.util.Comparator.comparingDouble(SoftmaxRegression.Score::logLoss))
                        .orElseThrow();
        assertEquals(best.lambda(), fit.lambda());
        assertTrue(best.accuracy() > 0.7, "held-out accuracy " + best.accuracy());
        // The full fit is the path of penalties down to the chosen one, on every vector.
        float[][] standardised = SoftmaxRegression.Standardisation.of(x).applyAll(x);
        double[] start = null;
        for (double lambda : SoftmaxRegression.LAMBDAS) {
            start = SoftmaxRegression.fit(standardised, y, 3, lambda, start).parameters();
            if (lambda == fit.lambda()) {
                break;
            }
        }
        assertArrayEquals(start, fit.model().parameters());
    }

    @Test
    void theResultDoesNotDependOnTheNumberOfThreads() {
        int[] y = new int[200];
        float[][] x = points(200, 0.8, 6, y);
        SoftmaxRegression.Fit one = SoftmaxRegression.crossValidated(x, y, 3, 5, 1);
        SoftmaxRegression.Fit four = SoftmaxRegression.crossValidated(x, y, 3, 5, 4);
        assertEquals(one.lambda(), four.lambda());
        assertEquals(one.scores(), four.scores());
        assertArrayEquals(one.model().parameters(), four.model().parameters());
    }

    @Test
    void refusesMismatchedInput() {
        float[][] x = {{1, 0}, {0, 1}};
        assertThrows(
                IllegalArgumentException.class,
                () -> SoftmaxRegression.fit(x, new int[] {0}, 2, 0.1, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> SoftmaxRegression.fit(x, new int[] {0, 2}, 2, 0.1, null));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        SoftmaxRegression.fit(
                                new float[][] {{1, 0}, {1}}, new int[] {0, 1}, 2, 0.1, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> SoftmaxRegression.crossValidated(x, new int[] {0, 1}, 2, 3, 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> new SoftmaxRegression.Model(2, 2, new double[6]).probabilities(new float[3]));
    }
}
