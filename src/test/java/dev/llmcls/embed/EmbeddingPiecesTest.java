package dev.llmcls.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
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

    @TempDir Path dir;

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
        assertArrayEquals(
                vector, embedder.embedAll(List.of("cached", "cached"), done -> {}).get(1));
    }

    @Test
    void nearestListsTheMostSimilarFirstAndSkipsTheQueryItself() {
        var pool =
                new LabelledPool(
                        List.of(
                                new Example("0", "far", 0),
                                new Example("1", "near", 1),
                                new Example("2", "same", 2),
                                new Example("3", "nearer", 1)),
                        List.of(unit(-1, 0), unit(1, 1), unit(1, 0), unit(1, 0.2f)));
        var nearest = pool.nearest(unit(1, 0), "same", 2);
        assertEquals(List.of(3, 1), nearest.stream().map(LabelledPool.Neighbour::index).toList());
        assertEquals(
                List.of(2, 3, 1, 0),
                pool.nearest(unit(1, 0), null, 9).stream()
                        .map(LabelledPool.Neighbour::index)
                        .toList());
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
            java.util.Arrays.sort(
                    order,
                    (a, b) ->
                            Float.compare(
                                    Vectors.dot(query, vectors.get(b)),
                                    Vectors.dot(query, vectors.get(a))));
            var expected = java.util.Arrays.stream(order).filter(i -> i != self).limit(10).toList();
            var found = pool.nearest(query, "t" + self, 10);
            assertEquals(expected, found.stream().map(LabelledPool.Neighbour::index).toList());
            for (var neighbour : found) {
                assertEquals(
                        Vectors.dot(query, vectors.get(neighbour.index())),
                        neighbour.similarity(),
                        0f);
            }
        }
    }

    /**
     * A pool of random unit vectors (n not a multiple of four), pool text i is "t" + i; 50 is a
     * copy of 10.
     */
    private static List<float[]> randomVectors(int n, int dimension, long seed) {
        var random = new java.util.Random(seed);
        var vectors = new java.util.ArrayList<float[]>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[dimension];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextGaussian();
            }
            vectors.add(Vectors.normalised(v));
        }
        vectors.set(50, vectors.get(10).clone());
        return vectors;
    }

    private static LabelledPool poolOf(List<float[]> vectors, int searchers) {
        var examples = new java.util.ArrayList<Example>();
        for (int i = 0; i < vectors.size(); i++) {
            examples.add(new Example(String.valueOf(i), "t" + i, 0));
        }
        return new LabelledPool(examples, vectors, searchers);
    }

    /**
     * What a plain scan with {@link Vectors#dot} finds: the k most similar, ties by pool order,
     * without self.
     */
    private static List<Integer> plainScan(
            List<float[]> vectors, float[] query, String queryText, int k) {
        float[] similarity = new float[vectors.size()];
        Integer[] order = new Integer[vectors.size()];
        for (int i = 0; i < order.length; i++) {
            similarity[i] = Vectors.dot(query, vectors.get(i));
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(similarity[b], similarity[a]));
        return java.util.Arrays.stream(order)
                .filter(i -> !("t" + i).equals(queryText))
                .limit(k)
                .toList();
    }

    @Test
    void queriesSearchedFourAtATimeFindExactlyWhatAPlainScanFinds() {
        List<float[]> vectors = randomVectors(103, 37, 11);
        var pool = poolOf(vectors, 1);
        int count = 22; // five blocks of four and one of two
        float[][] queries = new float[count][];
        String[] texts = new String[count];
        for (int q = 0; q < count; q++) {
            queries[q] = vectors.get(q * 4);
            texts[q] = q % 3 == 0 ? null : "t" + q * 4;
        }
        queries[3] = vectors.get(10); // a query whose twin (50) is in the pool
        texts[3] = "t10";
        var found = pool.nearestAll(queries, texts, 10);
        assertEquals(count, found.size());
        for (int q = 0; q < count; q++) {
            assertEquals(
                    plainScan(vectors, queries[q], texts[q], 10),
                    found.get(q).stream().map(LabelledPool.Neighbour::index).toList(),
                    "query " + q);
            for (var neighbour : found.get(q)) {
                assertEquals(
                        Vectors.dot(queries[q], vectors.get(neighbour.index())),
                        neighbour.similarity(),
                        0f,
                        "query " + q + ": every similarity is bit for bit Vectors.dot");
            }
            assertEquals(
                    pool.nearest(queries[q], texts[q], 10), found.get(q), "query " + q + " alone");
        }
        assertTrue(
                found.get(3).stream().anyMatch(n -> n.index() == 50),
                "the twin of the query's text is found");
    }

    @Test
    void concurrentCallersEachGetTheirOwnQuerysNeighbours() throws Exception {
        List<float[]> vectors = randomVectors(1001, 96, 5);
        // one searcher for sixteen callers: the others queue their queries meanwhile, so blocks of
        // four form
        var pool = poolOf(vectors, 1);
        int threads = 16;
        var start = new java.util.concurrent.CountDownLatch(1);
        var executor = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            var results = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(
                        executor.submit(
                                () -> {
                                    start.await();
                                    int checked = 0;
                                    for (int r = 0; r < 60; r++) {
                                        int self = (thread * 61 + r * 7) % vectors.size();
                                        int k = 1 + (thread + r) % 12;
                                        var found = pool.nearest(vectors.get(self), "t" + self, k);
                                        assertEquals(
                                                plainScan(
                                                        vectors, vectors.get(self), "t" + self, k),
                                                found.stream()
                                                        .map(LabelledPool.Neighbour::index)
                                                        .toList());
                                        checked++;
                                    }
                                    return checked;
                                }));
            }
            start.countDown();
            for (var result : results) {
                assertEquals(60, result.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertTrue(
                    pool.blocksOfFour() > 0, "queries of different callers were searched together");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aQueryOfAnotherLengthIsRefused() {
        var pool = poolOf(randomVectors(60, 8, 3), 2);
        var e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class, () -> pool.nearest(new float[9], null, 3));
        assertTrue(e.getMessage().contains("length 9"), e.getMessage());
        assertEquals(
                3,
                pool.nearest(new float[8], null, 3).size(),
                "the pool still answers after a refused query");
    }

    @Test
    void knnVotesByCountThenBySummedSimilarity() {
        var pool =
                new LabelledPool(
                        List.of(
                                new Example("0", "a1", 0),
                                new Example("1", "b1", 1),
                                new Example("2", "b2", 1),
                                new Example("3", "a2", 0),
                                new Example("4", "c1", 2)),
                        List.of(
                                unit(1, 0.1f),
                                unit(1, 0.3f),
                                unit(1, 0.4f),
                                unit(1, 0.5f),
                                unit(0, 1)));
        Decision decision = new KnnClassifier(pool, LABELS, 3).classify(unit(1, 0), "query");
        assertEquals(1, decision.label(), "two B neighbours beat one A");
        assertEquals(Map.of("A", 1, "B", 2), decision.votes());

        // k = 4: two A and two B; the A pair (0.1 and 0.5 off the axis) is more similar in sum than
        // the B pair.
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
            var embedder =
                    new Embedder(name, EmbeddingCache.inMemory(EmbeddingModels.dimension(name)));
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
        var classifier =
                new SimilarityClassifier(List.of(unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1)));
        assertEquals(2, classifier.classify(unit(0.2f, 0.1f, 0.9f), "t").label());
        assertNull(classifier.classify(unit(0.2f, 0.1f, 0.9f), "t").votes());
    }
}
