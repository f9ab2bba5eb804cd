package dev.llmcls.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.llmcls.embed.Embedder;
import dev.llmcls.embed.EmbeddingCache;
import dev.llmcls.embed.EmbeddingModels;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Embedding throughput by batch size (issue 13): the first N AG News test texts (as the main job
 * embeds them) go through {@link Embedder#embedAll} with an in-memory cache, once per batch size,
 * {@code parallel} model calls at a time (default: one per core). Prints texts per second (wall)
 * and CPU milliseconds per text (this process, all threads), and for batches above one the mean
 * cosine between batched and single-text vectors.
 *
 * <p>Usage: {@code mvn -q -B -ntp test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.llmcls.bench.EmbeddingBatchBench -Dexec.args="TEXTS BATCHES [PARALLEL]
 * [MODEL]"}, e.g. {@code "1000 1,2,4,8,16,32,64"}.
 */
public final class EmbeddingBatchBench {
    private EmbeddingBatchBench() {}

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int[] batches =
                Arrays.stream((args.length > 1 ? args[1] : "1,2,4,8,16,32,64").split(","))
                        .mapToInt(Integer::parseInt)
                        .toArray();
        int parallel =
                args.length > 2
                        ? Integer.parseInt(args[2])
                        : Runtime.getRuntime().availableProcessors();
        String model = args.length > 3 ? args[3] : EmbeddingModels.DEFAULT;
        List<String> texts = BenchData.texts(count);
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(
                Locale.ROOT,
                "%d texts, model %s, %d calls at a time, %d cores, load %.2f%n",
                texts.size(),
                model,
                parallel,
                Runtime.getRuntime().availableProcessors(),
                os.getSystemLoadAverage());
        // Load the model and warm the JIT on texts outside the measured set.
        new Embedder(model, EmbeddingCache.inMemory(384), 1, parallel)
                .embedAll(BenchData.texts(count + 64).subList(count, count + 64), done -> {});
        List<float[]> single = null;
        System.out.println("| batch | texts/s | CPU ms/text | mean cosine to batch 1 |");
        System.out.println("| ---: | ---: | ---: | ---: |");
        for (int batch : batches) {
            var embedder = new Embedder(model, EmbeddingCache.inMemory(384), batch, parallel);
            long cpu = os.getProcessCpuTime();
            long started = System.nanoTime();
            List<float[]> vectors = embedder.embedAll(texts, done -> {});
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6;
            String cosine = "";
            if (batch == 1) {
                single = vectors;
            } else if (single != null) {
                double sum = 0;
                for (int i = 0; i < texts.size(); i++) {
                    float dot = 0;
                    for (int d = 0; d < 384; d++) {
                        dot += single.get(i)[d] * vectors.get(i)[d];
                    }
                    sum += dot;
                }
                cosine = String.format(Locale.ROOT, "%.5f", sum / texts.size());
            }
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %.1f | %.2f | %s |%n",
                    batch,
                    texts.size() / seconds,
                    cpuMs / texts.size(),
                    cosine);
        }
        System.out.printf(Locale.ROOT, "load at the end %.2f%n", os.getSystemLoadAverage());
    }
}
