package dev.llmcls.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeedScorerTest {
    private final SeedScorer scorer = new SeedScorer(List.of("World", "Sports", "Business", "Science | Technology"));

    @Test
    void usesWholeOutputWhenThereIsNoLabelMarker() {
        var verdict = scorer.score("This is clearly about Business.", "Business");
        assertEquals(List.of("Business"), verdict.found());
        assertTrue(verdict.right());
    }

    @Test
    void onlyTheTextAfterTheLastLabelCounts() {
        var verdict = scorer.score("label: Sports\nreason: ...\nthe final label is World", "Sports");
        assertEquals(List.of("World"), verdict.found());
        assertFalse(verdict.right());
    }

    @Test
    void capitalisedLabelIsNotAMarker() {
        // "Label" does not match the case-sensitive "label", so the whole output is searched and both names count.
        var verdict = scorer.score("Sports is wrong. Label: World", "World");
        assertEquals(List.of("World", "Sports"), verdict.found());
        assertTrue(verdict.multiLabel());
        assertFalse(verdict.right());
    }

    @Test
    void twoNamesAfterTheLastLabelAreMultiLabelAndWrong() {
        var verdict = scorer.score("label: Business, maybe World", "Business");
        assertEquals(List.of("World", "Business"), verdict.found(), "found names come in label order");
        assertTrue(verdict.multiLabel());
        assertFalse(verdict.right());
    }

    @Test
    void scienceAndTechnologySplitByOtherTextIsNotFound() {
        var verdict = scorer.score("label: Science and Technology", "Science | Technology");
        assertEquals(List.of(), verdict.found());
        assertFalse(verdict.right());
        assertFalse(verdict.multiLabel());
    }

    @Test
    void scienceAndTechnologyWrittenExactlyIsRight() {
        assertTrue(scorer.score("reason: a new chip\nlabel: Science | Technology", "Science | Technology").right());
    }

    @Test
    void markerInsideAWordStillCounts() {
        // Python's split("label") also splits inside "labels": the tail after it is what is searched.
        var verdict = scorer.score("Possible labels: World, Sports. Chosen: Sports", "Sports");
        assertEquals(List.of("World", "Sports"), verdict.found());
    }

    @Test
    void emptyOutputFindsNothing() {
        var verdict = scorer.score("", "World");
        assertEquals(List.of(), verdict.found());
        assertFalse(verdict.right());
    }
}
