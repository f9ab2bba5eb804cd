package dev.llmcls.eval;

import dev.llmcls.data.LabelSet;
import dev.llmcls.label.SeedScorer;
import dev.llmcls.run.RunRecord;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Scores a run file. When a file holds several records for one example (a failure, then its successful retry on
 * resume), the newest one counts, so no example is ever counted twice.
 */
public final class Evaluator {
    private static final byte WRONG = 0;
    private static final byte RIGHT = 1;
    private static final byte MULTI_WRONG = 2;
    private static final byte MULTI_RIGHT = 3;
    private static final byte ERROR = 4;

    private Evaluator() {
    }

    public static RunEvaluation evaluate(Path file, LabelSet labels) {
        var scorer = new SeedScorer(labels.names());
        Map<String, Byte> outcomes = new HashMap<>();
        int truncated = RecordReader.forEach(file, record -> outcomes.put(record.id(), outcome(scorer, record)));
        long right = 0;
        long multi = 0;
        long errors = 0;
        for (byte outcome : outcomes.values()) {
            right += (outcome == RIGHT || outcome == MULTI_RIGHT) ? 1 : 0;
            multi += (outcome == MULTI_WRONG || outcome == MULTI_RIGHT) ? 1 : 0;
            errors += outcome == ERROR ? 1 : 0;
        }
        long records = outcomes.size();
        double accuracy = records == 0 ? 0.0 : (double) right / records;
        return new RunEvaluation(file.toString(), records, new SeedScore(right, multi, accuracy), errors, truncated);
    }

    private static byte outcome(SeedScorer scorer, RunRecord record) {
        if (record.error() != null || record.output() == null) {
            return ERROR;
        }
        SeedScorer.Verdict verdict = scorer.score(record.output(), record.gold());
        if (verdict.multiLabel()) {
            return verdict.right() ? MULTI_RIGHT : MULTI_WRONG;
        }
        return verdict.right() ? RIGHT : WRONG;
    }
}
