package dev.llmcls.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.data.DatasetReader;
import dev.llmcls.data.DatasetSpec;
import dev.llmcls.data.ExampleSource;
import dev.llmcls.data.LabelSet;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the real CLI once per prompting method over a dataset (the 7,600 AG News test texts by
 * default) against the tests' stand-in server, and prints, per method, the requests, prompt tokens
 * and completion tokens per example and the seed-rule accuracy, as a Markdown table. The stand-in
 * counts tokens as characters / 4 and answers every text with its gold label, after a short reason
 * whose shape follows the prompt (nothing for basic, a reason for reason, clues and reasoning for
 * CARP), so the completion figures show what each method adds, not what a real model writes.
 *
 * <pre>
 * mvn -q -B -ntp test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.llmcls.bench.PromptModesBench -Dexec.args="[TEST_FILE [TRAIN_FILE]]"
 * </pre>
 */
public final class PromptModesBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PromptModesBench() {}

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/ag_news/test.csv");
        Path train =
                Path.of(args.length > 1 ? args[1] : "../shared/data/ag_news/train_sample_5000.csv");
        LabelSet labels = LabelSet.parse(LabelSet.AG_NEWS);
        Map<String, String> gold = new HashMap<>();
        try (ExampleSource source = DatasetReader.open(DatasetSpec.of(data), labels)) {
            source.forEachRemaining(
                    example -> gold.put(example.text(), labels.name(example.gold())));
        }
        Path dir = Files.createTempDirectory("llmcls-bench");
        List<String[]> methods =
                List.of(
                        new String[] {"basic"},
                        new String[] {"basic", "--constrain", "choice"},
                        new String[] {"reason"},
                        new String[] {"reason", "--constrain", "json"},
                        new String[] {"reason", "--votes", "5", "--temperature", "0.7"},
                        new String[] {"carp"},
                        new String[] {"carp-zh"},
                        new String[] {"carp", "--constrain", "json"},
                        new String[] {
                            "carp", "--shots", "8", "--demos", "random", "--train", train.toString()
                        },
                        new String[] {
                            "carp", "--shots", "8", "--demos", "knn", "--train", train.toString()
                        });
        System.out.println(
                "| method | examples | requests/example | prompt tokens/example | completion"
                        + " tokens/example | accuracy | multi-label | wall s |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        try (FakeOpenAiServer server =
                FakeOpenAiServer.start(request -> answer(request.prompt(), gold))) {
            server.recordRequests(false);
            int run = 0;
            for (String[] method : methods) {
                Path output = dir.resolve("run" + (run++) + ".jsonl");
                var cli =
                        new ArrayList<>(
                                List.of(
                                        "classify",
                                        "--data",
                                        data.toString(),
                                        "--base-url",
                                        server.baseUrl(),
                                        "--output",
                                        output.toString(),
                                        "--concurrency",
                                        "64",
                                        "--quiet",
                                        "--mode"));
                cli.addAll(List.of(method));
                int requestsBefore = server.chatRequests();
                long started = System.nanoTime();
                CliRun result = CliRun.of(cli.toArray(String[]::new));
                double seconds = (System.nanoTime() - started) / 1e9;
                if (result.exitCode() != 0) {
                    throw new IllegalStateException(
                            String.join(" ", method) + " failed: " + result);
                }
                int requests = server.chatRequests() - requestsBefore;
                long examples = 0;
                long prompt = 0;
                long completion = 0;
                for (String line : Files.readAllLines(output)) {
                    JsonNode record = JSON.readTree(line);
                    examples++;
                    prompt += record.path("prompt_tokens").asLong();
                    completion += record.path("completion_tokens").asLong();
                }
                JsonNode score =
                        JSON.readTree(
                                        CliRun.of("evaluate", "--format", "json", output.toString())
                                                .out())
                                .path("runs")
                                .get(0)
                                .path("seed");
                System.out.printf(
                        Locale.ROOT,
                        "| `--mode %s` | %d | %.2f | %.1f | %.1f | %.2f %% | %d | %.1f |%n",
                        String.join(" ", method).replace(" --train " + train, ""),
                        examples,
                        (double) requests / examples,
                        (double) prompt / examples,
                        (double) completion / examples,
                        100 * score.path("accuracy").asDouble(),
                        score.path("multi_label").asInt(),
                        seconds);
            }
        }
    }

    /**
     * The stand-in model: the gold label, after a reason shaped like the one the prompt asks for.
     */
    static String answer(String prompt, Map<String, String> gold) {
        int start = prompt.lastIndexOf("text: ") + 6;
        String text = prompt.substring(start, prompt.indexOf('\n', start));
        String label = gold.getOrDefault(text, "World");
        String[] words = text.split("\\s+");
        String firstWords =
                String.join(" ", Arrays.asList(words).subList(0, Math.min(12, words.length)));
        if (prompt.contains("\nclues:\nreasoning:\nlabel:")) {
            return "clues: "
                    + firstWords
                    + "\nreasoning: these keywords and the topic of the text point to "
                    + label
                    + " news.\nlabel: "
                    + label;
        }
        if (prompt.contains("\nreason:\nlabel:")) {
            return "reason: the text is about "
                    + firstWords
                    + ", which is "
                    + label
                    + " news.\nlabel: "
                    + label;
        }
        return "label: " + label;
    }
}
