package dev.llmcls.eval;

import java.util.Arrays;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.distribution.discrete.BinomialDistribution;
import org.hipparchus.random.RandomGenerator;
import org.hipparchus.random.Well19937c;
import org.hipparchus.stat.descriptive.rank.Percentile;

/**
 * The statistics of an evaluation: intervals for an accuracy and for a paired difference, McNemar's
 * exact test.
 */
public final class Statistics {
    /** The normal quantile of a two-sided 95 % interval (1.95996...). */
    public static final double Z95 = new NormalDistribution().inverseCumulativeProbability(0.975);

    private Statistics() {}

    /**
     * Wilson's score interval (95 %) for {@code successes} out of {@code trials}; [0, 1] when there
     * are none.
     */
    public static Interval wilson(long successes, long trials) {
        if (trials == 0) {
            return new Interval(0, 1);
        }
        double n = trials;
        double p = successes / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /**
     * McNemar's exact test: the two-sided p-value of seeing {@code onlyA} and {@code onlyB}
     * discordant pairs when either is equally likely, {@code min(1, 2 * P[X <= min(onlyA, onlyB)])}
     * for {@code X ~ Binomial(onlyA + onlyB, 1/2)}; 1 when there are no discordant pairs.
     */
    public static double mcnemarExact(long onlyA, long onlyB) {
        long discordant = onlyA + onlyB;
        if (discordant == 0) {
            return 1.0;
        }
        var binomial = new BinomialDistribution(Math.toIntExact(discordant), 0.5);
        return Math.min(1.0, 2 * binomial.cumulativeProbability((int) Math.min(onlyA, onlyB)));
    }

    /**
     * A 95 % percentile bootstrap interval for the paired accuracy difference B − A over {@code
     * pairs} examples, of which {@code onlyA} only A got right and {@code onlyB} only B. Resampling
     * the pairs with replacement only changes how many of each kind are drawn, which is
     * multinomial; so each resample draws the two discordant counts ({@code onlyA* ~ Bin(n,
     * onlyA/n)}, then {@code onlyB* ~ Bin(n − onlyA*, onlyB/(n − onlyA))}) instead of n indices:
     * the same distribution in constant time per resample. Deterministic for a given {@code seed}.
     */
    public static Interval bootstrapDifference(
            long pairs, long onlyA, long onlyB, int resamples, long seed) {
        if (pairs == 0) {
            return new Interval(0, 0);
        }
        int n = Math.toIntExact(pairs);
        RandomGenerator random = new Well19937c(seed);
        double pA = (double) onlyA / n;
        double pBGivenNotA = onlyA == n ? 0 : (double) onlyB / (n - onlyA);
        var first = new BinomialDistribution(n, pA);
        double[] differences = new double[resamples];
        for (int i = 0; i < resamples; i++) {
            int a = onlyA == 0 ? 0 : sample(first, random);
            int b =
                    onlyB == 0 || n - a == 0
                            ? 0
                            : sample(new BinomialDistribution(n - a, pBGivenNotA), random);
            differences[i] = (double) (b - a) / n;
        }
        Arrays.sort(differences);
        var percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        percentile.setData(differences);
        return new Interval(percentile.evaluate(2.5), percentile.evaluate(97.5));
    }

    /**
     * One draw by inversion, {@code F^-1(U)} for a uniform {@code U} from {@code random}: the
     * sampling commons-math3's {@code sample()} did, kept so that a seed gives the intervals it
     * always gave.
     */
    private static int sample(BinomialDistribution distribution, RandomGenerator random) {
        return distribution.inverseCumulativeProbability(random.nextDouble());
    }
}
