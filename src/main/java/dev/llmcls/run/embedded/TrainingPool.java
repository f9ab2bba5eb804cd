package dev.llmcls.run.embedded;

import dev.llmcls.core.Sha256;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.embed.Embedder;
import dev.llmcls.embed.LabelledPool;
import dev.llmcls.runfile.PoolSettings;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The labelled training pool ({@code --train}) that kNN classification and demonstrations draw on.
 */
public final class TrainingPool {
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private TrainingPool() {}

    /**
     * What the manifest records of the pool (file and sha256), after reading it once so that a
     * malformed pool stops the run before anything is sent.
     */
    public static PoolSettings check(DatasetSpec train, LabelSet labels) {
        LabelledPool.read(train, labels);
        return new PoolSettings(train.file().toString(), Sha256.hexOfFile(train.file()));
    }

    /**
     * Reads the pool and embeds every text (through the cache), saying how it goes every few
     * seconds.
     */
    public static LabelledPool embedded(
            DatasetSpec train, LabelSet labels, Embedder embedder, Consumer<String> log) {
        Embedded pool = embed(train, labels, embedder, log);
        return new LabelledPool(pool.examples(), pool.vectors());
    }

    /** The pool's examples and their vectors, in file order. */
    record Embedded(List<Example> examples, List<float[]> vectors) {}

    /**
     * Reads the pool and embeds every text (through the cache), saying how it goes every few
     * seconds.
     */
    static Embedded embed(
            DatasetSpec train, LabelSet labels, Embedder embedder, Consumer<String> log) {
        long started = System.nanoTime();
        List<Example> examples = LabelledPool.read(train, labels);
        int cached = embedder.cache().size();
        log.accept(
                "embedding the training pool "
                        + train.file()
                        + " ("
                        + examples.size()
                        + " texts, model "
                        + embedder.modelName()
                        + ", cache "
                        + (embedder.cache().file() == null
                                ? "off"
                                : embedder.cache().file() + " with " + cached + " entries")
                        + ")");
        LongConsumer progress =
                new LongConsumer() {
                    private long lastReport = System.nanoTime();

                    @Override
                    public void accept(long done) {
                        if (System.nanoTime() - lastReport >= PROGRESS_EVERY_NANOS) {
                            lastReport = System.nanoTime();
                            log.accept("  pool: " + done + "/" + examples.size() + " embedded");
                        }
                    }
                };
        var pool =
                new Embedded(
                        examples,
                        embedder.embedAll(examples.stream().map(Example::text).toList(), progress));
        log.accept(
                String.format(
                        Locale.ROOT,
                        "  pool ready in %.1f s",
                        (System.nanoTime() - started) / 1e9));
        return pool;
    }
}
