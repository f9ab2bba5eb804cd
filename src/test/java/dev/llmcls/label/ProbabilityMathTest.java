package dev.llmcls.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The label-probability arithmetic against hand-worked values. */
class ProbabilityMathTest {
    private static final List<String> LABELS = List.of("World", "Sports", "Business", "Science | Technology");

    @Test
    void aLabelsOwnTokensFollowTheVariantsLongestCommonPrefix() {
        // Shared prefix 1 2 3; own tokens: [10], [20 21], [30].
        List<long[]> ids = List.of(new long[] {1, 2, 3, 10}, new long[] {1, 2, 3, 20, 21}, new long[] {1, 2, 3, 30});
        List<double[]> lp = List.of(new double[] {0, -1, -1, -0.5}, new double[] {0, -1, -1, -0.2, -0.4},
                new double[] {0, -1, -1, -3});
        LabelLikelihood.Scores scores = LabelLikelihood.of(ids, lp, List.of("a", "b", "c"));
        assertArrayEquals(new double[] {-0.5, -0.6, -3}, scores.sums(), 1e-12);
        assertArrayEquals(new int[] {1, 2, 1}, scores.tokens());
        assertArrayEquals(new double[] {-0.5, -0.3, -3}, scores.scores(LabelLikelihood.Normalisation.MEAN), 1e-12,
                "the mean per token: b wins under length normalisation");
        assertEquals(1, LabelDistribution.argmax(LabelDistribution.softmax(scores.scores(LabelLikelihood.Normalisation.MEAN))));
        assertEquals(0, LabelDistribution.argmax(LabelDistribution.softmax(scores.sums())));
    }

    @Test
    void aLabelWhoseTokensArePrefixOfAnothersCannotBeScored() {
        List<long[]> ids = List.of(new long[] {1, 2, 3}, new long[] {1, 2, 3, 4});
        List<double[]> lp = List.of(new double[] {0, -1, -1}, new double[] {0, -1, -1, -1});
        var e = assertThrows(IllegalArgumentException.class, () -> LabelLikelihood.of(ids, lp, List.of("Sci", "Science")));
        assertTrue(e.getMessage().contains("'Sci' has no token of its own"), e.getMessage());
    }

    @Test
    void softmaxAndDivisionByAReferenceDistribution() {
        double[] p = LabelDistribution.softmax(new double[] {Math.log(2), Math.log(1), Math.log(1)});
        assertArrayEquals(new double[] {0.5, 0.25, 0.25}, p, 1e-12);
        assertArrayEquals(new double[] {0.5, 0.25, 0.25}, LabelDistribution.softmax(new double[] {1000 + Math.log(2), 1000, 1000}), 1e-12,
                "no overflow");
        // (.6, .3, .1) / (.5, .25, .25) = (1.2, 1.2, .4), normalised (3/7, 3/7, 1/7); the tie goes to the first.
        double[] q = LabelDistribution.divide(new double[] {0.6, 0.3, 0.1}, new double[] {0.5, 0.25, 0.25});
        assertArrayEquals(new double[] {3.0 / 7, 3.0 / 7, 1.0 / 7}, q, 1e-12);
        assertEquals(0, LabelDistribution.argmax(q));
    }

    @Test
    void choiceConfidenceIsTheFirstTokenDistributionRenormalisedOverTheLabels() {
        var top = List.of(new AnswerConfidence.Alternative("Sports", -0.3), new AnswerConfidence.Alternative("World", -1.5),
                new AnswerConfidence.Alternative("The", -1.0), new AnswerConfidence.Alternative("Science", -2.5),
                new AnswerConfidence.Alternative("Sports", -0.3));
        var tokens = List.of(new AnswerConfidence.Token("Sports", -0.3, top));
        AnswerConfidence.Result result = AnswerConfidence.forChoice(tokens, "Sports", LABELS);
        double total = Math.exp(-0.3) + Math.exp(-1.5) + Math.exp(-2.5); // "The" begins no label; Sports once
        assertEquals(Math.exp(-0.3) / total, result.confidence(), 1e-12);
        assertArrayEquals(new double[] {Math.exp(-1.5) / total, Math.exp(-0.3) / total, 0, Math.exp(-2.5) / total},
                result.distribution(), 1e-12);
    }

    @Test
    void aFirstTokenSharedByTwoLabelsGivesNoDistributionButTheSpelledProbability() {
        var top = List.of(new AnswerConfidence.Alternative("S", -0.2), new AnswerConfidence.Alternative("World", -2.0));
        var tokens = List.of(new AnswerConfidence.Token("S", -0.2, top), new AnswerConfidence.Token("ports", -0.1, List.of()));
        AnswerConfidence.Result result = AnswerConfidence.forChoice(tokens, "Sports", LABELS);
        assertNull(result.distribution());
        assertEquals(Math.exp(-0.3), result.confidence(), 1e-12);
    }

    @Test
    void freeAnswerConfidenceReadsTheLabelAfterTheLastMarker() {
        // "Sports" appears twice; the one after the last "label" counts. Its first token " Sports" lists alternatives.
        var labelTop = List.of(new AnswerConfidence.Alternative(" Sports", -0.4), new AnswerConfidence.Alternative(" World", -1.4));
        var tokens = List.of(tok("Sports"), tok(" news"), tok("."), tok("\n"), tok("label"), tok(":"),
                new AnswerConfidence.Token(" Sports", -0.4, labelTop));
        AnswerConfidence.Result result = AnswerConfidence.forFreeAnswer(tokens, "Sports news.\nlabel: Sports", "Sports", LABELS);
        double total = Math.exp(-0.4) + Math.exp(-1.4);
        assertEquals(Math.exp(-0.4) / total, result.confidence(), 1e-12);
        // Without alternatives there is no distribution; the spelled probability remains.
        var bare = List.of(tok("label"), tok(":"), new AnswerConfidence.Token(" Science", -0.5, List.of()),
                new AnswerConfidence.Token(" |", -0.25, List.of()), new AnswerConfidence.Token(" Technology", -0.25, List.of()));
        AnswerConfidence.Result spelled = AnswerConfidence.forFreeAnswer(bare, "label: Science | Technology",
                "Science | Technology", LABELS);
        assertNull(spelled.distribution());
        assertEquals(Math.exp(-1.0), spelled.confidence(), 1e-12);
        assertNull(AnswerConfidence.forFreeAnswer(bare, "label: something else", "Sports", LABELS),
                "tokens that do not spell the answer give nothing");
    }

    private static AnswerConfidence.Token tok(String text) {
        return new AnswerConfidence.Token(text, -0.05, List.of());
    }
}
