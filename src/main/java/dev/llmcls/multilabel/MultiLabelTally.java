package dev.llmcls.multilabel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Accumulates a multi-label run's examples one at a time (counts only, nothing per example is kept)
 * and computes {@link MultiLabelMetrics} from them; see there for the definitions.
 */
public final class MultiLabelTally {
    private final List<String> labels;
    private final long[] truePositives;
    private final long[] predicted;
    private final long[] support;
    private long examples;
    private long errors;
    private long noLabel;
    private long subsetRight;
    private long wrongDecisions;
    private double sampleF1Sum;
    private long goldLabels;
    private long predictedLabels;

    /**
     * Threshold sweep counts per label and threshold: true positives, false positives, false
     * negatives.
     */
    private final long[][] sweepTp;

    private final long[][] sweepFp;
    private final long[][] sweepFn;
    private long sweepExamples;

    public MultiLabelTally(List<String> labels) {
        this.labels = List.copyOf(labels);
        int k = labels.size();
        truePositives = new long[k];
        predicted = new long[k];
        support = new long[k];
        int t = ThresholdSweep.THRESHOLDS.size();
        sweepTp = new long[k][t];
        sweepFp = new long[k][t];
        sweepFn = new long[k][t];
    }

    /**
     * Adds one example: its gold label indices, the indices its answer names ({@code null} for a
     * failed record) and its label probabilities in label order ({@code null} when it has none).
     */
    public void add(Set<Integer> gold, Set<Integer> answer, double[] probabilities) {
        examples++;
        boolean failed = answer == null;
        Set<Integer> named = failed ? Set.of() : answer;
        errors += failed ? 1 : 0;
        noLabel += !failed && named.isEmpty() ? 1 : 0;
        int both = 0;
        for (int label : gold) {
            support[label]++;
            if (named.contains(label)) {
                both++;
                truePositives[label]++;
            }
        }
        for (int label : named) {
            predicted[label]++;
        }
        goldLabels += gold.size();
        predictedLabels += named.size();
        wrongDecisions += gold.size() + named.size() - 2L * both;
        if (!failed) {
            subsetRight += gold.equals(named) ? 1 : 0;
            sampleF1Sum +=
                    gold.isEmpty() && named.isEmpty()
                            ? 1
                            : 2.0 * both / (gold.size() + named.size());
        }
        if (probabilities != null) {
            if (probabilities.length != labels.size()) {
                throw new IllegalArgumentException(
                        probabilities.length + " probabilities for " + labels.size() + " labels");
            }
            sweepExamples++;
            for (int label = 0; label < labels.size(); label++) {
                boolean isGold = gold.contains(label);
                for (int t = 0; t < ThresholdSweep.THRESHOLDS.size(); t++) {
                    boolean above = probabilities[label] >= ThresholdSweep.THRESHOLDS.get(t);
                    sweepTp[label][t] += above && isGold ? 1 : 0;
                    sweepFp[label][t] += above && !isGold ? 1 : 0;
                    sweepFn[label][t] += !above && isGold ? 1 : 0;
                }
            }
        }
    }

    public MultiLabelMetrics metrics() {
        int k = labels.size();
        var perLabel = new ArrayList<LabelMetrics>(k);
        long tp = 0;
        long predictedAll = 0;
        long supportAll = 0;
        double f1Sum = 0;
        int f1Labels = 0;
        for (int label = 0; label < k; label++) {
            LabelMetrics metrics =
                    LabelMetrics.of(
                            labels.get(label),
                            truePositives[label],
                            predicted[label],
                            support[label]);
            perLabel.add(metrics);
            tp += truePositives[label];
            predictedAll += predicted[label];
            supportAll += support[label];
            if (support[label] > 0 || predicted[label] > 0) {
                f1Sum += metrics.f1();
                f1Labels++;
            }
        }
        double microPrecision = predictedAll == 0 ? 0 : (double) tp / predictedAll;
        double microRecall = supportAll == 0 ? 0 : (double) tp / supportAll;
        return new MultiLabelMetrics(
                examples,
                share(subsetRight, examples),
                subsetRight,
                examples == 0 ? 0 : (double) wrongDecisions / ((double) examples * k),
                microPrecision,
                microRecall,
                LabelMetrics.f1(microPrecision, microRecall),
                f1Labels == 0 ? 0 : f1Sum / f1Labels,
                examples == 0 ? 0 : sampleF1Sum / examples,
                errors,
                noLabel,
                share(goldLabels, examples),
                share(predictedLabels, examples),
                perLabel,
                sweepExamples == 0 ? null : sweep());
    }

    private ThresholdSweep sweep() {
        int k = labels.size();
        List<Double> thresholds = ThresholdSweep.THRESHOLDS;
        var microF1 = new ArrayList<Double>(thresholds.size());
        for (int t = 0; t < thresholds.size(); t++) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            for (int label = 0; label < k; label++) {
                tp += sweepTp[label][t];
                fp += sweepFp[label][t];
                fn += sweepFn[label][t];
            }
            microF1.add(f1(tp, fp, fn));
        }
        var perLabel = new ArrayList<ThresholdSweep.LabelThreshold>(k);
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int label = 0; label < k; label++) {
            int best = 0;
            for (int t = 1; t < thresholds.size(); t++) {
                if (f1(sweepTp[label][t], sweepFp[label][t], sweepFn[label][t])
                        > f1(sweepTp[label][best], sweepFp[label][best], sweepFn[label][best])) {
                    best = t;
                }
            }
            long labelTp = sweepTp[label][best];
            long labelFp = sweepFp[label][best];
            long labelFn = sweepFn[label][best];
            tp += labelTp;
            fp += labelFp;
            fn += labelFn;
            double precision = labelTp + labelFp == 0 ? 0 : (double) labelTp / (labelTp + labelFp);
            double recall = labelTp + labelFn == 0 ? 0 : (double) labelTp / (labelTp + labelFn);
            perLabel.add(
                    new ThresholdSweep.LabelThreshold(
                            labels.get(label),
                            thresholds.get(best),
                            precision,
                            recall,
                            f1(labelTp, labelFp, labelFn),
                            labelTp + labelFn));
        }
        return new ThresholdSweep(sweepExamples, thresholds, microF1, perLabel, f1(tp, fp, fn));
    }

    /** F1 from counts: 2tp / (2tp + fp + fn), 0 when all are 0. */
    static double f1(long tp, long fp, long fn) {
        long denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 0 : 2.0 * tp / denominator;
    }

    private static double share(long count, long of) {
        return of == 0 ? 0 : (double) count / of;
    }
}
