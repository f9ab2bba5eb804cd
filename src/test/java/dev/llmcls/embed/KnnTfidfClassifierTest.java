package dev.llmcls.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.learn.TfidfNaiveBayes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code --mode knn-tfidf}'s classifier on hand-made pools: the soft vote, the mixture, and that
 * the choices made on the pool follow whichever half carries the labels.
 */
class KnnTfidfClassifierTest {
    private static final LabelSet LABELS = LabelSet.parse("A,B");
    private static final List<String> A_WORDS = List.of("apple", "apricot", "avocado", "almond");
    private static final List<String> B_WORDS = List.of("banana", "blueberry", "bean", "basil");

    private static float[] unit(float... xs) {
        return Vectors.normalised(xs);
    }

    private static LabelledPool threeNeighbours() {
        return new LabelledPool(
                List.of(
                        new Example("0", "x", 0),
                        new Example("1", "y", 1),
                        new Example("2", "z", 1)),
                List.of(unit(1, 0), unit(0.8f, 0.6f), unit(0.6f, 0.8f)));
    }

    @Test
    void theSoftVoteWeighsEachNeighbourByItsSimilarity() {
        LabelledPool pool = threeNeighbours();
        List<LabelledPool.Neighbour> neighbours = pool.nearest(unit(1, 0), null, 3);
        // Similarities 1, 0.8, 0.6: weights 1, e^-2, e^-4 at T = 0.1.
        double a = 1;
        double b = Math.exp(-2) + Math.exp(-4);
        assertArrayEquals(
                new double[] {a / (a + b), b / (a + b)},
                KnnTfidfClassifier.softVote(pool, neighbours, 2, 0.1),
                1e-6);
        assertArrayEquals(
                new double[] {1.0 / 3, 2.0 / 3},
                KnnTfidfClassifier.softVote(pool, neighbours, 2, 1e6),
                1e-5,
                "a high temperature is the plain vote");
        assertArrayEquals(
                new double[] {1, 0},
                KnnTfidfClassifier.softVote(pool, neighbours, 2, 1e-4),
                1e-12,
                "a low one the nearest text alone");
    }

    @Test
    void theMixtureWeighsTheTwoPartsAndFallsBackToTheWordsWithoutNeighbours() {
        assertArrayEquals(
                new double[] {0.7 * 0.9 + 0.3 * 0.2, 0.7 * 0.1 + 0.3 * 0.8},
                KnnTfidfClassifier.mix(new double[] {0.9, 0.1}, new double[] {0.2, 0.8}, 0.7),
                1e-12);
        assertArrayEquals(
                new double[] {0.2, 0.8},
                KnnTfidfClassifier.mix(new double[] {0, 0}, new double[] {0.2, 0.8}, 0.7),
                1e-12);
    }

    @Test
    void whenOnlyTheWordsCarryTheLabelsThePoolChoosesTheWords() {
        Pool pool = pool(true, false);
        KnnTfidfClassifier.Choice choice =
                KnnTfidfClassifier.train(pool.search, pool.examples, pool.vectors, LABELS, 5, 5, 2);
        assertEquals(KnnTfidfClassifier.KNN_WEIGHTS[0], choice.knnWeight(), choice.toString());
        assertTrue(choice.accuracy() > 0.9, choice.toString());
    }

    @Test
    void whenOnlyTheVectorsCarryTheLabelsThePoolChoosesTheNeighbours() {
        Pool pool = pool(false, true);
        KnnTfidfClassifier.Choice choice =
                KnnTfidfClassifier.train(pool.search, pool.examples, pool.vectors, LABELS, 5, 5, 1);
        double[] weights = KnnTfidfClassifier.KNN_WEIGHTS;
        assertEquals(weights[weights.length - 1], choice.knnWeight(), choice.toString());
        assertTrue(choice.knnAccuracy() > 0.9, choice.toString());
    }

    @Test
    void aDecisionIsTheMostProbableLabelWithTheNeighboursVotesAndProbabilitiesSummingToOne() {
        Pool pool = pool(true, true);
        KnnTfidfClassifier.Choice choice =
                KnnTfidfClassifier.train(pool.search, pool.examples, pool.vectors, LABELS, 5, 5, 2);
        var classifier =
                new KnnTfidfClassifier(
                        pool.search,
                        LABELS,
                        5,
                        choice.words().model(),
                        choice.temperature(),
                        choice.knnWeight());
        Decision decision = classifier.classify(unit(1, 0.05f, 0), "banana basil bean");
        assertEquals(2, decision.probabilities().size());
        assertEquals(1, decision.probabilities().get(0) + decision.probabilities().get(1), 1e-12);
        assertEquals(
                decision.probabilities().get(0) > decision.probabilities().get(1) ? 0 : 1,
                decision.label());
        assertEquals(5, decision.votes().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(Map.of("A", 5), decision.votes(), "vectors near A's");
    }

    @Test
    void settingsOutsideTheirRangeAreRefused() {
        TfidfNaiveBayes.Model words =
                TfidfNaiveBayes.fit(List.of("aa", "bb"), new int[] {0, 1}, 2, 0.1);
        LabelledPool pool = threeNeighbours();
        assertThrows(
                IllegalArgumentException.class,
                () -> new KnnTfidfClassifier(pool, LABELS, 0, words, 0.1, 0.5));
        assertThrows(
                IllegalArgumentException.class,
                () -> new KnnTfidfClassifier(pool, LABELS, 3, words, 0, 0.5));
        assertThrows(
                IllegalArgumentException.class,
                () -> new KnnTfidfClassifier(pool, LABELS, 3, words, 0.1, 1.5));
    }

    private record Pool(LabelledPool search, List<Example> examples, List<float[]> vectors) {}

    /**
     * 60 texts, half of each label; their words come from their label's list or from both lists at
     * random, their vectors from a cluster per label or at random.
     */
    private static Pool pool(boolean wordsTell, boolean vectorsTell) {
        var random = new Random(11);
        var examples = new ArrayList<Example>();
        var vectors = new ArrayList<float[]>();
        for (int i = 0; i < 60; i++) {
            int label = i % 2;
            var words = new StringBuilder();
            for (int w = 0; w < 4; w++) {
                List<String> from =
                        wordsTell
                                ? (label == 0 ? A_WORDS : B_WORDS)
                                : (random.nextBoolean() ? A_WORDS : B_WORDS);
                words.append(from.get(random.nextInt(from.size()))).append(' ');
            }
            examples.add(new Example(String.valueOf(i), words.toString() + i, label));
            float[] v = new float[3];
            for (int d = 0; d < 3; d++) {
                v[d] = (float) random.nextGaussian() * (vectorsTell ? 0.1f : 1);
            }
            if (vectorsTell) {
                v[label] += 1;
            }
            vectors.add(Vectors.normalised(v));
        }
        return new Pool(new LabelledPool(examples, vectors), examples, vectors);
    }
}
