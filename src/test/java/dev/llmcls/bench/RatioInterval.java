package dev.llmcls.bench;

import org.hipparchus.distribution.continuous.TDistribution;

/**
 * The geometric mean of paired ratios (a round's on / off) and its 95 % interval: Student's t on
 * the ratios' logarithms, since a ratio's spread is multiplicative (0.9 and 1.1 are not equally far
 * from 1 on the scale that matters) and a handful of rounds is too few for a normal approximation.
 */
record RatioInterval(double mean, double low, double high) {
    static RatioInterval of(double[] ratios) {
        int n = ratios.length;
        if (n == 0) {
            return new RatioInterval(Double.NaN, Double.NaN, Double.NaN);
        }
        double sum = 0;
        for (double ratio : ratios) {
            sum += Math.log(ratio);
        }
        double mean = sum / n;
        if (n == 1) {
            return new RatioInterval(Math.exp(mean), Double.NaN, Double.NaN);
        }
        double squares = 0;
        for (double ratio : ratios) {
            squares += Math.pow(Math.log(ratio) - mean, 2);
        }
        double standardError = Math.sqrt(squares / (n - 1) / n);
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.975);
        return new RatioInterval(
                Math.exp(mean),
                Math.exp(mean - t * standardError),
                Math.exp(mean + t * standardError));
    }
}
