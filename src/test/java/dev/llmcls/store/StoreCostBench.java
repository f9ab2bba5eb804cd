package dev.llmcls.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The answer store's own CPU per answer, without a run around it (issue 20): the key, a lookup that
 * misses, and the write in transactions of {@link StoreSession#BATCH}, into a fresh store, with
 * request and answer bodies of the size a prompting run keeps (about 530 and 440 bytes). {@code mvn
 * -q -B -ntp test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.llmcls.store.StoreCostBench -Dexec.args="20000 3"}
 */
public final class StoreCostBench {
    private StoreCostBench() {}

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        int answers = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String model = "glm-4-9b-chat";
        String answer =
                "{\"id\":\"chatcmpl-39\",\"object\":\"chat.completion\",\"created\":1700000000,"
                    + "\"model\":\"glm-4-9b-chat\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"The"
                    + " article reports on a match result.\\n"
                    + "label:"
                    + " Sports\",\"reasoning_content\":null,\"tool_calls\":[]},\"logprobs\":null,"
                    + "\"finish_reason\":\"stop\",\"stop_reason\":null}],\"usage\":{\"prompt_tokens\":"
                    + "108,\"total_tokens\":121,\"completion_tokens\":13,\"prompt_tokens_details\":"
                    + "null},\"prompt_logprobs\":null}";
        for (int round = 1; round <= rounds; round++) {
            Path dir = Files.createTempDirectory("store-cost");
            List<String> bodies = new ArrayList<>(answers);
            for (int i = 0; i < answers; i++) {
                bodies.add(
                        "{\"model\":\"glm-4-9b-chat\",\"messages\":[{\"role\":\"user\",\"content\":"
                                + "\"Classify the text into World, Sports, Business or Science |"
                                + " Technology. Think step by step and give the label last.\\ntext:"
                                + " Retailers Vie for Back-To-School Buyers (Reuters) Reuters -"
                                + " Apparel retailers are hoping their back-to-school fashions will"
                                + " make the grade among style-conscious teens and young adults"
                                + " this fall, but it could be a tough sell ("
                                + i
                                + ")\\nlabel:\\n\"}],\"temperature\":0.0,\"max_tokens\":1024,"
                                + "\"stop_token_ids\":[151329,151336,151338]}");
            }
            long p0 = processCpu();
            long t0 = threads.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            try (AnswerStore store = AnswerStore.open(dir)) {
                long opened = threads.getCurrentThreadCpuTime();
                long keyNanos = 0;
                long findNanos = 0;
                long putNanos = 0;
                List<AnswerStore.Keyed> batch = new ArrayList<>();
                for (int i = 0; i < answers; i++) {
                    long a = threads.getCurrentThreadCpuTime();
                    byte[] body = bodies.get(i).getBytes(StandardCharsets.UTF_8);
                    long key = AnswerStore.key(model, body);
                    long b = threads.getCurrentThreadCpuTime();
                    if (store.find(key, model, body) != null) {
                        throw new IllegalStateException("found in a fresh store");
                    }
                    long c = threads.getCurrentThreadCpuTime();
                    keyNanos += b - a;
                    findNanos += c - b;
                    batch.add(
                            new AnswerStore.Keyed(
                                    key,
                                    model,
                                    body,
                                    answer,
                                    false,
                                    "run",
                                    System.currentTimeMillis()));
                    if (batch.size() == StoreSession.BATCH || i == answers - 1) {
                        long d = threads.getCurrentThreadCpuTime();
                        store.putKeyed(batch, false);
                        putNanos += threads.getCurrentThreadCpuTime() - d;
                        batch.clear();
                    }
                }
                long closeStart = threads.getCurrentThreadCpuTime();
                store.close();
                long closeNanos = threads.getCurrentThreadCpuTime() - closeStart;
                long hitStart = threads.getCurrentThreadCpuTime();
                try (AnswerStore again = AnswerStore.open(dir)) {
                    for (int i = 0; i < answers; i++) {
                        if (again.find(model, bodies.get(i)) == null) {
                            throw new IllegalStateException("not found: " + i);
                        }
                    }
                }
                long hitNanos = threads.getCurrentThreadCpuTime() - hitStart;
                System.out.printf(
                        Locale.ROOT,
                        "round %d: process CPU %.2f s; open %.1f ms; per answer (CPU µs): key %.1f,"
                            + " lookup (miss) %.1f, write %.1f, close %.1f; all %.1f; hit lookup"
                            + " %.1f; wall %.2f s; store %.1f MB%n",
                        round,
                        (processCpu() - p0) / 1e9,
                        (opened - t0) / 1e6,
                        keyNanos / 1e3 / answers,
                        findNanos / 1e3 / answers,
                        putNanos / 1e3 / answers,
                        closeNanos / 1e3 / answers,
                        (keyNanos + findNanos + putNanos + closeNanos) / 1e3 / answers,
                        hitNanos / 1e3 / answers,
                        (System.nanoTime() - w0) / 1e9,
                        Files.size(dir.resolve(AnswerStore.FILE)) / 1e6);
            }
        }
    }
}
