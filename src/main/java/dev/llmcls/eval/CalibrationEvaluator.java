package dev.llmcls.eval;

import dev.llmcls.label.LabelDistribution;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Calibration figures for a run whose records carry probabilities: the raw confidence, the vote
 * share of a voting run, and the label-bias corrections asked for (contextual needs the
 * content-free distribution that {@code classify --calibrate contextual} measured; batch uses the
 * run's own mean distribution).
 */
public final class CalibrationEvaluator {
    /** Most points of a risk-coverage curve written out (the area is computed from all of them). */
    static final int CURVE_POINTS = 200;

    private CalibrationEvaluator() {}

    /**
     * Scores the calibration of one run file's probabilities, raw and after each correction.
     *
     * @param contentFree the content-free mean distribution in label order, or null
     * @param corrections which corrections to apply: "contextual", "batch"
     * @return nothing when the run's records carry no probabilities
     */
    public static List<CalibrationResult> evaluate(
            Path file, List<String> labels, double[] contentFree, List<String> corrections) {
        Map<String, ProbabilityRecords.Entry> entries = ProbabilityRecords.read(file, labels);
        var results = new ArrayList<CalibrationResult>();
        if (entries.isEmpty()) {
            return results;
        }
        var confidence = new ArrayList<Double>();
        var right = new ArrayList<Boolean>();
        var distributions = new ArrayList<double[]>();
        var gold = new ArrayList<Integer>();
        var predicted = new ArrayList<Integer>();
        var votes = new ArrayList<Double>();
        var voteRight = new ArrayList<Boolean>();
        long readAtFirstToken = 0;
        long bounded = 0;
        for (ProbabilityRecords.Entry entry : entries.values()) {
            Double c =
                    entry.confidence() != null
                            ? entry.confidence()
                            : entry.distribution() != null && entry.predicted() >= 0
                                    ? entry.distribution()[entry.predicted()]
                                    : null;
            if (c != null) {
                confidence.add(c);
                right.add(entry.predicted() >= 0 && entry.predicted() == entry.gold());
                if (entry.unlisted() != null) {
                    readAtFirstToken++;
                    bounded += entry.unlisted() > 0 ? 1 : 0;
                }
            }
            if (entry.voteShare() != null) {
                votes.add(entry.voteShare());
                voteRight.add(entry.predicted() >= 0 && entry.predicted() == entry.gold());
            }
            if (entry.distribution() != null && entry.gold() >= 0) {
                distributions.add(entry.distribution());
                gold.add(entry.gold());
                predicted.add(entry.predicted());
            }
        }
        String name = file.toString();
        if (!confidence.isEmpty()) {
            double[][] full =
                    distributions.size() == confidence.size()
                            ? distributions.toArray(double[][]::new)
                            : null;
            results.add(
                    result(
                                    name,
                                    "confidence",
                                    doubles(confidence),
                                    booleans(right),
                                    full,
                                    full == null ? null : ints(gold),
                                    null,
                                    null)
                            .withBoundedExamples(readAtFirstToken > 0 ? bounded : null));
        }
        if (!votes.isEmpty()) {
            results.add(
                    result(
                            name,
                            "vote_share",
                            doubles(votes),
                            booleans(voteRight),
                            null,
                            null,
                            null,
                            null));
        }
        for (String correction : corrections) {
            if (distributions.isEmpty()) {
                continue;
            }
            double[] reference =
                    switch (correction) {
                        case "contextual" -> contentFree;
                        case "batch" -> LabelDistribution.mean(distributions);
                        default ->
                                throw new IllegalArgumentException(
                                        "unknown correction " + correction);
                    };
            if (reference == null) {
                continue;
            }
            int n = distributions.size();
            double[][] calibrated = new double[n][];
            double[] c = new double[n];
            boolean[] r = new boolean[n];
            long onlyRaw = 0;
            long onlyCalibrated = 0;
            long rawRight = 0;
            long calibratedRight = 0;
            for (int i = 0; i < n; i++) {
                calibrated[i] = LabelDistribution.divide(distributions.get(i), reference);
                int choice = LabelDistribution.argmax(calibrated[i]);
                c[i] = calibrated[i][choice];
                r[i] = choice == gold.get(i);
                boolean raw = predicted.get(i) == (int) gold.get(i);
                rawRight += raw ? 1 : 0;
                calibratedRight += r[i] ? 1 : 0;
                onlyRaw += raw && !r[i] ? 1 : 0;
                onlyCalibrated += r[i] && !raw ? 1 : 0;
            }
            var versus =
                    new CalibrationResult.VersusRaw(
                            n,
                            (double) rawRight / n,
                            (double) calibratedRight / n,
                            onlyRaw,
                            onlyCalibrated,
                            Statistics.mcnemarExact(onlyRaw, onlyCalibrated));
            results.add(
                    result(
                            name,
                            correction,
                            c,
                            r,
                            calibrated,
                            ints(gold),
                            LabelDistribution.byName(labels, reference),
                            versus));
        }
        return results;
    }

    static CalibrationResult result(
            String file,
            String variant,
            double[] confidence,
            boolean[] right,
            double[][] distributions,
            int[] gold,
            Map<String, Double> reference,
            CalibrationResult.VersusRaw versus) {
        long correct = 0;
        for (boolean r : right) {
            correct += r ? 1 : 0;
        }
        Calibration.Auroc auroc = Calibration.auroc(confidence, right);
        var atCoverage = new LinkedHashMap<String, Double>();
        for (double coverage : Calibration.COVERAGES) {
            atCoverage.put(
                    String.format(Locale.ROOT, "%.0f%%", coverage * 100),
                    Calibration.accuracyAtCoverage(confidence, right, coverage));
        }
        return new CalibrationResult(
                file,
                variant,
                confidence.length,
                (double) correct / confidence.length,
                Calibration.ece(confidence, right),
                Calibration.BINS,
                distributions == null ? null : Calibration.brier(distributions, gold),
                distributions == null ? null : Calibration.nll(distributions, gold),
                auroc == null ? null : auroc.value(),
                auroc == null ? null : auroc.ci95(),
                Calibration.aurc(confidence, right),
                atCoverage,
                reference,
                versus,
                Calibration.reliability(confidence, right),
                thin(Calibration.riskCoverage(confidence, right)));
    }

    /**
     * At most {@value #CURVE_POINTS} points, evenly spread over the coverage, always keeping the
     * last.
     */
    static List<Calibration.Point> thin(List<Calibration.Point> points) {
        if (points.size() <= CURVE_POINTS) {
            return points;
        }
        var thinned = new ArrayList<Calibration.Point>(CURVE_POINTS);
        for (int j = 1; j <= CURVE_POINTS; j++) {
            thinned.add(
                    points.get((int) Math.round((double) j * points.size() / CURVE_POINTS) - 1));
        }
        return thinned;
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean[] booleans(List<Boolean> values) {
        boolean[] array = new boolean[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
