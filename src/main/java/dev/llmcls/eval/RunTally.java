package dev.llmcls.eval;

import dev.llmcls.core.InputException;
import dev.llmcls.data.LabelSet;
import dev.llmcls.runfile.EvalRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-example outcomes of one run, a few bytes per example: gold label, each scorer's
 * prediction code and the seed rule's verdict. A newer record for the same id overwrites an older
 * one.
 */
final class RunTally {
    static final short NO_LABEL = (short) Scorer.NO_LABEL;
    static final short MULTI_LABEL = (short) Scorer.MULTI_LABEL;
    static final short ERROR = -3;
    private static final short ABSENT = -1;

    final String name;
    final List<Evaluator.Part> parts;

    /** The file being read, for error messages. */
    Path reading;

    final LabelSet labels;
    private final List<Scorer.Reading> readings = new ArrayList<>();
    private final Map<String, Integer> labelIndex = new HashMap<>();
    private short[] gold = new short[0];

    /**
     * Per scorer (in {@link Scorers#ALL} order): each slot's prediction code and whether it is
     * right.
     */
    private final short[][] predictions = new short[Scorers.ALL.size()][0];

    private final BitSet[] right = new BitSet[Scorers.ALL.size()];
    private float[] topVoteShare;
    private final BitSet voteTie = new BitSet();
    private final BitSet empty = new BitSet();
    private final BitSet constraintBroken = new BitSet();
    private int[] promptTokens = new int[0];
    private int[] completionTokens = new int[0];
    int truncatedLines;

    /** Whether some record carries probabilities (calibration's input). */
    private boolean probabilities;

    RunTally(String name, List<Evaluator.Part> parts, LabelSet labels) {
        this.name = name;
        this.parts = parts;
        this.labels = labels;
        if (labels.size() > Short.MAX_VALUE) {
            throw new InputException("too many labels: " + labels.size());
        }
        for (int s = 0; s < Scorers.ALL.size(); s++) {
            readings.add(Scorers.ALL.get(s).reading(labels));
            right[s] = new BitSet();
        }
        for (int i = 0; i < labels.size(); i++) {
            labelIndex.put(labels.name(i), i);
        }
    }

    void add(EvalRecord record, int slot) {
        put(score(record), slot, record.line());
    }

    /**
     * A record's outcome under every scorer, computed apart from the tally (safe on several threads
     * at once, so that parsing threads can score as they parse); {@link #put} stores it.
     */
    Scored score(EvalRecord record) {
        // The id's hash is computed here, on the parsing thread (a string keeps it), not by the
        // consumer's IdIndex.
        var unused = record.id().hashCode();
        Integer goldIndex = record.gold() == null ? null : labelIndex.get(record.gold());
        if (goldIndex == null) {
            return new Scored(
                    record.id(),
                    record.gold(),
                    -1,
                    null,
                    0,
                    false,
                    Float.NaN,
                    false,
                    -1,
                    -1,
                    false,
                    false,
                    false);
        }
        int prompt = record.promptTokens() == null ? -1 : record.promptTokens();
        int completion = record.completionTokens() == null ? -1 : record.completionTokens();
        if (record.failed()) {
            return new Scored(
                    record.id(),
                    record.gold(),
                    goldIndex,
                    null,
                    0,
                    false,
                    Float.NaN,
                    false,
                    prompt,
                    completion,
                    record.probabilities(),
                    record.emptyAnswer(),
                    broken(record));
        }
        float share = Float.NaN;
        boolean tie = false;
        Map<String, Integer> votes = record.votes();
        boolean hasVotes = votes != null && !votes.isEmpty();
        if (hasVotes) {
            long total = 0;
            int max = 0;
            for (int count : votes.values()) {
                total += count;
                max = Math.max(max, count);
            }
            share = total == 0 ? Float.NaN : (float) max / total;
            tie = StrictScorer.topVoted(votes).size() > 1;
        }
        short[] codes = new short[readings.size()];
        int rightBits = 0;
        for (int s = 0; s < codes.length; s++) {
            Scorer.Verdict verdict = readings.get(s).read(record, goldIndex);
            codes[s] = (short) verdict.prediction();
            rightBits |= verdict.right() ? 1 << s : 0;
        }
        return new Scored(
                record.id(),
                record.gold(),
                goldIndex,
                codes,
                rightBits,
                hasVotes,
                share,
                tie,
                prompt,
                completion,
                record.probabilities(),
                record.emptyAnswer(),
                broken(record));
    }

    /**
     * One record's outcomes: {@code gold} -1 when the gold name is not a label; {@code predictions}
     * null for a failed record.
     */
    record Scored(
            String id,
            String goldName,
            int gold,
            short[] predictions,
            int rightBits,
            boolean hasVotes,
            float voteShare,
            boolean voteTie,
            int promptTokens,
            int completionTokens,
            boolean probabilities,
            boolean emptyAnswer,
            boolean constraintBroken) {}

    private static boolean broken(EvalRecord record) {
        return record.constraint() != null && record.error() == null && record.constraintBroken();
    }

    /**
     * Stores a scored record (from line {@code line} of the file) in {@code slot}, replacing an
     * older one.
     */
    void put(Scored scored, int slot, long line) {
        if (scored.gold() < 0) {
            throw InputException.at(
                    reading,
                    line,
                    "gold label '"
                            + scored.goldName()
                            + "' is not in the label list "
                            + labels.names()
                            + " (give the run's labels with --labels)");
        }
        ensureCapacity(slot + 1);
        probabilities |= scored.probabilities();
        gold[slot] = (short) scored.gold();
        promptTokens[slot] = scored.promptTokens();
        completionTokens[slot] = scored.completionTokens();
        empty.set(slot, scored.emptyAnswer());
        constraintBroken.set(slot, scored.constraintBroken());
        if (scored.predictions() == null) {
            for (int s = 0; s < predictions.length; s++) {
                predictions[s][slot] = ERROR;
                right[s].clear(slot);
            }
            return;
        }
        if (scored.hasVotes()) {
            if (topVoteShare == null) {
                topVoteShare = new float[gold.length];
                Arrays.fill(topVoteShare, Float.NaN);
            }
            topVoteShare[slot] = scored.voteShare();
            voteTie.set(slot, scored.voteTie());
        }
        for (int s = 0; s < predictions.length; s++) {
            predictions[s][slot] = scored.predictions()[s];
            right[s].set(slot, (scored.rightBits() & 1 << s) != 0);
        }
    }

    private void ensureCapacity(int size) {
        if (size <= gold.length) {
            return;
        }
        int capacity = Math.max(size, Math.max(1024, gold.length * 3 / 2));
        int old = gold.length;
        gold = Arrays.copyOf(gold, capacity);
        Arrays.fill(gold, old, capacity, ABSENT);
        for (int s = 0; s < predictions.length; s++) {
            predictions[s] = Arrays.copyOf(predictions[s], capacity);
        }
        promptTokens = Arrays.copyOf(promptTokens, capacity);
        completionTokens = Arrays.copyOf(completionTokens, capacity);
        if (topVoteShare != null) {
            topVoteShare = Arrays.copyOf(topVoteShare, capacity);
            Arrays.fill(topVoteShare, old, capacity, Float.NaN);
        }
    }

    int capacity() {
        return gold.length;
    }

    boolean has(int slot) {
        return slot < gold.length && gold[slot] != ABSENT;
    }

    int gold(int slot) {
        return gold[slot];
    }

    String goldName(int slot) {
        return labels.name(gold[slot]);
    }

    int prediction(Scorer scorer, int slot) {
        return predictions[Scorers.indexOf(scorer)][slot];
    }

    boolean right(Scorer scorer, int slot) {
        return right[Scorers.indexOf(scorer)].get(slot);
    }

    /**
     * The name of a prediction code: a label name, {@code no_label}, {@code multi_label} or {@code
     * error}.
     */
    String predictionName(int code) {
        return switch (code) {
            case NO_LABEL -> ConfusionMatrix.NO_LABEL;
            case MULTI_LABEL -> ConfusionMatrix.MULTI_LABEL;
            case ERROR -> ConfusionMatrix.ERROR;
            default -> labels.name(code);
        };
    }

    /**
     * Mean tokens per example over the examples whose newest record reports usage; null when none
     * does.
     */
    private TokenUsage tokens() {
        long examples = 0;
        long prompt = 0;
        long completion = 0;
        for (int slot = 0; slot < gold.length; slot++) {
            if (gold[slot] != ABSENT && promptTokens[slot] >= 0 && completionTokens[slot] >= 0) {
                examples++;
                prompt += promptTokens[slot];
                completion += completionTokens[slot];
            }
        }
        return examples == 0
                ? null
                : new TokenUsage(
                        examples, (double) prompt / examples, (double) completion / examples);
    }

    RunEvaluation evaluation() {
        long records = 0;
        long errors = 0;
        for (int slot = 0; slot < gold.length; slot++) {
            if (gold[slot] != ABSENT) {
                records++;
                errors += predictions[0][slot] == ERROR ? 1 : 0;
            }
        }
        var scores = new LinkedHashMap<String, ScorerResult>();
        for (Scorer scorer : Scorers.ALL) {
            scores.put(scorer.key(), metrics(scorer, records));
        }
        return new RunEvaluation(
                name,
                records,
                scores,
                errors,
                labels.names(),
                voting(),
                tokens(),
                empty.cardinality(),
                constraintBroken.isEmpty() ? null : (long) constraintBroken.cardinality(),
                truncatedLines,
                probabilities);
    }

    private VotingSummary voting() {
        if (topVoteShare == null) {
            return null;
        }
        long withVotes = 0;
        double shareSum = 0;
        for (int slot = 0; slot < topVoteShare.length; slot++) {
            if (gold[slot] != ABSENT && !Float.isNaN(topVoteShare[slot])) {
                withVotes++;
                shareSum += topVoteShare[slot];
            }
        }
        return new VotingSummary(
                withVotes, withVotes == 0 ? 0 : shareSum / withVotes, voteTie.cardinality());
    }

    private ScorerResult metrics(Scorer scorer, long records) {
        int k = labels.size();
        long[][] confusion = new long[k][k + 3];
        long right = 0;
        long multi = 0;
        long none = 0;
        short[] codes = predictions[Scorers.indexOf(scorer)];
        BitSet rightOnes = this.right[Scorers.indexOf(scorer)];
        for (int slot = 0; slot < gold.length; slot++) {
            if (gold[slot] == ABSENT) {
                continue;
            }
            int prediction = codes[slot];
            right += rightOnes.get(slot) ? 1 : 0;
            multi += prediction == MULTI_LABEL ? 1 : 0;
            none += prediction == NO_LABEL ? 1 : 0;
            int column =
                    switch (prediction) {
                        case NO_LABEL -> k;
                        case MULTI_LABEL -> k + 1;
                        case ERROR -> k + 2;
                        default -> prediction;
                    };
            confusion[gold[slot]][column]++;
        }
        var perClass = new ArrayList<ClassMetrics>(k);
        double f1Sum = 0;
        int f1Classes = 0;
        for (int c = 0; c < k; c++) {
            long truePositives = confusion[c][c];
            long support = Arrays.stream(confusion[c]).sum();
            long predicted = 0;
            for (long[] row : confusion) {
                predicted += row[c];
            }
            double precision = predicted == 0 ? 0 : (double) truePositives / predicted;
            double recall = support == 0 ? 0 : (double) truePositives / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.add(
                    new ClassMetrics(labels.name(c), precision, recall, f1, support, predicted));
            if (support > 0 || predicted > 0) {
                f1Sum += f1;
                f1Classes++;
            }
        }
        var columns = new ArrayList<>(labels.names());
        columns.addAll(
                List.of(
                        ConfusionMatrix.NO_LABEL,
                        ConfusionMatrix.MULTI_LABEL,
                        ConfusionMatrix.ERROR));
        var counts = new ArrayList<List<Long>>(k);
        for (long[] row : confusion) {
            counts.add(Arrays.stream(row).boxed().toList());
        }
        double accuracy = records == 0 ? 0 : (double) right / records;
        return new ScorerResult(
                right,
                multi,
                accuracy,
                none,
                Statistics.wilson(right, records),
                f1Classes == 0 ? 0 : f1Sum / f1Classes,
                perClass,
                new ConfusionMatrix(labels.names(), columns, counts));
    }
}
