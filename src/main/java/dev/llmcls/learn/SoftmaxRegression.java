package dev.llmcls.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Multinomial logistic regression: {@code P(class c | x) = softmax(W x + b)_c}, fitted by
 * minimising the mean cross-entropy over the training vectors plus {@code lambda / 2 * |W|^2} (the
 * bias is not penalised) with {@link Lbfgs}. {@link #crossValidated} chooses {@code lambda} from a
 * grid by k-fold cross-validation on the training vectors alone, then fits all of them with it.
 */
public final class SoftmaxRegression {
    /** The penalties tried, strongest first (each fit starts from the previous one's weights). */
    static final double[] LAMBDAS = {1e0, 3e-1, 1e-1, 3e-2, 1e-2};

    public static final int FOLDS = 5;
    static final Lbfgs.Options OPTIONS = new Lbfgs.Options(300, 1e-5, 1e-7);

    private SoftmaxRegression() {}

    /**
     * A fitted model: {@code classes} rows of {@code dimension} weights, then one bias per class,
     * over vectors standardised by {@code standardise} (null: as they are).
     */
    public record Model(
            int classes, int dimension, double[] parameters, Standardisation standardise) {
        public Model {
            if (parameters.length != classes * (dimension + 1)) {
                throw new IllegalArgumentException(
                        parameters.length
                                + " parameters for "
                                + classes
                                + " classes of "
                                + dimension
                                + " dimensions");
            }
        }

        public Model(int classes, int dimension, double[] parameters) {
            this(classes, dimension, parameters, null);
        }

        /** The class probabilities of {@code x}. */
        public double[] probabilities(float[] x) {
            if (x.length != dimension) {
                throw new IllegalArgumentException(
                        "a vector of length " + x.length + ", the model has " + dimension);
            }
            double[] z = new double[classes];
            logits(
                    parameters,
                    classes,
                    dimension,
                    standardise == null ? x : standardise.apply(x),
                    z);
            softmax(z);
            return z;
        }
    }

    /**
     * Each dimension shifted by its mean and divided by its standard deviation over the training
     * vectors (1 where that is 0): the penalty then weighs every dimension alike, and the minimiser
     * needs far fewer steps.
     */
    public record Standardisation(float[] mean, float[] scale) {
        static Standardisation of(float[][] x) {
            int dimension = dimension(x);
            double[] sum = new double[dimension];
            double[] squares = new double[dimension];
            for (float[] v : x) {
                for (int j = 0; j < dimension; j++) {
                    sum[j] += v[j];
                }
            }
            float[] mean = new float[dimension];
            for (int j = 0; j < dimension; j++) {
                mean[j] = (float) (sum[j] / x.length);
            }
            for (float[] v : x) {
                for (int j = 0; j < dimension; j++) {
                    double d = v[j] - mean[j];
                    squares[j] += d * d;
                }
            }
            float[] scale = new float[dimension];
            for (int j = 0; j < dimension; j++) {
                double sd = Math.sqrt(squares[j] / x.length);
                scale[j] = sd > 0 ? (float) (1 / sd) : 1;
            }
            return new Standardisation(mean, scale);
        }

        public float[] apply(float[] v) {
            float[] out = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                out[j] = (v[j] - mean[j]) * scale[j];
            }
            return out;
        }

        float[][] applyAll(float[][] x) {
            float[][] out = new float[x.length][];
            for (int i = 0; i < x.length; i++) {
                out[i] = apply(x[i]);
            }
            return out;
        }
    }

    /**
     * The choice of {@link #crossValidated}: the model, its penalty, and each penalty's
     * cross-validated figures.
     */
    public record Fit(Model model, double lambda, List<Score> scores, int iterations) {}

    /** One penalty's cross-validated accuracy and mean log-loss over all held-out vectors. */
    public record Score(double lambda, double accuracy, double logLoss) {}

    /** Fits the vectors with one penalty, starting from {@code start} (null: all zero). */
    public static Model fit(float[][] x, int[] y, int classes, double lambda, double[] start) {
        return new Model(classes, dimension(x), minimise(x, y, classes, lambda, start).x());
    }

    private static Lbfgs.Result minimise(
            float[][] x, int[] y, int classes, double lambda, double[] start) {
        int dimension = dimension(x);
        double[] from = start != null ? start : new double[classes * (dimension + 1)];
        return Lbfgs.minimize(loss(x, y, classes, lambda), from, OPTIONS);
    }

    /** The objective that {@link #fit} minimises (for tests). */
    static Lbfgs.Objective loss(float[][] x, int[] y, int classes, double lambda) {
        return new Loss(x, y, classes, lambda);
    }

    /**
     * Standardises the vectors ({@link Standardisation}: from all of them, labels unseen), then
     * chooses the penalty of {@link #LAMBDAS} with the lowest cross-validated log-loss over {@code
     * folds} folds (the vector at index {@code i} is held out in fold {@code i % folds}; ties go to
     * the stronger penalty), then fits every vector with it. The folds run on up to {@code threads}
     * threads; the result does not depend on how many.
     */
    public static Fit crossValidated(float[][] raw, int[] y, int classes, int folds, int threads) {
        check(raw, y, classes);
        Standardisation standardise = Standardisation.of(raw);
        float[][] x = standardise.applyAll(raw);
        if (folds < 2 || folds > x.length) {
            throw new IllegalArgumentException(
                    "folds must be between 2 and " + x.length + ", got " + folds);
        }
        double[][] heldOutLoss = new double[folds][];
        int[][] heldOutRight = new int[folds][];
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        Math.max(1, Math.min(threads, folds)),
                        runnable -> {
                            Thread thread = new Thread(runnable, "llmcls-cv");
                            thread.setDaemon(true);
                            return thread;
                        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int f = 0; f < folds; f++) {
                int fold = f;
                running.add(
                        pool.submit(
                                () -> {
                                    heldOutLoss[fold] = new double[LAMBDAS.length];
                                    heldOutRight[fold] = new int[LAMBDAS.length];
                                    evaluateFold(
                                            x,
                                            y,
                                            classes,
                                            folds,
                                            fold,
                                            heldOutLoss[fold],
                                            heldOutRight[fold]);
                                }));
            }
            for (Future<?> future : running) {
                join(future);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Score> scores = new ArrayList<>();
        int best = 0;
        for (int l = 0; l < LAMBDAS.length; l++) {
            double loss = 0;
            int right = 0;
            for (int f = 0; f < folds; f++) {
                loss += heldOutLoss[f][l];
                right += heldOutRight[f][l];
            }
            scores.add(new Score(LAMBDAS[l], (double) right / x.length, loss / x.length));
            if (scores.get(l).logLoss() < scores.get(best).logLoss()) {
                best = l;
            }
        }
        // The full fit follows the same path of penalties as the folds, down to the chosen one.
        double[] start = null;
        int iterations = 0;
        for (int l = 0; l <= best; l++) {
            Lbfgs.Result result = minimise(x, y, classes, LAMBDAS[l], start);
            start = result.x();
            iterations += result.iterations();
        }
        return new Fit(
                new Model(classes, dimension(x), start, standardise),
                LAMBDAS[best],
                List.copyOf(scores),
                iterations);
    }

    /**
     * Fits the fold's training part along the penalty path and sums the held-out log-loss and right
     * answers.
     */
    private static void evaluateFold(
            float[][] x, int[] y, int classes, int folds, int fold, double[] loss, int[] right) {
        int held = 0;
        for (int i = 0; i < x.length; i++) {
            held += i % folds == fold ? 1 : 0;
        }
        float[][] trainX = new float[x.length - held][];
        int[] trainY = new int[x.length - held];
        int t = 0;
        for (int i = 0; i < x.length; i++) {
            if (i % folds != fold) {
                trainX[t] = x[i];
                trainY[t++] = y[i];
            }
        }
        int dimension = dimension(x);
        double[] start = null;
        double[] z = new double[classes];
        for (int l = 0; l < LAMBDAS.length; l++) {
            start = minimise(trainX, trainY, classes, LAMBDAS[l], start).x();
            for (int i = fold; i < x.length; i += folds) {
                logits(start, classes, dimension, x[i], z);
                double logSum = logSumExp(z);
                loss[l] += logSum - z[y[i]];
                right[l] += argmax(z) == y[i] ? 1 : 0;
            }
        }
    }

    /** The penalised mean cross-entropy and its gradient. */
    private static final class Loss implements Lbfgs.Objective {
        private final float[][] x;
        private final int[] y;
        private final int classes;
        private final double lambda;
        private final int dimension;
        private final double[] z;

        Loss(float[][] x, int[] y, int classes, double lambda) {
            check(x, y, classes);
            this.x = x;
            this.y = y;
            this.classes = classes;
            this.lambda = lambda;
            this.dimension = dimension(x);
            this.z = new double[classes];
        }

        @Override
        public double valueAndGradient(double[] w, double[] gradient) {
            java.util.Arrays.fill(gradient, 0);
            int n = x.length;
            int biases = classes * dimension;
            double loss = 0;
            for (int i = 0; i < n; i++) {
                float[] xi = x[i];
                logits(w, classes, dimension, xi, z);
                double logSum = logSumExp(z);
                loss += logSum - z[y[i]];
                for (int c = 0; c < classes; c++) {
                    double residual = StrictMath.exp(z[c] - logSum) - (c == y[i] ? 1 : 0);
                    int row = c * dimension;
                    for (int j = 0; j < dimension; j++) {
                        gradient[row + j] += residual * xi[j];
                    }
                    gradient[biases + c] += residual;
                }
            }
            double penalty = 0;
            for (int k = 0; k < biases; k++) {
                penalty += w[k] * w[k];
            }
            for (int k = 0; k < gradient.length; k++) {
                gradient[k] /= n;
            }
            for (int k = 0; k < biases; k++) {
                gradient[k] += lambda * w[k];
            }
            return loss / n + 0.5 * lambda * penalty;
        }
    }

    static void logits(double[] w, int classes, int dimension, float[] x, double[] z) {
        int biases = classes * dimension;
        for (int c = 0; c < classes; c++) {
            int row = c * dimension;
            double sum = w[biases + c];
            for (int j = 0; j < dimension; j++) {
                sum += w[row + j] * x[j];
            }
            z[c] = sum;
        }
    }

    private static double logSumExp(double[] z) {
        double max = z[0];
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += StrictMath.exp(v - max);
        }
        return max + StrictMath.log(sum);
    }

    private static void softmax(double[] z) {
        double logSum = logSumExp(z);
        for (int c = 0; c < z.length; c++) {
            z[c] = StrictMath.exp(z[c] - logSum);
        }
    }

    private static int argmax(double[] z) {
        int best = 0;
        for (int c = 1; c < z.length; c++) {
            if (z[c] > z[best]) {
                best = c;
            }
        }
        return best;
    }

    private static int dimension(float[][] x) {
        return x.length == 0 ? 0 : x[0].length;
    }

    private static void check(float[][] x, int[] y, int classes) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException(x.length + " vectors and " + y.length + " labels");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("at least two classes, got " + classes);
        }
        int dimension = x[0].length;
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != dimension) {
                throw new IllegalArgumentException(
                        "vectors of lengths " + dimension + " and " + x[i].length);
            }
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException(
                        "label " + y[i] + " outside 0.." + (classes - 1));
            }
        }
    }

    private static void join(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cross-validating", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
