package dev.llmcls.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LbfgsTest {
    private static final Lbfgs.Options TIGHT = new Lbfgs.Options(1000, 1e-9, 0);

    @Test
    void findsTheMinimumOfAnIllConditionedQuadratic() {
        // f(x) = sum_i c_i (x_i - i)^2 with curvatures from 1 to 1000.
        int n = 30;
        Lbfgs.Objective quadratic =
                (x, g) -> {
                    double f = 0;
                    for (int i = 0; i < n; i++) {
                        double c = Math.pow(1000, i / (n - 1.0));
                        f += c * (x[i] - i) * (x[i] - i);
                        g[i] = 2 * c * (x[i] - i);
                    }
                    return f;
                };
        Lbfgs.Result result = Lbfgs.minimize(quadratic, new double[n], TIGHT);
        for (int i = 0; i < n; i++) {
            assertEquals(i, result.x()[i], 1e-8, "x" + i);
        }
        assertTrue(
                result.iterations() < TIGHT.maxIterations(), "iterations " + result.iterations());
    }

    @Test
    void findsTheMinimumOfRosenbrocksValley() {
        Lbfgs.Objective rosenbrock =
                (x, g) -> {
                    double a = 1 - x[0];
                    double b = x[1] - x[0] * x[0];
                    g[0] = -2 * a - 400 * x[0] * b;
                    g[1] = 200 * b;
                    return a * a + 100 * b * b;
                };
        Lbfgs.Result result = Lbfgs.minimize(rosenbrock, new double[] {-1.2, 1}, TIGHT);
        assertArrayEquals(new double[] {1, 1}, result.x(), 1e-6);
    }

    @Test
    void leavesTheStartAloneAndStopsAtOnceWhereTheGradientIsZero() {
        double[] start = {3, 4};
        Lbfgs.Objective flat =
                (x, g) -> {
                    g[0] = 0;
                    g[1] = 0;
                    return 7;
                };
        Lbfgs.Result result = Lbfgs.minimize(flat, start, TIGHT);
        assertEquals(0, result.iterations());
        assertEquals(1, result.evaluations());
        assertArrayEquals(new double[] {3, 4}, start);
        assertArrayEquals(new double[] {3, 4}, result.x());
    }
}
