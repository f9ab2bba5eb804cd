package dev.llmcls.label;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Probability distributions over the labels: softmax, renormalising, the arg-max, and the two bias
 * corrections.
 */
public final class LabelDistribution {
    private LabelDistribution() {}

    /**
     * {@code exp(s_i - max) / sum_j exp(s_j - max)}: a distribution from log-scores, computed
     * without overflow.
     */
    public static double[] softmax(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double[] p = new double[scores.length];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(scores[i] - max);
            total += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    /** The weights divided by their sum; null when they sum to nothing. */
    public static double[] normalise(double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        if (!(total > 0)) {
            return null;
        }
        double[] p = new double[weights.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = weights[i] / total;
        }
        return p;
    }

    /** The index of the largest probability; a tie goes to the earlier label. */
    public static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Divides a distribution by a reference distribution and renormalises: {@code q_i ∝ p_i / r_i}.
     * With the averaged distribution of content-free inputs as {@code r} this is Zhao et al. 2021's
     * contextual calibration ({@code W = diag(r)^-1}, {@code b = 0}); with the mean distribution
     * over the run's own examples it is Zhou et al. 2024's batch calibration (subtracting {@code
     * log r} from the log-probabilities).
     */
    public static double[] divide(double[] p, double[] reference) {
        double[] w = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            w[i] = p[i] / reference[i];
        }
        return normalise(w);
    }

    /** The element-wise mean of several distributions. */
    public static double[] mean(List<double[]> distributions) {
        double[] mean = new double[distributions.get(0).length];
        for (double[] d : distributions) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += d[i] / distributions.size();
            }
        }
        return mean;
    }

    /** The distribution as label name → probability, in label order (what records hold). */
    public static Map<String, Double> byName(List<String> labels, double[] p) {
        var map = new LinkedHashMap<String, Double>();
        for (int i = 0; i < p.length; i++) {
            map.put(labels.get(i), p[i]);
        }
        return map;
    }
}
