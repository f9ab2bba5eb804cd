package dev.llmcls.run;

import dev.llmcls.core.Sha256;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.Example;
import dev.llmcls.data.LabelSet;
import dev.llmcls.embed.Embedder;
import dev.llmcls.embed.KnnClassifier;
import dev.llmcls.embed.LabelledPool;
import dev.llmcls.embed.SimilarityClassifier;
import dev.llmcls.embed.VectorClassifier;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Sampling;
import dev.llmcls.llm.SamplingBackend;
import dev.llmcls.prompt.Demonstrations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Turns a {@link Method} into what a run needs: the request options and backend for the prompting methods, the
 * task for the embedded ones, and the settings the manifest records (and resume compares). A setting left at the
 * seed's value adds nothing, so seed-mode manifests are unchanged.
 */
final class MethodSetup {
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private MethodSetup() {
    }

    // ---- prompting methods ----

    static ChatOptions chatOptions(Method method, String model, Sampling sampling, LabelSet labels) {
        return new ChatOptions(model, sampling, method.votes(),
                method.constraint().requestParameters(labels.names()));
    }

    static ChatBackend backend(Method method, ChatBackend backend) {
        return method.votes() > 1 ? new SamplingBackend(backend) : backend;
    }

    /** The manifest's extra sampling settings of a prompting method; a training pool is read once to check it. */
    static Map<String, Object> promptSettings(Method method, LabelSet labels) {
        var settings = new LinkedHashMap<String, Object>();
        if (method.votes() > 1) {
            settings.put("votes", method.votes());
        }
        if (method.constraint().recordName() != null) {
            settings.put("constraint", method.constraint().recordName());
        }
        Method.Demos demos = method.demos();
        if (demos != null) {
            settings.put("shots", demos.shots());
            settings.put("demos", demos.selection().name().toLowerCase(Locale.ROOT));
            putPool(settings, demos.train(), labels);
            if (demos.selection() == Demonstrations.Selection.KNN) {
                settings.put("embedding_model", demos.embedding().model());
            } else {
                settings.put("demo_seed", demos.seed());
            }
        }
        return settings;
    }

    /**
     * Records the training pool (file and sha256) that a method draws on, after reading it once so that a malformed
     * pool stops the run before anything is sent.
     */
    private static void putPool(Map<String, Object> settings, DatasetSpec train, LabelSet labels) {
        LabelledPool.read(train, labels);
        settings.put("train_file", train.file().toString());
        settings.put("train_sha256", Sha256.hexOfFile(train.file()));
    }

    /** The demonstrations of a prompting method, null when it has none; a kNN pool is embedded here. */
    static Demonstrations demonstrations(Method method, LabelSet labels, Consumer<String> log) {
        Method.Demos demos = method.demos();
        if (demos == null) {
            return null;
        }
        if (demos.selection() == Demonstrations.Selection.RANDOM) {
            return Demonstrations.random(LabelledPool.read(demos.train(), labels), labels, demos.shots(), demos.seed());
        }
        Embedder embedder = demos.embedding().open();
        LabelledPool pool = loadPool(demos.train(), labels, embedder, log);
        return KnnDemonstrations.of(pool, embedder, labels, demos.shots());
    }

    // ---- embedded methods ----

    /** The manifest's settings of an embedded method; a training pool is read once to check it. */
    static Map<String, Object> embeddedSettings(Method.Embedded embedded, LabelSet labels) {
        var settings = new LinkedHashMap<String, Object>();
        settings.put("classifier", embedded.classifier().name().toLowerCase(Locale.ROOT));
        settings.put("embedding_model", embedded.embedding().model());
        if (embedded.classifier() == Method.Classifier.KNN) {
            settings.put("k", embedded.k());
            putPool(settings, embedded.train(), labels);
        } else {
            settings.put("label_texts", embedded.descriptions().textsFor(labels));
        }
        return settings;
    }

    static ExampleTask embeddedTask(Method.Embedded embedded, LabelSet labels, Consumer<String> log) {
        Embedder embedder = embedded.embedding().open();
        VectorClassifier classifier;
        if (embedded.classifier() == Method.Classifier.KNN) {
            classifier = new KnnClassifier(loadPool(embedded.train(), labels, embedder, log), labels, embedded.k());
        } else {
            List<float[]> labelVectors = embedder.embedAll(embedded.descriptions().textsFor(labels), done -> { });
            classifier = new SimilarityClassifier(labelVectors);
        }
        return new EmbeddingTask(embedder, classifier, labels);
    }

    private static LabelledPool loadPool(DatasetSpec train, LabelSet labels, Embedder embedder,
            Consumer<String> log) {
        long started = System.nanoTime();
        var examples = LabelledPool.read(train, labels);
        int cached = embedder.cache().size();
        log.accept("embedding the training pool " + train.file() + " (" + examples.size() + " texts, model "
                + embedder.modelName() + ", cache " + (embedder.cache().file() == null ? "off"
                : embedder.cache().file() + " with " + cached + " entries") + ")");
        LongConsumer progress = new LongConsumer() {
            private long lastReport = System.nanoTime();

            @Override
            public void accept(long done) {
                if (System.nanoTime() - lastReport >= PROGRESS_EVERY_NANOS) {
                    lastReport = System.nanoTime();
                    log.accept("  pool: " + done + "/" + examples.size() + " embedded");
                }
            }
        };
        var pool = new LabelledPool(examples,
                embedder.embedAll(examples.stream().map(Example::text).toList(), progress));
        log.accept(String.format(Locale.ROOT, "  pool ready in %.1f s", (System.nanoTime() - started) / 1e9));
        return pool;
    }
}
