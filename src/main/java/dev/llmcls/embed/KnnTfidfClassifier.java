package dev.llmcls.embed;

import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.learn.TfidfNaiveBayes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * kNN on the embeddings and a lexical model on the words, their probabilities averaged ({@code
 * --mode knn-tfidf}). The {@code k} nearest pool texts vote with weights {@code exp((s - s_max) /
 * T)} over their similarities {@code s} (a soft vote: {@code T} large is the plain vote, small the
 * nearest neighbour alone); the words go to {@link TfidfNaiveBayes}. A text's probabilities are
 * {@code w * kNN + (1 - w) * words}, and its label the most probable (ties: the earlier label).
 *
 * <p>Everything is chosen on the pool alone ({@link #train}): the naive Bayes smoothing by
 * cross-validation, then {@code T} and {@code w} from fixed grids by the lowest log-loss of the
 * mixture over the pool, each pool text's kNN part from its neighbours among the other pool texts
 * (as at classification time, an identical text is never a neighbour) and its word part from the
 * cross-validation fold that held it out.
 */
public final class KnnTfidfClassifier implements VectorClassifier {
    /** The soft vote's temperatures tried. */
    static final double[] TEMPERATURES = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0};

    /** The kNN part's weights tried (the words get the rest). */
    static final double[] KNN_WEIGHTS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    private final LabelledPool pool;
    private final LabelSet labels;
    private final int k;
    private final TfidfNaiveBayes.Model words;
    private final double temperature;
    private final double knnWeight;

    public KnnTfidfClassifier(
            LabelledPool pool,
            LabelSet labels,
            int k,
            TfidfNaiveBayes.Model words,
            double temperature,
            double knnWeight) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (!(temperature > 0) || !(knnWeight >= 0 && knnWeight <= 1)) {
            throw new IllegalArgumentException(
                    "temperature must be above 0 and the weight within 0..1, got "
                            + temperature
                            + " and "
                            + knnWeight);
        }
        if (words.classes() != labels.size()) {
            throw new IllegalArgumentException(
                    "a word model of " + words.classes() + " classes for " + labels.size());
        }
        this.pool = pool;
        this.labels = labels;
        this.k = k;
        this.words = words;
        this.temperature = temperature;
        this.knnWeight = knnWeight;
    }

    /** What {@link #train} chose, and the figures it chose by. */
    public record Choice(
            TfidfNaiveBayes.Fit words,
            double temperature,
            double knnWeight,
            double logLoss,
            double accuracy,
            double knnAccuracy) {}

    /**
     * Chooses the word model's smoothing, the temperature and the weight on the pool (its examples,
     * in the order of {@code vectors}), as the class comment says; the neighbour search runs on up
     * to {@code threads} threads.
     */
    public static Choice train(
            LabelledPool pool,
            List<Example> examples,
            List<float[]> vectors,
            LabelSet labels,
            int k,
            int folds,
            int threads) {
        int n = examples.size();
        if (vectors.size() != n) {
            throw new IllegalArgumentException(n + " examples but " + vectors.size() + " vectors");
        }
        int[] y = new int[n];
        List<String> texts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            y[i] = examples.get(i).gold();
            texts.add(examples.get(i).text());
        }
        TfidfNaiveBayes.Fit fit =
                TfidfNaiveBayes.crossValidated(texts, y, labels.size(), Math.min(folds, n));
        List<List<LabelledPool.Neighbour>> neighbours =
                leaveOneOut(pool, vectors, texts, k, threads);
        double bestLoss = Double.POSITIVE_INFINITY;
        double bestTemperature = TEMPERATURES[0];
        double bestWeight = KNN_WEIGHTS[0];
        double[][] mixed = new double[n][];
        for (double temperature : TEMPERATURES) {
            double[][] knn = new double[n][];
            for (int i = 0; i < n; i++) {
                knn[i] = softVote(pool, neighbours.get(i), labels.size(), temperature);
            }
            for (double weight : KNN_WEIGHTS) {
                for (int i = 0; i < n; i++) {
                    mixed[i] = mix(knn[i], fit.heldOut()[i], weight);
                }
                double loss = TfidfNaiveBayes.logLoss(mixed, y);
                if (loss < bestLoss) {
                    bestLoss = loss;
                    bestTemperature = temperature;
                    bestWeight = weight;
                }
            }
        }
        int right = 0;
        int knnRight = 0;
        for (int i = 0; i < n; i++) {
            double[] knn = softVote(pool, neighbours.get(i), labels.size(), bestTemperature);
            right += TfidfNaiveBayes.argmax(mix(knn, fit.heldOut()[i], bestWeight)) == y[i] ? 1 : 0;
            knnRight += TfidfNaiveBayes.argmax(knn) == y[i] ? 1 : 0;
        }
        return new Choice(
                fit,
                bestTemperature,
                bestWeight,
                bestLoss,
                (double) right / n,
                (double) knnRight / n);
    }

    @Override
    public Decision classify(float[] vector, String text) {
        List<LabelledPool.Neighbour> neighbours = pool.nearest(vector, text, k);
        double[] probabilities =
                mix(
                        softVote(pool, neighbours, labels.size(), temperature),
                        words.probabilities(text),
                        knnWeight);
        int[] counts = new int[labels.size()];
        for (LabelledPool.Neighbour neighbour : neighbours) {
            counts[pool.example(neighbour.index()).gold()]++;
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                votes.put(labels.name(c), counts[c]);
            }
        }
        var list = new ArrayList<Double>(probabilities.length);
        for (double p : probabilities) {
            list.add(p);
        }
        return new Decision(TfidfNaiveBayes.argmax(probabilities), votes, List.copyOf(list));
    }

    /**
     * The neighbours' labels weighted by {@code exp((s - s_max) / T)}, summing to 1 (all zero
     * without neighbours).
     */
    static double[] softVote(
            LabelledPool pool,
            List<LabelledPool.Neighbour> neighbours,
            int classes,
            double temperature) {
        double[] out = new double[classes];
        if (neighbours.isEmpty()) {
            return out;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (LabelledPool.Neighbour neighbour : neighbours) {
            max = Math.max(max, neighbour.similarity());
        }
        double total = 0;
        for (LabelledPool.Neighbour neighbour : neighbours) {
            double weight = StrictMath.exp((neighbour.similarity() - max) / temperature);
            out[pool.example(neighbour.index()).gold()] += weight;
            total += weight;
        }
        for (int c = 0; c < classes; c++) {
            out[c] /= total;
        }
        return out;
    }

    /**
     * {@code w * knn + (1 - w) * words}; a kNN part with no neighbours (all zero) leaves the words
     * alone.
     */
    static double[] mix(double[] knn, double[] words, double weight) {
        double knnTotal = 0;
        for (double p : knn) {
            knnTotal += p;
        }
        double w = knnTotal > 0 ? weight : 0;
        double[] out = new double[knn.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = w * knn[c] + (1 - w) * words[c];
        }
        return out;
    }

    /**
     * Each pool text's neighbours among the other pool texts, searched four at a time on up to
     * {@code threads} threads.
     */
    private static List<List<LabelledPool.Neighbour>> leaveOneOut(
            LabelledPool pool, List<float[]> vectors, List<String> texts, int k, int threads) {
        int n = vectors.size();
        float[][] queries = vectors.toArray(new float[0][]);
        String[] queryTexts = texts.toArray(new String[0]);
        int parts =
                Math.max(1, Math.min(threads, (n + LabelledPool.BLOCK - 1) / LabelledPool.BLOCK));
        // Parts of whole blocks, so that each thread searches four queries per pass.
        int per =
                ((n + parts - 1) / parts + LabelledPool.BLOCK - 1)
                        / LabelledPool.BLOCK
                        * LabelledPool.BLOCK;
        List<List<List<LabelledPool.Neighbour>>> found = new ArrayList<>();
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        parts,
                        runnable -> {
                            Thread thread = new Thread(runnable, "llmcls-knn-pool");
                            thread.setDaemon(true);
                            return thread;
                        });
        try {
            List<Future<List<List<LabelledPool.Neighbour>>>> running = new ArrayList<>();
            for (int from = 0; from < n; from += per) {
                int start = from;
                int end = Math.min(n, from + per);
                running.add(
                        executor.submit(
                                () ->
                                        pool.nearestAll(
                                                java.util.Arrays.copyOfRange(queries, start, end),
                                                java.util.Arrays.copyOfRange(
                                                        queryTexts, start, end),
                                                k)));
            }
            for (Future<List<List<LabelledPool.Neighbour>>> future : running) {
                found.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while searching the pool", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            executor.shutdownNow();
        }
        var out = new ArrayList<List<LabelledPool.Neighbour>>(n);
        found.forEach(out::addAll);
        return out;
    }
}
