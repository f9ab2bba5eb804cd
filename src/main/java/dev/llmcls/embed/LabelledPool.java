package dev.llmcls.embed;

import dev.llmcls.core.InputException;
import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.Example;
import dev.llmcls.data.ExampleSource;
import dev.llmcls.data.LabelSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A labelled training pool with each text's embedding: the neighbours of the kNN classifier and the
 * candidates for kNN demonstrations. {@link #nearest} is an exact search (one dot product per pool
 * text): at 5,000 texts and 384 dimensions about a millisecond of CPU per query with C1-compiled
 * code (bin/llmcls's JVM options).
 */
public final class LabelledPool {
    /** Queries searched in one pass over the pool. */
    static final int BLOCK = 4;

    private final List<Example> examples;
    private final float[][] vectors;
    private final int dimension;

    /**
     * Queries waiting for a searcher; also the lock over {@link #searchers} and {@link
     * #blocksOfFour}.
     */
    private final ArrayDeque<Query> queued = new ArrayDeque<>();

    /** Threads searching at a time at most: one per core; more would only share the cores. */
    private final int maxSearchers;

    private int searchers;
    private long blocksOfFour;

    public LabelledPool(List<Example> examples, List<float[]> vectors) {
        this(examples, vectors, Runtime.getRuntime().availableProcessors());
    }

    /** A pool searched by at most {@code maxSearchers} threads at a time (see {@link #nearest}). */
    LabelledPool(List<Example> examples, List<float[]> vectors, int maxSearchers) {
        if (examples.size() != vectors.size()) {
            throw new IllegalArgumentException(
                    examples.size() + " examples but " + vectors.size() + " vectors");
        }
        if (maxSearchers < 1) {
            throw new IllegalArgumentException(
                    "maxSearchers must be at least 1, got " + maxSearchers);
        }
        this.maxSearchers = maxSearchers;
        this.examples = List.copyOf(examples);
        this.vectors = vectors.toArray(new float[0][]);
        this.dimension = this.vectors.length == 0 ? 0 : this.vectors[0].length;
        for (float[] vector : this.vectors) {
            if (vector.length != dimension) {
                throw new IllegalArgumentException(
                        "pool vectors of lengths " + dimension + " and " + vector.length);
            }
        }
    }

    /** Reads every example of the pool file; the file must hold at least one. */
    public static List<Example> read(DatasetSpec spec, LabelSet labels) {
        var examples = new ArrayList<Example>();
        try (ExampleSource source = DatasetReader.open(spec, labels)) {
            source.forEachRemaining(
                    example -> {
                        if (example.multiLabel()) {
                            throw new InputException(
                                    "the training pool "
                                            + spec.file()
                                            + " gives example '"
                                            + example.id()
                                            + "' a list of labels; a pool's texts (kNN votes,"
                                            + " demonstrations) need one label each");
                        }
                        examples.add(example);
                    });
        }
        if (examples.isEmpty()) {
            throw new InputException("the training pool " + spec.file() + " holds no examples");
        }
        return examples;
    }

    public Example example(int index) {
        return examples.get(index);
    }

    /** A pool text and how similar it is to the query. */
    public record Neighbour(int index, float similarity) {}

    /** The examples of {@link #nearest}, most similar first. */
    public List<Example> nearestExamples(float[] query, String queryText, int k) {
        return nearest(query, queryText, k).stream().map(n -> examples.get(n.index())).toList();
    }

    /**
     * The {@code k} pool texts most similar to {@code query}, most similar first (ties by pool
     * order), leaving out any pool text identical to {@code queryText} so that an example is never
     * its own neighbour.
     *
     * <p>Concurrent calls are searched together. Each call queues its query; at most one calling
     * thread per core searches, taking up to {@link #BLOCK} queued queries at a time (its own or
     * other threads') until the queue is empty, while the other callers wait for their answers. A
     * pass over the pool with four queries loads each pool vector once for four dot products, and
     * the sixteen independent sums of four queries by four pool vectors keep the processor busy
     * where one sum waits on its previous addition (about half the CPU of one query at a time,
     * measured in BENCHMARKS.md). Every sum still adds its products in index order, so every
     * similarity is bit for bit {@link Vectors#dot}, whatever the grouping.
     */
    public List<Neighbour> nearest(float[] query, String queryText, int k) {
        var mine = new Query(query, queryText, k);
        if (vectors.length == 0) {
            return List.of();
        }
        if (query.length != dimension) {
            throw new IllegalArgumentException(
                    "a query of length " + query.length + ", pool vectors of " + dimension);
        }
        boolean searcher;
        synchronized (queued) {
            queued.add(mine);
            searcher = searchers < maxSearchers;
            if (searcher) {
                searchers++;
            }
        }
        if (searcher) {
            // A searcher leaves only when it finds the queue empty (checked under the lock that
            // queueing takes), so
            // a query queued while every searcher is busy is always taken by one of them.
            while (true) {
                Query[] block;
                synchronized (queued) {
                    block = new Query[Math.min(BLOCK, queued.size())];
                    if (block.length == 0) {
                        searchers--;
                        break;
                    }
                    for (int q = 0; q < block.length; q++) {
                        block[q] = queued.poll();
                    }
                    if (block.length == BLOCK) {
                        blocksOfFour++;
                    }
                }
                search(block);
            }
        }
        return answer(mine);
    }

    /**
     * The query's neighbours once searched; if the search of its block failed, the same failure
     * here.
     */
    private static List<Neighbour> answer(Query query) {
        try {
            return query.answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** How many times four queued queries were searched together (for tests). */
    long blocksOfFour() {
        synchronized (queued) {
            return blocksOfFour;
        }
    }

    /**
     * Searches several queries in one pass over the pool, the same results as one {@link #nearest}
     * call each.
     */
    List<List<Neighbour>> nearestAll(float[][] queries, String[] queryTexts, int k) {
        var out = new ArrayList<List<Neighbour>>(queries.length);
        for (int from = 0; from < queries.length; from += BLOCK) {
            int to = Math.min(queries.length, from + BLOCK);
            Query[] block = new Query[to - from];
            for (int q = from; q < to; q++) {
                if (queries[q].length != dimension) {
                    throw new IllegalArgumentException(
                            "a query of length "
                                    + queries[q].length
                                    + ", pool vectors of "
                                    + dimension);
                }
                block[q - from] = new Query(queries[q], queryTexts[q], k);
            }
            search(block);
            for (Query query : block) {
                out.add(answer(query));
            }
        }
        return out;
    }

    /**
     * Answers every query of the block (four at a time through {@link #searchFour}, others one by
     * one).
     */
    private void search(Query[] block) {
        try {
            if (block.length == 4) {
                searchFour(block[0], block[1], block[2], block[3]);
            } else {
                for (Query query : block) {
                    searchOne(query);
                }
            }
            for (Query query : block) {
                query.answer.complete(query.best.neighbours());
            }
        } catch (RuntimeException | Error e) {
            // Each caller rethrows it from its own answer; the searcher goes on with the rest of
            // the queue.
            for (Query query : block) {
                query.answer.completeExceptionally(e);
            }
        }
    }

    /** One query, four pool vectors per pass: four independent sums, each in index order. */
    private void searchOne(Query query) {
        float[] q = query.vector;
        int n = vectors.length;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            float[] v0 = vectors[i];
            float[] v1 = vectors[i + 1];
            float[] v2 = vectors[i + 2];
            float[] v3 = vectors[i + 3];
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            for (int d = 0; d < dimension; d++) {
                float x = q[d];
                s0 += x * v0[d];
                s1 += x * v1[d];
                s2 += x * v2[d];
                s3 += x * v3[d];
            }
            offer(query, i, s0);
            offer(query, i + 1, s1);
            offer(query, i + 2, s2);
            offer(query, i + 3, s3);
        }
        for (; i < n; i++) {
            offer(query, i, Vectors.dot(q, vectors[i]));
        }
    }

    /** Four queries, four pool vectors per pass: sixteen independent sums, each in index order. */
    private void searchFour(Query a, Query b, Query c, Query e) {
        float[] qa = a.vector;
        float[] qb = b.vector;
        float[] qc = c.vector;
        float[] qe = e.vector;
        int n = vectors.length;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            float[] v0 = vectors[i];
            float[] v1 = vectors[i + 1];
            float[] v2 = vectors[i + 2];
            float[] v3 = vectors[i + 3];
            float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            float b0 = 0, b1 = 0, b2 = 0, b3 = 0;
            float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
            float e0 = 0, e1 = 0, e2 = 0, e3 = 0;
            for (int d = 0; d < dimension; d++) {
                float xa = qa[d];
                float xb = qb[d];
                float xc = qc[d];
                float xe = qe[d];
                float y = v0[d];
                a0 += xa * y;
                b0 += xb * y;
                c0 += xc * y;
                e0 += xe * y;
                y = v1[d];
                a1 += xa * y;
                b1 += xb * y;
                c1 += xc * y;
                e1 += xe * y;
                y = v2[d];
                a2 += xa * y;
                b2 += xb * y;
                c2 += xc * y;
                e2 += xe * y;
                y = v3[d];
                a3 += xa * y;
                b3 += xb * y;
                c3 += xc * y;
                e3 += xe * y;
            }
            offer(a, i, a0);
            offer(a, i + 1, a1);
            offer(a, i + 2, a2);
            offer(a, i + 3, a3);
            offer(b, i, b0);
            offer(b, i + 1, b1);
            offer(b, i + 2, b2);
            offer(b, i + 3, b3);
            offer(c, i, c0);
            offer(c, i + 1, c1);
            offer(c, i + 2, c2);
            offer(c, i + 3, c3);
            offer(e, i, e0);
            offer(e, i + 1, e1);
            offer(e, i + 2, e2);
            offer(e, i + 3, e3);
        }
        for (; i < n; i++) {
            offer(a, i, Vectors.dot(qa, vectors[i]));
            offer(b, i, Vectors.dot(qb, vectors[i]));
            offer(c, i, Vectors.dot(qc, vectors[i]));
            offer(e, i, Vectors.dot(qe, vectors[i]));
        }
    }

    private void offer(Query query, int i, float sim) {
        Best best = query.best;
        String queryText = query.text;
        int k = best.index.length;
        if (best.count == k && sim <= best.similarity[k - 1]) {
            return;
        }
        if (queryText != null && examples.get(i).text().equals(queryText)) {
            return;
        }
        int at = best.count < k ? best.count++ : k - 1;
        while (at > 0 && best.similarity[at - 1] < sim) {
            best.index[at] = best.index[at - 1];
            best.similarity[at] = best.similarity[at - 1];
            at--;
        }
        best.index[at] = i;
        best.similarity[at] = sim;
    }

    /** The best {@code k} so far, most similar first. */
    private static final class Best {
        final int[] index;
        final float[] similarity;
        int count;

        Best(int k) {
            index = new int[k];
            similarity = new float[k];
        }

        List<Neighbour> neighbours() {
            var out = new ArrayList<Neighbour>(count);
            for (int r = 0; r < count; r++) {
                out.add(new Neighbour(index[r], similarity[r]));
            }
            return out;
        }
    }

    /** A query waiting for (or being searched for) its neighbours. */
    private static final class Query {
        final float[] vector;
        final String text;
        final Best best;
        final CompletableFuture<List<Neighbour>> answer = new CompletableFuture<>();

        Query(float[] vector, String text, int k) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be at least 1, got " + k);
            }
            this.vector = vector;
            this.text = text;
            this.best = new Best(k);
        }
    }
}
