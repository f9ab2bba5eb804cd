package dev.llmcls.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The label-probability arithmetic against hand-worked values. */
class ProbabilityMathTest {
    private static final List<String> LABELS =
            List.of("World", "Sports", "Business", "Science | Technology");

    @Test
    void aLabelsOwnTokensFollowTheVariantsLongestCommonPrefix() {
        // Shared prefix 1 2 3; own tokens: [10], [20 21], [30].
        List<long[]> ids =
                List.of(
                        new long[] {1, 2, 3, 10},
                        new long[] {1, 2, 3, 20, 21},
                        new long[] {1, 2, 3, 30});
        List<double[]> lp =
                List.of(
                        new double[] {0, -1, -1, -0.5},
                        new double[] {0, -1, -1, -0.2, -0.4},
                        new double[] {0, -1, -1, -3});
        LabelLikelihood.Scores scores = LabelLikelihood.of(ids, lp, List.of("a", "b", "c"));
        assertArrayEquals(new double[] {-0.5, -0.6, -3}, scores.sums(), 1e-12);
        assertArrayEquals(new int[] {1, 2, 1}, scores.tokens());
        assertArrayEquals(
                new double[] {-0.5, -0.3, -3},
                scores.scores(LabelLikelihood.Normalisation.MEAN),
                1e-12,
                "the mean per token: b wins under length normalisation");
        assertEquals(
                1,
                LabelDistribution.argmax(
                        LabelDistribution.softmax(
                                scores.scores(LabelLikelihood.Normalisation.MEAN))));
        assertEquals(0, LabelDistribution.argmax(LabelDistribution.softmax(scores.sums())));
    }

    @Test
    void aLabelWhoseTokensArePrefixOfAnothersCannotBeScored() {
        List<long[]> ids = List.of(new long[] {1, 2, 3}, new long[] {1, 2, 3, 4});
        List<double[]> lp = List.of(new double[] {0, -1, -1}, new double[] {0, -1, -1, -1});
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LabelLikelihood.of(ids, lp, List.of("Sci", "Science")));
        assertTrue(e.getMessage().contains("'Sci' has no token of its own"), e.getMessage());
    }

    @Test
    void softmaxAndDivisionByAReferenceDistribution() {
        double[] p =
                LabelDistribution.softmax(new double[] {Math.log(2), Math.log(1), Math.log(1)});
        assertArrayEquals(new double[] {0.5, 0.25, 0.25}, p, 1e-12);
        assertArrayEquals(
                new double[] {0.5, 0.25, 0.25},
                LabelDistribution.softmax(new double[] {1000 + Math.log(2), 1000, 1000}),
                1e-12,
                "no overflow");
        // (.6, .3, .1) / (.5, .25, .25) = (1.2, 1.2, .4), normalised (3/7, 3/7, 1/7); the tie goes
        // to the first.
        double[] q =
                LabelDistribution.divide(
                        new double[] {0.6, 0.3, 0.1}, new double[] {0.5, 0.25, 0.25});
        assertArrayEquals(new double[] {3.0 / 7, 3.0 / 7, 1.0 / 7}, q, 1e-12);
        assertEquals(0, LabelDistribution.argmax(q));
    }

    @Test
    void choiceConfidenceIsTheFirstTokenDistributionRenormalisedOverTheLabels() {
        var top =
                List.of(
                        new AnswerConfidence.Alternative("Sports", -0.3),
                        new AnswerConfidence.Alternative("World", -1.5),
                        new AnswerConfidence.Alternative("The", -1.0),
                        new AnswerConfidence.Alternative("Science", -2.5),
                        new AnswerConfidence.Alternative("Business", -2.0),
                        new AnswerConfidence.Alternative("Sports", -0.3));
        var tokens = List.of(new AnswerConfidence.Token("Sports", -0.3, top));
        AnswerConfidence.Result result = AnswerConfidence.forChoice(tokens, "Sports", LABELS);
        // "The" begins no label; Sports once.
        double total = Math.exp(-0.3) + Math.exp(-1.5) + Math.exp(-2.0) + Math.exp(-2.5);
        assertEquals(Math.exp(-0.3) / total, result.confidence(), 1e-12);
        assertArrayEquals(
                new double[] {
                    Math.exp(-1.5) / total,
                    Math.exp(-0.3) / total,
                    Math.exp(-2.0) / total,
                    Math.exp(-2.5) / total
                },
                result.distribution(),
                1e-12);
        assertEquals(0, result.unlisted());
    }

    /**
     * Issue 22 item 5, the rule for labels the server did not list: each counts at the smallest
     * listed probability (the generated token's aside), or at what the listed leave of 1 when
     * nothing but the generated token is listed. Columns: generated token and log-probability, the
     * listed alternatives, the labels' masses before normalising (null: no distribution), how many
     * labels were unlisted.
     */
    static Stream<Arguments> unlistedLabels() {
        double bound1 = Math.exp(-2.5);
        return Stream.of(
                Arguments.of(
                        "all labels listed",
                        "Sports",
                        -0.3,
                        "Sports:-0.3 World:-1.5 The:-1.0 Business:-2.0 Science:-2.5",
                        new double[] {
                            Math.exp(-1.5), Math.exp(-0.3), Math.exp(-2.0), Math.exp(-2.5)
                        },
                        0),
                Arguments.of(
                        "one label missing",
                        "Sports",
                        -0.3,
                        "Sports:-0.3 World:-1.5 The:-1.0 Science:-2.5",
                        new double[] {Math.exp(-1.5), Math.exp(-0.3), bound1, Math.exp(-2.5)},
                        1),
                Arguments.of(
                        "only the chosen label listed (was confidence 1.0)",
                        "Sports",
                        -0.1,
                        "Sports:-0.1 The:-3.0 A:-4.0",
                        new double[] {Math.exp(-4), Math.exp(-0.1), Math.exp(-4), Math.exp(-4)},
                        3),
                Arguments.of("no label listed", "The", -0.5, "The:-0.5 A:-2.0", null, 4),
                Arguments.of(
                        "the generated token outside the listed top k (llama.cpp)",
                        "Business",
                        -3.0,
                        "Sports:-0.3 World:-1.5 The:-1.0 Science:-2.5",
                        new double[] {
                            Math.exp(-1.5), Math.exp(-0.3), Math.exp(-3.0), Math.exp(-2.5)
                        },
                        0),
                Arguments.of(
                        "only the generated token listed (top_logprobs 1)",
                        "Sports",
                        -0.2,
                        "Sports:-0.2",
                        new double[] {
                            1 - Math.exp(-0.2),
                            Math.exp(-0.2),
                            1 - Math.exp(-0.2),
                            1 - Math.exp(-0.2)
                        },
                        3),
                Arguments.of(
                        "only the generated token listed, the rest left to share 0.25",
                        "World",
                        Math.log(0.75),
                        "World:" + Math.log(0.75),
                        new double[] {0.75, 0.25, 0.25, 0.25},
                        3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unlistedLabels")
    void aLabelTheServerDidNotListCountsAtTheSmallestListedProbability(
            String name,
            String generated,
            double logprob,
            String listed,
            double[] masses,
            int unlisted) {
        var alternatives = new java.util.ArrayList<AnswerConfidence.Alternative>();
        for (String item : listed.split(" ")) {
            int colon = item.lastIndexOf(':');
            alternatives.add(
                    new AnswerConfidence.Alternative(
                            item.substring(0, colon),
                            Double.parseDouble(item.substring(colon + 1))));
        }
        AnswerConfidence.FirstToken read =
                AnswerConfidence.firstToken(
                        new AnswerConfidence.Token(generated, logprob, alternatives), LABELS);
        assertEquals(unlisted, read.unlisted());
        if (masses == null) {
            assertNull(read.distribution());
            return;
        }
        assertArrayEquals(LabelDistribution.normalise(masses), read.distribution(), 1e-12);
        for (double p : read.distribution()) {
            assertTrue(
                    p > 0 && p < 1,
                    "no label is certain or impossible: "
                            + java.util.Arrays.toString(read.distribution()));
        }
    }

    @Test
    void choiceAsAResponseFormatObjectIsReadAtTheLabelNotAtTheBrace() {
        // {"label": "World"}: llama-server's form of the choice constraint; the label's first token
        // is "World".
        var labelTop =
                List.of(
                        new AnswerConfidence.Alternative("World", -0.5),
                        new AnswerConfidence.Alternative("Sports", -1.5),
                        new AnswerConfidence.Alternative("Business", -2.0),
                        new AnswerConfidence.Alternative("x", -3.0));
        var braceTop = List.of(new AnswerConfidence.Alternative("Science", -0.01));
        var tokens =
                List.of(
                        new AnswerConfidence.Token("{", -0.01, braceTop),
                        tok("\""),
                        tok("label"),
                        tok("\""),
                        tok(":"),
                        tok(" "),
                        tok("\""),
                        new AnswerConfidence.Token("World", -0.5, labelTop),
                        tok("\""),
                        tok("}"));
        AnswerConfidence.Result result = AnswerConfidence.forChoice(tokens, "World", LABELS);
        double total = Math.exp(-0.5) + Math.exp(-1.5) + Math.exp(-2.0) + Math.exp(-3.0);
        assertEquals(Math.exp(-0.5) / total, result.confidence(), 1e-12);
        assertEquals(1, result.unlisted(), "Science | Technology, bounded by x's probability");
    }

    @Test
    void aFirstTokenSharedByTwoLabelsGivesNoDistributionButTheSpelledProbability() {
        var top =
                List.of(
                        new AnswerConfidence.Alternative("S", -0.2),
                        new AnswerConfidence.Alternative("World", -2.0));
        var tokens =
                List.of(
                        new AnswerConfidence.Token("S", -0.2, top),
                        new AnswerConfidence.Token("ports", -0.1, List.of()));
        AnswerConfidence.Result result = AnswerConfidence.forChoice(tokens, "Sports", LABELS);
        assertNull(result.distribution());
        assertEquals(Math.exp(-0.3), result.confidence(), 1e-12);
    }

    @Test
    void freeAnswerConfidenceReadsTheLabelAfterTheLastMarker() {
        // "Sports" appears twice; the one after the last "label" counts. Its first token " Sports"
        // lists alternatives.
        var labelTop =
                List.of(
                        new AnswerConfidence.Alternative(" Sports", -0.4),
                        new AnswerConfidence.Alternative(" World", -1.4));
        var tokens =
                List.of(
                        tok("Sports"),
                        tok(" news"),
                        tok("."),
                        tok("\n"),
                        tok("label"),
                        tok(":"),
                        new AnswerConfidence.Token(" Sports", -0.4, labelTop));
        AnswerConfidence.Result result =
                AnswerConfidence.forFreeAnswer(
                        tokens, "Sports news.\nlabel: Sports", "Sports", LABELS);
        double total =
                Math.exp(-0.4)
                        + 3 * Math.exp(-1.4); // Business and Science unlisted: each at World's -1.4
        assertEquals(Math.exp(-0.4) / total, result.confidence(), 1e-12);
        assertEquals(2, result.unlisted());
        // Without alternatives there is no distribution; the spelled probability remains.
        var bare =
                List.of(
                        tok("label"),
                        tok(":"),
                        new AnswerConfidence.Token(" Science", -0.5, List.of()),
                        new AnswerConfidence.Token(" |", -0.25, List.of()),
                        new AnswerConfidence.Token(" Technology", -0.25, List.of()));
        AnswerConfidence.Result spelled =
                AnswerConfidence.forFreeAnswer(
                        bare, "label: Science | Technology", "Science | Technology", LABELS);
        assertNull(spelled.distribution());
        assertEquals(Math.exp(-1.0), spelled.confidence(), 1e-12);
        assertNull(
                AnswerConfidence.forFreeAnswer(bare, "label: something else", "Sports", LABELS),
                "tokens that do not spell the answer give nothing");
    }

    private static AnswerConfidence.Token tok(String text) {
        return new AnswerConfidence.Token(text, -0.05, List.of());
    }
}
