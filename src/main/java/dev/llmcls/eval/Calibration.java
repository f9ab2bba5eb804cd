package dev.llmcls.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.hipparchus.stat.descriptive.moment.Variance;
import org.hipparchus.stat.ranking.NaNStrategy;
import org.hipparchus.stat.ranking.NaturalRanking;
import org.hipparchus.stat.ranking.TiesStrategy;

/**
 * How well a run's confidence matches its accuracy, from per-example confidence (the probability of
 * the predicted label) and whether the prediction is right, plus the full distributions where the
 * run has them.
 *
 * <ul>
 *   <li>Expected calibration error: confidences in {@value #BINS} equal-width bins ({@code
 *       ((m-1)/M, m/M]}, a confidence of 0 in the first), {@code sum_b (n_b / N) |accuracy_b - mean
 *       confidence_b|} (Guo et al. 2017).
 *   <li>Brier score: the mean over examples of {@code sum_k (p_k - y_k)^2} over the labels (Brier
 *       1950; 0 is perfect, 2 the worst). Negative log-likelihood: the mean of {@code -ln p(gold)},
 *       probabilities clamped at {@value #MIN_PROBABILITY}.
 *   <li>AUROC of confidence for "the prediction is right": the Mann-Whitney statistic from average
 *       ranks (Hipparchus's {@link NaturalRanking}), with DeLong's 95 % interval.
 *   <li>Risk-coverage: the examples taken in order of falling confidence, the error rate among the
 *       most confident {@code k} for each {@code k}; tied confidences count as taken in random
 *       order (their expected error). Its area (AURC) is the mean risk over {@code k = 1..N}.
 *       Accuracy at coverage c keeps the {@code ceil(c N)} most confident examples.
 * </ul>
 */
public final class Calibration {
    public static final int BINS = 15;
    public static final double MIN_PROBABILITY = 1e-15;
    public static final List<Double> COVERAGES = List.of(0.5, 0.8, 0.9, 1.0);

    /**
     * One reliability-diagram bin: its range, how many examples, their mean confidence and
     * accuracy.
     */
    public record Bin(double low, double high, long count, double confidence, double accuracy) {}

    /** A point of the risk-coverage curve. */
    public record Point(double coverage, double risk) {}

    private Calibration() {}

    public static List<Bin> reliability(double[] confidence, boolean[] right) {
        long[] count = new long[BINS];
        double[] confidenceSum = new double[BINS];
        long[] rightCount = new long[BINS];
        for (int i = 0; i < confidence.length; i++) {
            int bin = bin(confidence[i]);
            count[bin]++;
            confidenceSum[bin] += confidence[i];
            rightCount[bin] += right[i] ? 1 : 0;
        }
        var bins = new ArrayList<Bin>(BINS);
        for (int b = 0; b < BINS; b++) {
            bins.add(
                    new Bin(
                            (double) b / BINS,
                            (double) (b + 1) / BINS,
                            count[b],
                            count[b] == 0 ? Double.NaN : confidenceSum[b] / count[b],
                            count[b] == 0 ? Double.NaN : (double) rightCount[b] / count[b]));
        }
        return bins;
    }

    static int bin(double confidence) {
        return Math.min(BINS - 1, Math.max(0, (int) Math.ceil(confidence * BINS) - 1));
    }

    public static double ece(double[] confidence, boolean[] right) {
        double ece = 0;
        for (Bin bin : reliability(confidence, right)) {
            if (bin.count() > 0) {
                ece +=
                        (double) bin.count()
                                / confidence.length
                                * Math.abs(bin.accuracy() - bin.confidence());
            }
        }
        return ece;
    }

    /** The mean multi-class Brier score; {@code gold[i]} indexes {@code distributions[i]}. */
    public static double brier(double[][] distributions, int[] gold) {
        double sum = 0;
        for (int i = 0; i < distributions.length; i++) {
            for (int k = 0; k < distributions[i].length; k++) {
                double y = k == gold[i] ? 1 : 0;
                sum += (distributions[i][k] - y) * (distributions[i][k] - y);
            }
        }
        return sum / distributions.length;
    }

    public static double nll(double[][] distributions, int[] gold) {
        double sum = 0;
        for (int i = 0; i < distributions.length; i++) {
            sum -= Math.log(Math.max(MIN_PROBABILITY, distributions[i][gold[i]]));
        }
        return sum / distributions.length;
    }

    /**
     * AUROC with DeLong's 95 % interval; null when every prediction is right or every one is wrong.
     */
    public record Auroc(double value, Interval ci95) {}

    public static Auroc auroc(double[] confidence, boolean[] right) {
        int n = confidence.length;
        int positives = 0;
        for (boolean r : right) {
            positives += r ? 1 : 0;
        }
        int negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        var ranking = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);
        double[] all = ranking.rank(confidence);
        double[] pos = new double[positives];
        double[] neg = new double[negatives];
        int p = 0;
        int q = 0;
        for (int i = 0; i < n; i++) {
            if (right[i]) {
                pos[p++] = confidence[i];
            } else {
                neg[q++] = confidence[i];
            }
        }
        double[] posRanks = ranking.rank(pos);
        double[] negRanks = ranking.rank(neg);
        double[] v10 = new double[positives];
        double[] v01 = new double[negatives];
        double rankSum = 0;
        p = 0;
        q = 0;
        for (int i = 0; i < n; i++) {
            if (right[i]) {
                rankSum += all[i];
                // Placement of a right example: the share of wrong ones it outranks (ties count
                // half).
                v10[p] = (all[i] - posRanks[p]) / negatives;
                p++;
            } else {
                // Placement of a wrong example: the share of right ones that outrank it.
                v01[q] = 1 - (all[i] - negRanks[q]) / positives;
                q++;
            }
        }
        double auc =
                (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
        var variance = new Variance(true);
        double s10 = positives > 1 ? variance.evaluate(v10) : 0;
        double s01 = negatives > 1 ? variance.evaluate(v01) : 0;
        double se = Math.sqrt(s10 / positives + s01 / negatives);
        return new Auroc(
                auc,
                new Interval(
                        Math.max(0, auc - Statistics.Z95 * se),
                        Math.min(1, auc + Statistics.Z95 * se)));
    }

    /**
     * The expected number of errors among the {@code k} most confident examples, for {@code k =
     * 0..N}: ties in confidence are spread evenly, as if taken in random order.
     */
    static double[] errorsTaken(double[] confidence, boolean[] right) {
        int n = confidence.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> confidence[i]).reversed());
        double[] errors = new double[n + 1];
        int start = 0;
        while (start < n) {
            int end = start;
            int groupErrors = 0;
            while (end < n && confidence[order[end]] == confidence[order[start]]) {
                groupErrors += right[order[end]] ? 0 : 1;
                end++;
            }
            double rate = (double) groupErrors / (end - start);
            for (int k = start + 1; k <= end; k++) {
                errors[k] = errors[start] + (k - start) * rate;
            }
            start = end;
        }
        return errors;
    }

    /** The risk at every coverage {@code k/N}, k = 1..N. */
    public static List<Point> riskCoverage(double[] confidence, boolean[] right) {
        double[] errors = errorsTaken(confidence, right);
        int n = confidence.length;
        var points = new ArrayList<Point>(n);
        for (int k = 1; k <= n; k++) {
            points.add(new Point((double) k / n, errors[k] / k));
        }
        return points;
    }

    public static double aurc(double[] confidence, boolean[] right) {
        double sum = 0;
        for (Point point : riskCoverage(confidence, right)) {
            sum += point.risk();
        }
        return sum / confidence.length;
    }

    /** Accuracy among the {@code ceil(coverage N)} most confident examples. */
    public static double accuracyAtCoverage(double[] confidence, boolean[] right, double coverage) {
        double[] errors = errorsTaken(confidence, right);
        int n = confidence.length;
        int k = Math.max(1, (int) Math.ceil(coverage * n - 1e-9));
        return 1 - errors[k] / k;
    }
}
