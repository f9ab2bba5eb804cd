package dev.llmcls.bench;

import dev.llmcls.embed.EmbeddingModels;
import dev.llmcls.embed.OnnxEncoder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;

/**
 * Where a cold embedding's CPU goes (issue 13): the first N AG News test texts, one at a time on
 * this thread, as the main job embeds them; prints the thread's CPU milliseconds per text for
 * tokenization and for the model call ({@link OnnxEncoder#embed}, which is ONNX Runtime's {@code
 * session.run} on the calling thread) separately.
 *
 * <p>Usage: {@code mvn -q -B -ntp test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.llmcls.bench.EmbeddingCostBench -Dexec.args="TEXTS [MODEL]"}, e.g. {@code
 * "300"}.
 */
public final class EmbeddingCostBench {
    private EmbeddingCostBench() {}

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        String model = args.length > 1 ? args[1] : EmbeddingModels.DEFAULT;
        List<String> texts = BenchData.texts(count + 20);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (OnnxEncoder encoder = EmbeddingModels.load(model, 1)) {
            for (String text : texts.subList(count, count + 20)) {
                encoder.embed(List.of(encoder.tokenize(text)));
            }
            long tokenizeNanos = 0;
            long runNanos = 0;
            long positions = 0;
            for (String text : texts.subList(0, count)) {
                long start = threads.getCurrentThreadCpuTime();
                OnnxEncoder.Tokens tokens = encoder.tokenize(text);
                long tokenized = threads.getCurrentThreadCpuTime();
                encoder.embed(List.of(tokens));
                long embedded = threads.getCurrentThreadCpuTime();
                tokenizeNanos += tokenized - start;
                runNanos += embedded - tokenized;
                positions += tokens.length();
            }
            System.out.printf(
                    Locale.ROOT,
                    "%d texts, model %s, %.1f tokens per text, load %.2f: tokenize %.3f ms, "
                            + "model call %.3f ms CPU per text%n",
                    count,
                    model,
                    positions / (double) count,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    tokenizeNanos / 1e6 / count,
                    runNanos / 1e6 / count);
        }
    }
}
