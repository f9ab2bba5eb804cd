package dev.llmcls.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmcls.data.LabelSet;
import dev.llmcls.runfile.EvalRecord;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Counting a run's records: answers, failures superseded by a retry, and right answers by the
 * strict scorer.
 */
class TallyTest {
    private static final LabelSet LABELS = new LabelSet(List.of("World", "Sports"));

    /**
     * {@code records}: id:outcome, outcome ok (right), wrong (an answer naming the other label) or
     * fail.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
                    a:ok b:ok c:wrong                     | 3 | 3 | 0 | 0 | 0 | 3 | 2
                    a:fail b:ok                           | 2 | 1 | 1 | 0 | 1 | 1 | 1
                    a:fail b:ok a:ok                      | 3 | 2 | 1 | 1 | 0 | 2 | 2
                    a:fail a:fail a:fail                  | 3 | 0 | 3 | 2 | 1 | 0 | 0
                    a:fail b:fail a:fail b:ok a:wrong     | 5 | 2 | 3 | 3 | 0 | 2 | 1
                    """)
    void errorsAreTheFailuresNotRetriedSinceAndRightIsTheStrictReading(
            String records,
            long count,
            long ok,
            long failed,
            long superseded,
            long errors,
            long scored,
            long right) {
        Tally tally = Tally.empty(LABELS);
        for (String item : records.split(" ")) {
            String[] parts = item.split(":");
            tally.accept(record(parts[0], "World", parts[1]));
        }
        Tally.Counts counts = tally.counts();
        assertEquals(
                List.of(count, ok, failed, superseded, errors, scored, right),
                List.of(
                        counts.records(),
                        counts.ok(),
                        counts.failed(),
                        counts.superseded(),
                        counts.errors(),
                        counts.scored(),
                        counts.right()));
    }

    @Test
    void aTallyGoesOnFromASummaryButCannotSeeFailuresBeforeIt() {
        Tally tally = Tally.from(LABELS, new Tally.Counts(2, 1, 1, 0, 1, 1));
        tally.accept(
                record(
                        "x", "World",
                        "ok")); // the failure before the summary was x's: still counted an error
        Tally.Counts counts = tally.counts();
        assertEquals(3, counts.records());
        assertEquals(2, counts.ok());
        assertEquals(1, counts.errors());
        assertEquals(1.0, counts.accuracy());
    }

    @Test
    void goldOutsideTheLabelsAndMultiLabelRecordsAreNotScored() {
        Tally tally = Tally.empty(LABELS);
        tally.accept(record("a", "Cooking", "ok"));
        tally.accept(
                new EvalRecord(
                        "b",
                        null,
                        null,
                        "label: World",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        false,
                        false,
                        0,
                        List.of("World", "Sports")));
        assertEquals(2, tally.counts().ok());
        assertEquals(0, tally.counts().scored());
        assertNull(tally.counts().accuracy());
        Tally unlabelled = Tally.empty(null);
        unlabelled.accept(record("a", "World", "ok"));
        assertNull(unlabelled.counts().accuracy());
    }

    static EvalRecord record(String id, String gold, String outcome) {
        return switch (outcome) {
            case "ok" ->
                    new EvalRecord(
                            id,
                            null,
                            gold,
                            "label: " + gold,
                            null,
                            null,
                            null,
                            10,
                            2,
                            null,
                            false,
                            false,
                            0);
            case "wrong" ->
                    new EvalRecord(
                            id,
                            null,
                            gold,
                            "label: " + (gold.equals("World") ? "Sports" : "World"),
                            null,
                            null,
                            null,
                            10,
                            2,
                            null,
                            false,
                            false,
                            0);
            case "fail" ->
                    new EvalRecord(
                            id,
                            null,
                            gold,
                            null,
                            "HTTP 500",
                            null,
                            null,
                            null,
                            null,
                            null,
                            false,
                            false,
                            0);
            default -> throw new IllegalArgumentException(outcome);
        };
    }
}
