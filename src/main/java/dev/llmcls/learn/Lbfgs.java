package dev.llmcls.learn;

/**
 * Limited-memory BFGS (Nocedal and Wright, <i>Numerical Optimization</i>, 2nd ed., algorithms 7.4
 * and 7.5) with a backtracking line search on the Armijo condition, for smooth convex objectives.
 * Deterministic: the same objective and start give the same iterates bit for bit.
 */
public final class Lbfgs {
    /** Correction pairs kept. */
    static final int MEMORY = 10;

    private static final double ARMIJO = 1e-4;
    private static final int MAX_BACKTRACKS = 40;

    /**
     * A function to minimise: returns its value at {@code x} and writes its gradient into {@code
     * gradient}.
     */
    @FunctionalInterface
    public interface Objective {
        double valueAndGradient(double[] x, double[] gradient);
    }

    /**
     * When to stop: the largest gradient component at most {@code gradientTolerance}, or a step
     * that lowers the value by at most {@code relativeTolerance} of it, or {@code maxIterations}
     * steps.
     */
    public record Options(int maxIterations, double gradientTolerance, double relativeTolerance) {
        public Options {
            if (maxIterations < 1) {
                throw new IllegalArgumentException(
                        "maxIterations must be at least 1, got " + maxIterations);
            }
        }
    }

    /** The minimiser found, its value, and how many iterations and evaluations it took. */
    public record Result(double[] x, double value, int iterations, int evaluations) {}

    private Lbfgs() {}

    /** Minimises {@code objective} from {@code start} (not changed). */
    public static Result minimize(Objective objective, double[] start, Options options) {
        int n = start.length;
        double[] x = start.clone();
        double[] g = new double[n];
        double f = objective.valueAndGradient(x, g);
        int evaluations = 1;
        double[][] s = new double[MEMORY][n];
        double[][] y = new double[MEMORY][n];
        double[] rho = new double[MEMORY];
        double[] alpha = new double[MEMORY];
        int stored = 0;
        int newest = -1;
        double[] direction = new double[n];
        double[] next = new double[n];
        double[] nextGradient = new double[n];
        int iteration = 0;
        while (iteration < options.maxIterations() && maxAbs(g) > options.gradientTolerance()) {
            iteration++;
            // Two-loop recursion: direction = -H g.
            for (int i = 0; i < n; i++) {
                direction[i] = -g[i];
            }
            for (int m = 0; m < stored; m++) {
                int j = Math.floorMod(newest - m, MEMORY);
                alpha[j] = rho[j] * dot(s[j], direction);
                axpy(-alpha[j], y[j], direction);
            }
            if (stored > 0) {
                double gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
                for (int i = 0; i < n; i++) {
                    direction[i] *= gamma;
                }
            }
            for (int m = stored - 1; m >= 0; m--) {
                int j = Math.floorMod(newest - m, MEMORY);
                double beta = rho[j] * dot(y[j], direction);
                axpy(alpha[j] - beta, s[j], direction);
            }
            double slope = dot(g, direction);
            if (!(slope < 0)) {
                // Not a descent direction (rounding): start again from steepest descent.
                stored = 0;
                for (int i = 0; i < n; i++) {
                    direction[i] = -g[i];
                }
                slope = dot(g, direction);
            }
            double step = stored == 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
            double nextValue = Double.NaN;
            boolean accepted = false;
            for (int tries = 0; tries < MAX_BACKTRACKS; tries++) {
                for (int i = 0; i < n; i++) {
                    next[i] = x[i] + step * direction[i];
                }
                nextValue = objective.valueAndGradient(next, nextGradient);
                evaluations++;
                if (nextValue <= f + ARMIJO * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) {
                break; // no decrease found along the direction: as good as rounding allows
            }
            newest = (newest + 1) % MEMORY;
            double curvature = 0;
            double yy = 0;
            for (int i = 0; i < n; i++) {
                s[newest][i] = next[i] - x[i];
                y[newest][i] = nextGradient[i] - g[i];
                curvature += s[newest][i] * y[newest][i];
                yy += y[newest][i] * y[newest][i];
            }
            if (curvature > 1e-12 * yy && curvature > 0) {
                rho[newest] = 1 / curvature;
                stored = Math.min(stored + 1, MEMORY);
            } else {
                newest =
                        Math.floorMod(
                                newest - 1,
                                MEMORY); // the pair would spoil the curvature estimate: dropped
            }
            double decrease = f - nextValue;
            System.arraycopy(next, 0, x, 0, n);
            System.arraycopy(nextGradient, 0, g, 0, n);
            f = nextValue;
            if (decrease <= options.relativeTolerance() * Math.max(Math.abs(f), 1e-300)) {
                break;
            }
        }
        return new Result(x, f, iteration, evaluations);
    }

    private static double maxAbs(double[] v) {
        double max = 0;
        for (double value : v) {
            max = Math.max(max, Math.abs(value));
        }
        return max;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }
}
