package dev.llmcls.embed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Embeds texts with a bundled model through the on-disk cache: a text already in the cache costs a
 * hash, and the model itself is only loaded when some text is missing. Safe to call from many
 * threads. The model runs one call per core at a time, each on its calling thread (ONNX Runtime
 * with one intra-op thread and no spinning: measured in BENCHMARKS.md, this costs half the CPU per
 * text of one call spread over all cores), so a run with many request threads neither
 * oversubscribes the CPU nor leaves a core idle.
 */
public final class Embedder {
    /**
     * Texts per model call in {@link #embedAll}. One: on the measured machine a padded batch saved
     * no CPU per text (BENCHMARKS.md, "Embedding batch size"), and only single-text vectors are bit
     * for bit what the cache holds.
     */
    public static final int DEFAULT_BATCH = 1;

    private final String modelName;
    private final EmbeddingCache cache;
    private final int batch;
    private final int parallel;
    private final Semaphore cores;
    private volatile OnnxEncoder encoder;

    public Embedder(String modelName, EmbeddingCache cache) {
        this(modelName, cache, DEFAULT_BATCH, Runtime.getRuntime().availableProcessors());
    }

    /**
     * An embedder whose {@link #embedAll} sends {@code batch} texts of similar length per model
     * call, {@code parallel} calls at a time. Vectors from batches of several texts differ slightly
     * from single-text ones (see {@link OnnxEncoder}), so such an embedder must not write to a disk
     * cache shared with single-text runs.
     */
    public Embedder(String modelName, EmbeddingCache cache, int batch, int parallel) {
        if (batch < 1 || parallel < 1) {
            throw new IllegalArgumentException("batch and parallel must be at least 1");
        }
        if (batch > 1 && cache.file() != null) {
            throw new IllegalArgumentException(
                    "batched vectors are not bit-compatible with the disk cache");
        }
        this.modelName = EmbeddingModels.require(modelName);
        this.cache = cache;
        this.batch = batch;
        this.parallel = parallel;
        this.cores = new Semaphore(parallel);
    }

    public String modelName() {
        return modelName;
    }

    public EmbeddingCache cache() {
        return cache;
    }

    /** One text's unit-length embedding. */
    public float[] embed(String text) throws InterruptedException {
        float[] cached = cache.get(text);
        if (cached != null) {
            return cached;
        }
        OnnxEncoder model = encoder();
        OnnxEncoder.Tokens tokens = model.tokenize(text);
        cores.acquire();
        float[] vector;
        try {
            vector = Vectors.normalised(model.embed(List.of(tokens))[0]);
        } finally {
            cores.release();
        }
        cache.putAll(List.of(text), List.of(vector));
        return vector;
    }

    /**
     * Embeddings of many texts, in their order: cached ones are looked up, the rest are sorted by
     * token count and go to the model {@code batch} at a time on {@code parallel} threads, and are
     * cached batch by batch, so an interrupted run keeps what it computed. {@code progress}
     * receives the number of texts done so far.
     */
    public List<float[]> embedAll(List<String> texts, LongConsumer progress) {
        Map<String, float[]> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String text : texts) {
            float[] cached = cache.get(text);
            if (cached != null) {
                found.put(text, cached);
            } else if (!found.containsKey(text)) {
                found.put(text, null);
                missing.add(text);
            }
        }
        AtomicLong done = new AtomicLong(texts.size() - missing.size());
        progress.accept(done.get());
        if (!missing.isEmpty()) {
            float[][] vectors =
                    embedMissing(
                            missing,
                            count -> {
                                synchronized (done) {
                                    progress.accept(done.addAndGet(count));
                                }
                            });
            for (int i = 0; i < missing.size(); i++) {
                found.put(missing.get(i), vectors[i]);
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(found.get(text));
        }
        return out;
    }

    private float[][] embedMissing(List<String> missing, LongConsumer finished) {
        OnnxEncoder model = encoder();
        int n = missing.size();
        OnnxEncoder.Tokens[] tokens = new OnnxEncoder.Tokens[n];
        float[][] vectors = new float[n][];
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        parallel,
                        runnable -> {
                            Thread thread = new Thread(runnable, "embed");
                            thread.setDaemon(true);
                            return thread;
                        });
        try {
            // Tokenize on all threads, then order by length so that each batch pads little.
            AtomicInteger nextText = new AtomicInteger();
            runOnAll(
                    pool,
                    () -> {
                        for (int i = nextText.getAndIncrement();
                                i < n;
                                i = nextText.getAndIncrement()) {
                            tokens[i] = model.tokenize(missing.get(i));
                        }
                    });
            Integer[] order = new Integer[n];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, Comparator.comparingInt(i -> tokens[i].length()));
            AtomicInteger nextBatch = new AtomicInteger();
            runOnAll(
                    pool,
                    () -> {
                        for (int from = nextBatch.getAndAdd(batch);
                                from < n;
                                from = nextBatch.getAndAdd(batch)) {
                            int to = Math.min(n, from + batch);
                            List<OnnxEncoder.Tokens> inputs = new ArrayList<>(to - from);
                            List<String> texts = new ArrayList<>(to - from);
                            for (int k = from; k < to; k++) {
                                inputs.add(tokens[order[k]]);
                                texts.add(missing.get(order[k]));
                            }
                            float[][] out = model.embed(inputs);
                            List<float[]> unit = new ArrayList<>(out.length);
                            for (int k = from; k < to; k++) {
                                float[] vector = Vectors.normalised(out[k - from]);
                                vectors[order[k]] = vector;
                                unit.add(vector);
                            }
                            cache.putAll(texts, unit);
                            finished.accept(to - from);
                        }
                    });
        } finally {
            pool.shutdownNow();
        }
        return vectors;
    }

    private void runOnAll(ExecutorService pool, Runnable work) {
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            running.add(pool.submit(work));
        }
        try {
            for (Future<?> future : running) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private OnnxEncoder encoder() {
        OnnxEncoder loaded = encoder;
        if (loaded == null) {
            synchronized (this) {
                loaded = encoder;
                if (loaded == null) {
                    loaded = EmbeddingModels.load(modelName, 1);
                    encoder = loaded;
                }
            }
        }
        return loaded;
    }
}
