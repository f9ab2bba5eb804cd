package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two fixture runs made by the real {@code classify} against the stand-in server, one with the
 * basic prompt and one with the reason prompt, whose answers are scripted per example from a list
 * of answer kinds. Each kind says what the seed rule and the strict scorer must make of it, so the
 * test derives every figure of {@code evaluate} on its own: counts, accuracy, Wilson interval,
 * per-class metrics, confusion matrix, the paired counts and McNemar's p-value.
 */
@Timeout(120)
class EvaluateEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LABELS =
            List.of("World", "Sports", "Business", "Science | Technology");
    private static final Map<String, String> ALIAS =
            Map.of(
                    "World",
                    "International",
                    "Sports",
                    "Athletics",
                    "Business",
                    "Economy",
                    "Science | Technology",
                    "Sci/Tech");
    private static final int EXAMPLES = 240;
    private static final int NONE = -1;
    private static final int MULTI = -2;
    private static final int ERROR = -3;
    private static final double Z = 1.959963984540054;

    /**
     * An answer kind: how the model replies (gold name, another name), and the prediction each
     * scorer must read.
     */
    enum Kind {
        PLAIN((g, o) -> "label: " + g, Outcome.GOLD, Outcome.GOLD),
        MARKDOWN(
                (g, o) -> "**Reason:** the text is clear.\n**Label:** " + g,
                Outcome.GOLD,
                Outcome.GOLD),
        LOWERCASE((g, o) -> "label: " + g.toLowerCase(Locale.ROOT), Outcome.NONE, Outcome.GOLD),
        CHINESE((g, o) -> "理由：很明显。\n标签：" + g, Outcome.GOLD, Outcome.GOLD),
        ALIAS((g, o) -> "label: " + EvaluateEndToEndTest.ALIAS.get(g), Outcome.NONE, Outcome.GOLD),
        WRONG((g, o) -> "label: " + o, Outcome.OTHER, Outcome.OTHER),
        TWO((g, o) -> "label: " + g + " or " + o, Outcome.MULTI, Outcome.MULTI),
        UNSURE((g, o) -> "label: I cannot tell", Outcome.NONE, Outcome.NONE),
        CHANGED_MIND(
                (g, o) -> "label: " + g + "\nOn reflection the label is " + o,
                Outcome.OTHER,
                Outcome.OTHER),
        REJECTED((g, o) -> null, Outcome.ERROR, Outcome.ERROR);

        final BiFunction<String, String, String> reply;
        final Outcome seed;
        final Outcome strict;

        Kind(BiFunction<String, String, String> reply, Outcome seed, Outcome strict) {
            this.reply = reply;
            this.seed = seed;
            this.strict = strict;
        }
    }

    enum Outcome {
        GOLD,
        OTHER,
        NONE,
        MULTI,
        ERROR
    }

    @TempDir static Path dir;
    private static FakeOpenAiServer server;
    private static final Map<String, Integer> GOLD = new HashMap<>();
    private static final Map<String, Kind> BASIC = new HashMap<>();
    private static final Map<String, Kind> REASON = new HashMap<>();
    private static final List<String> TEXTS = new ArrayList<>();
    private static Path basic;
    private static Path reason;
    private static Path labelsFile;

    @BeforeAll
    static void classifyTwoRuns() throws IOException {
        var random = new Random(7);
        var csv = new StringBuilder("text,label\n");
        for (int i = 0; i < EXAMPLES; i++) {
            String text = "Synthetic news item " + i + " for the evaluation fixture";
            TEXTS.add(text);
            GOLD.put(text, i % 4);
            BASIC.put(text, pick(random, new int[] {40, 8, 8, 5, 5, 14, 8, 5, 4, 3}));
            REASON.put(text, pick(random, new int[] {55, 8, 8, 5, 6, 8, 4, 3, 2, 1}));
            csv.append(text).append(',').append(LABELS.get(i % 4)).append('\n');
        }
        Path data = dir.resolve("fixture.csv");
        Files.writeString(data, csv);
        labelsFile = dir.resolve("labels.txt");
        Files.writeString(
                labelsFile,
                "World = International\nSports = Athletics\nBusiness = Economy\n"
                        + "Science | Technology = Sci/Tech\n");
        server =
                FakeOpenAiServer.start(
                        request -> {
                            String text = textOf(request.prompt());
                            int gold = GOLD.get(text);
                            return kinds(request.prompt())
                                    .get(text)
                                    .reply
                                    .apply(LABELS.get(gold), LABELS.get((gold + 1) % 4));
                        });
        server.faults(
                request ->
                        kinds(request.prompt()).get(textOf(request.prompt())) == Kind.REJECTED
                                ? FakeOpenAiServer.Fault.status(400)
                                : FakeOpenAiServer.Fault.none());
        basic = dir.resolve("basic.jsonl");
        reason = dir.resolve("reason.jsonl");
        for (Path output : List.of(basic, reason)) {
            String mode = output == basic ? "basic" : "reason";
            CliRun run =
                    CliRun.of(
                            "classify",
                            "--mode",
                            mode,
                            "--data",
                            data.toString(),
                            "--base-url",
                            server.baseUrl(),
                            "--output",
                            output.toString(),
                            "--concurrency",
                            "8");
            boolean rejected = (output == basic ? BASIC : REASON).containsValue(Kind.REJECTED);
            assertEquals(
                    rejected ? 1 : 0,
                    run.exitCode(),
                    "rejected examples make classify exit 1\n" + run);
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static Kind pick(Random random, int[] weights) {
        int roll = random.nextInt(Arrays.stream(weights).sum());
        for (int k = 0; k < weights.length; k++) {
            roll -= weights[k];
            if (roll < 0) {
                return Kind.values()[k];
            }
        }
        throw new IllegalStateException();
    }

    private static Map<String, Kind> kinds(String prompt) {
        return prompt.contains("\nreason:\nlabel:") ? REASON : BASIC;
    }

    private static String textOf(String prompt) {
        int start = prompt.indexOf("text: ") + 6;
        return prompt.substring(start, prompt.indexOf('\n', start));
    }

    /**
     * The prediction (label index, NONE, MULTI or ERROR) a scorer must read from an example's
     * answer.
     */
    private static int expected(Outcome outcome, int gold) {
        return switch (outcome) {
            case GOLD -> gold;
            case OTHER -> (gold + 1) % 4;
            case NONE -> NONE;
            case MULTI -> MULTI;
            case ERROR -> ERROR;
        };
    }

    private static int[] predictions(Map<String, Kind> kinds, boolean strict) {
        int[] predictions = new int[EXAMPLES];
        for (int i = 0; i < EXAMPLES; i++) {
            Kind kind = kinds.get(TEXTS.get(i));
            predictions[i] = expected(strict ? kind.strict : kind.seed, i % 4);
        }
        return predictions;
    }

    private static JsonNode evaluateJson(String... extra) throws IOException {
        var args =
                new ArrayList<>(
                        List.of(
                                "evaluate",
                                "--format",
                                "json",
                                "--labels-file",
                                labelsFile.toString()));
        args.addAll(List.of(extra));
        args.addAll(List.of(basic.toString(), reason.toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.toString());
        return JSON.readTree(run.out());
    }

    @Test
    void everyFigureOfBothScorersMatchesTheScriptedAnswers() throws IOException {
        JsonNode report = evaluateJson();
        for (int r = 0; r < 2; r++) {
            JsonNode run = report.get("runs").get(r);
            Map<String, Kind> kinds = r == 0 ? BASIC : REASON;
            long errors = kinds.values().stream().filter(k -> k == Kind.REJECTED).count();
            assertEquals(EXAMPLES, run.get("records").asInt());
            assertEquals(errors, run.get("errors").asLong());
            for (boolean strict : new boolean[] {false, true}) {
                checkScorer(
                        run.get(strict ? "strict" : "seed"),
                        predictions(kinds, strict),
                        run.get("file").asText());
            }
        }
    }

    private static void checkScorer(JsonNode score, int[] predicted, String what) {
        long right = 0;
        long multi = 0;
        long none = 0;
        long[][] confusion = new long[4][7];
        for (int i = 0; i < EXAMPLES; i++) {
            int gold = i % 4;
            right += predicted[i] == gold ? 1 : 0;
            multi += predicted[i] == MULTI ? 1 : 0;
            none += predicted[i] == NONE ? 1 : 0;
            confusion[gold][predicted[i] >= 0 ? predicted[i] : 3 - predicted[i]]++;
        }
        assertEquals(right, score.get("right").asLong(), what);
        assertEquals(multi, score.get("multi_label").asLong(), what);
        assertEquals(none, score.get("no_label").asLong(), what);
        double p = (double) right / EXAMPLES;
        assertEquals(p, score.get("accuracy").asDouble(), 1e-12, what);
        double n = EXAMPLES;
        double centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n);
        double half = Z / (1 + Z * Z / n) * Math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n));
        assertEquals(centre - half, score.get("accuracy_ci95").get(0).asDouble(), 1e-9, what);
        assertEquals(centre + half, score.get("accuracy_ci95").get(1).asDouble(), 1e-9, what);
        assertEquals(
                List.of(
                        "World",
                        "Sports",
                        "Business",
                        "Science | Technology",
                        "no_label",
                        "multi_label",
                        "error"),
                JSON.convertValue(score.get("confusion").get("columns"), List.class));
        double f1Sum = 0;
        for (int c = 0; c < 4; c++) {
            for (int column = 0; column < 7; column++) {
                assertEquals(
                        confusion[c][column],
                        score.get("confusion").get("counts").get(c).get(column).asLong(),
                        what + " confusion " + c + "," + column);
            }
            long truePositives = 0;
            long predictedC = 0;
            for (int i = 0; i < EXAMPLES; i++) {
                truePositives += predicted[i] == c && i % 4 == c ? 1 : 0;
                predictedC += predicted[i] == c ? 1 : 0;
            }
            double precision = predictedC == 0 ? 0 : (double) truePositives / predictedC;
            double recall = truePositives / (EXAMPLES / 4.0);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            JsonNode m = score.get("per_class").get(c);
            assertEquals(LABELS.get(c), m.get("label").asText());
            assertEquals(precision, m.get("precision").asDouble(), 1e-12, what);
            assertEquals(recall, m.get("recall").asDouble(), 1e-12, what);
            assertEquals(f1, m.get("f1").asDouble(), 1e-12, what);
            assertEquals(EXAMPLES / 4, m.get("support").asInt());
            f1Sum += f1;
        }
        assertEquals(f1Sum / 4, score.get("macro_f1").asDouble(), 1e-12, what);
    }

    @Test
    void pairedComparisonCountsAndMcNemarMatchAnExactBinomialSum() throws IOException {
        JsonNode comparisons = evaluateJson().get("comparisons");
        assertEquals(2, comparisons.size());
        for (JsonNode comparison : comparisons) {
            boolean strict = comparison.get("scorer").asText().equals("strict");
            int[] a = predictions(BASIC, strict);
            int[] b = predictions(REASON, strict);
            long onlyA = 0;
            long onlyB = 0;
            long rightA = 0;
            long rightB = 0;
            for (int i = 0; i < EXAMPLES; i++) {
                boolean ra = a[i] == i % 4;
                boolean rb = b[i] == i % 4;
                onlyA += ra && !rb ? 1 : 0;
                onlyB += rb && !ra ? 1 : 0;
                rightA += ra ? 1 : 0;
                rightB += rb ? 1 : 0;
            }
            assertEquals(basic.toString(), comparison.get("baseline").asText());
            assertEquals(reason.toString(), comparison.get("run").asText());
            assertEquals(EXAMPLES, comparison.get("pairs").asInt());
            assertEquals(onlyA, comparison.get("only_baseline_right").asLong());
            assertEquals(onlyB, comparison.get("only_run_right").asLong());
            assertEquals(
                    (double) (rightB - rightA) / EXAMPLES,
                    comparison.get("difference").asDouble(),
                    1e-12);
            double exact = exactMcNemar(onlyA, onlyB);
            assertEquals(exact, comparison.get("mcnemar_p").asDouble(), exact * 1e-9);
            System.out.printf(
                    Locale.ROOT,
                    "%s: basic right %d, reason right %d, only basic %d, only reason %d, McNemar p"
                            + " %.6g%n",
                    comparison.get("scorer").asText(),
                    rightA,
                    rightB,
                    onlyA,
                    onlyB,
                    exact);

            JsonNode ci = comparison.get("difference_ci95");
            double difference = comparison.get("difference").asDouble();
            assertTrue(
                    ci.get(0).asDouble() < difference && difference < ci.get(1).asDouble(),
                    ci.toString());
            double[] naive = naiveBootstrap(a, b, 4000);
            assertEquals(
                    naive[0], ci.get(0).asDouble(), 0.015, "lower bound vs. resampling indices");
            assertEquals(
                    naive[1], ci.get(1).asDouble(), 0.015, "upper bound vs. resampling indices");
            assertTrue(comparison.get("bootstrap_resamples").asInt() >= 2000);
        }
    }

    @Test
    void bootstrapIntervalIsTheSameOnEveryRun() throws IOException {
        assertEquals(evaluateJson().get("comparisons"), evaluateJson().get("comparisons"));
        JsonNode otherSeed = evaluateJson("--bootstrap-seed", "99").get("comparisons");
        assertTrue(
                !otherSeed.equals(evaluateJson().get("comparisons")),
                "the seed is what fixes the interval");
    }

    /** p = min(1, 2 · Σ_{k ≤ min(b, c)} C(b + c, k) / 2^(b + c)), in exact arithmetic. */
    private static double exactMcNemar(long b, long c) {
        int n = (int) (b + c);
        if (n == 0) {
            return 1;
        }
        BigInteger tail = BigInteger.ZERO;
        BigInteger binomial = BigInteger.ONE;
        for (int k = 0; k <= Math.min(b, c); k++) {
            tail = tail.add(binomial);
            binomial =
                    binomial.multiply(BigInteger.valueOf(n - k)).divide(BigInteger.valueOf(k + 1));
        }
        BigDecimal p =
                new BigDecimal(tail.shiftLeft(1))
                        .divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)), MathContext.DECIMAL64);
        return Math.min(1, p.doubleValue());
    }

    /**
     * The textbook paired bootstrap: resample example indices, 2.5th and 97.5th percentiles of the
     * difference.
     */
    private static double[] naiveBootstrap(int[] a, int[] b, int resamples) {
        var random = new Random(1);
        double[] differences = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            long sum = 0;
            for (int i = 0; i < EXAMPLES; i++) {
                int j = random.nextInt(EXAMPLES);
                sum += (b[j] == j % 4 ? 1 : 0) - (a[j] == j % 4 ? 1 : 0);
            }
            differences[r] = (double) sum / EXAMPLES;
        }
        Arrays.sort(differences);
        return new double[] {
            differences[(int) (0.025 * (resamples - 1))],
            differences[(int) Math.ceil(0.975 * (resamples - 1))]
        };
    }

    @Test
    void tableAndMarkdownShowEachRunAndTheComparison() {
        CliRun table =
                CliRun.of(
                        "evaluate",
                        "--labels-file",
                        labelsFile.toString(),
                        "--per-class",
                        basic.toString(),
                        reason.toString());
        assertEquals(0, table.exitCode(), table.toString());
        System.out.println(table.out());
        String[] lines = table.out().split("\n");
        assertTrue(
                lines[0].matches(
                        "file\\s+scorer\\s+records\\s+right\\s+accuracy\\s+95%"
                                + " CI\\s+macro_f1\\s+multi_label\\s+no_label\\s+errors"),
                lines[0]);
        assertTrue(
                table.out().contains("Paired comparison with the baseline " + basic), table.out());
        assertTrue(table.out().contains("Confusion matrix: " + reason + " (strict)"), table.out());

        CliRun markdown =
                CliRun.of(
                        "evaluate",
                        "--format",
                        "markdown",
                        "--per-class",
                        "--labels-file",
                        labelsFile.toString(),
                        basic.toString(),
                        reason.toString());
        assertEquals(0, markdown.exitCode(), markdown.toString());
        assertTrue(
                markdown.out().contains("| Science \\| Technology |"),
                "pipes in cells are escaped\n" + markdown.out());
        assertTrue(
                markdown.out().contains("| file | scorer | records | right | accuracy | 95% CI |"),
                markdown.out());
    }

    @Test
    void csvHasOneRowPerRunAndScorerWithTheJsonFigures() throws IOException {
        JsonNode json = evaluateJson();
        CliRun csv =
                CliRun.of(
                        "evaluate",
                        "--format",
                        "csv",
                        "--per-class",
                        "--labels-file",
                        labelsFile.toString(),
                        basic.toString(),
                        reason.toString());
        assertEquals(0, csv.exitCode(), csv.toString());
        List<CSVRecord> rows =
                CSVFormat.RFC4180
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(new StringReader(csv.out()))
                        .getRecords();
        assertEquals(4, rows.size());
        for (CSVRecord row : rows) {
            JsonNode run = json.get("runs").get(row.get("file").equals(basic.toString()) ? 0 : 1);
            JsonNode score = run.get(row.get("scorer"));
            assertEquals(score.get("right").asText(), row.get("right"));
            assertEquals(
                    score.get("accuracy").asDouble(),
                    Double.parseDouble(row.get("accuracy")),
                    1e-15);
            assertEquals(
                    score.get("per_class").get(3).get("f1").asDouble(),
                    Double.parseDouble(row.get("f1:Science | Technology")),
                    1e-15);
            if (row.get("file").equals(reason.toString())) {
                assertEquals(basic.toString(), row.get("baseline"));
                assertTrue(Double.parseDouble(row.get("mcnemar_p")) > 0);
            } else {
                assertEquals("", row.get("baseline"));
            }
        }
    }

    @Test
    void withoutTheAliasesTheAliasAnswersAreNoLabel() throws IOException {
        CliRun run = CliRun.of("evaluate", "--format", "json", basic.toString());
        JsonNode strict = JSON.readTree(run.out()).get("runs").get(0).get("strict");
        long aliasAnswers = BASIC.values().stream().filter(k -> k == Kind.ALIAS).count();
        long expectedNone =
                BASIC.values().stream().filter(k -> k.strict == Outcome.NONE).count()
                        + aliasAnswers;
        assertEquals(expectedNone, strict.get("no_label").asLong());
        CliRun withOption =
                CliRun.of(
                        "evaluate",
                        "--format",
                        "json",
                        "--alias",
                        "International=World",
                        "--alias",
                        "Athletics=Sports",
                        "--alias",
                        "Economy=Business",
                        "--alias",
                        "Sci/Tech=Science | Technology",
                        basic.toString());
        assertEquals(
                evaluateJson().get("runs").get(0).get("strict"),
                JSON.readTree(withOption.out()).get("runs").get(0).get("strict"));
    }
}
