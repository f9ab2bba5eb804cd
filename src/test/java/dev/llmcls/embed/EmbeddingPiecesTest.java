package dev.llmcls.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.llm.EmbeddingModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache, the neighbour search and the two classifiers, on small hand-made vectors. */
class EmbeddingPiecesTest {
    private static final LabelSet LABELS = LabelSet.parse("A,B,C");

    @TempDir
    Path dir;

    private static float[] unit(float... xs) {
        return Vectors.normalised(xs);
    }

    @Test
    void theCacheKeepsVectorsAcrossOpensAndIgnoresAHalfWrittenRecord() throws IOException {
        var cache = EmbeddingCache.open(dir, "m", 3);
        cache.putAll(List.of("one", "two"), List.of(new float[] {1, 2, 3}, new float[] {4, 5, 6}));
        cache.putAll(List.of("one"), List.of(new float[] {9, 9, 9}));
        Path file = dir.resolve("m.f32");
        assertEquals(2 * (32 + 12), Files.size(file), "a text already cached is not written again");
        Files.write(file, new byte[] {1, 2, 3, 4, 5}, StandardOpenOption.APPEND);

        var reopened = EmbeddingCache.open(dir, "m", 3);
        assertEquals(2, reopened.size());
        assertArrayEquals(new float[] {1, 2, 3}, reopened.get("one"));
        assertArrayEquals(new float[] {4, 5, 6}, reopened.get("two"));
        assertNull(reopened.get("three"));
    }

    @Test
    void anEmbedderServesCachedTextsWithoutTheModel() throws InterruptedException {
        var cache = EmbeddingCache.inMemory(384);
        float[] vector = new float[384];
        vector[0] = 1;
        cache.putAll(List.of("cached"), List.of(vector));
        var embedder = new Embedder(EmbeddingModels.DEFAULT, cache);
        assertArrayEquals(vector, embedder.embed("cached"));
        assertArrayEquals(vector, embedder.embedAll(List.of("cached", "cached"), done -> { }).get(1));
    }

    @Test
    void nearestListsTheMostSimilarFirstAndSkipsTheQueryItself() {
        var pool = new LabelledPool(
                List.of(new Example("0", "far", 0), new Example("1", "near", 1), new Example("2", "same", 2),
                        new Example("3", "nearer", 1)),
                List.of(unit(-1, 0), unit(1, 1), unit(1, 0), unit(1, 0.2f)));
        var nearest = pool.nearest(unit(1, 0), "same", 2);
        assertEquals(List.of(3, 1), nearest.stream().map(LabelledPool.Neighbour::index).toList());
        assertEquals(List.of(2, 3, 1, 0), pool.nearest(unit(1, 0), null, 9).stream()
                .map(LabelledPool.Neighbour::index).toList());
    }

    @Test
    void theBlockedSearchFindsWhatAPlainScanFinds() {
        var random = new java.util.Random(7);
        int n = 103;
        var examples = new java.util.ArrayList<Example>();
        var vectors = new java.util.ArrayList<float[]>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[37];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextGaussian();
            }
            examples.add(new Example(String.valueOf(i), "t" + i, 0));
            vectors.add(Vectors.normalised(v));
        }
        vectors.set(50, vectors.get(10).clone());
        var pool = new LabelledPool(examples, vectors);
        for (int q = 0; q < 20; q++) {
            int self = q * 5;
            float[] query = vectors.get(self);
            Integer[] order = new Integer[n];
            java.util.Arrays.setAll(order, i -> i);
            java.util.Arrays.sort(order, (a, b) -> Float.compare(Vectors.dot(query, vectors.get(b)),
                    Vectors.dot(query, vectors.get(a))));
            var expected = java.util.Arrays.stream(order).filter(i -> i != self).limit(10).toList();
            var found = pool.nearest(query, "t" + self, 10);
            assertEquals(expected, found.stream().map(LabelledPool.Neighbour::index).toList());
            for (var neighbour : found) {
                assertEquals(Vectors.dot(query, vectors.get(neighbour.index())), neighbour.similarity(), 0f);
            }
        }
    }

    @Test
    void knnVotesByCountThenBySummedSimilarity() {
        var pool = new LabelledPool(
                List.of(new Example("0", "a1", 0), new Example("1", "b1", 1), new Example("2", "b2", 1),
                        new Example("3", "a2", 0), new Example("4", "c1", 2)),
                List.of(unit(1, 0.1f), unit(1, 0.3f), unit(1, 0.4f), unit(1, 0.5f), unit(0, 1)));
        Decision decision = new KnnClassifier(pool, LABELS, 3).classify(unit(1, 0), "query");
        assertEquals(1, decision.label(), "two B neighbours beat one A");
        assertEquals(Map.of("A", 1, "B", 2), decision.votes());

        // k = 4: two A and two B; the A pair (0.1 and 0.5 off the axis) is more similar in sum than the B pair.
        Decision tie = new KnnClassifier(pool, LABELS, 4).classify(unit(1, 0), "query");
        assertEquals(Map.of("A", 2, "B", 2), tie.votes());
        float a = Vectors.dot(unit(1, 0), unit(1, 0.1f)) + Vectors.dot(unit(1, 0), unit(1, 0.5f));
        float b = Vectors.dot(unit(1, 0), unit(1, 0.3f)) + Vectors.dot(unit(1, 0), unit(1, 0.4f));
        assertEquals(a > b ? 0 : 1, tie.label());
    }

    @Tag("slow") // loads both bundled embedding models
    @Test
    void everyBundledModelLoadsFromTheJarAndPlacesRelatedTextsCloser() throws InterruptedException {
        for (String name : EmbeddingModels.names()) {
            var embedder = new Embedder(name, EmbeddingCache.inMemory(EmbeddingModels.dimension(name)));
            float[] match = embedder.embed("The striker scored twice in the cup final.");
            float[] sport = embedder.embed("Football team wins the championship game.");
            float[] money = embedder.embed("Central bank raises interest rates to curb inflation.");
            assertEquals(EmbeddingModels.dimension(name), match.length, name);
            assertEquals(1.0, Vectors.dot(match, match), 1e-4, name + " vectors are unit length");
            assertTrue(Vectors.dot(match, sport) > Vectors.dot(match, money), name);
        }
    }

    @Test
    void similarityPicksTheClosestLabelVector() {
        var classifier = new SimilarityClassifier(List.of(unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1)));
        assertEquals(2, classifier.classify(unit(0.2f, 0.1f, 0.9f), "t").label());
        assertNull(classifier.classify(unit(0.2f, 0.1f, 0.9f), "t").votes());
    }
}
