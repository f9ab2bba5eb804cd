package dev.llmcls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.core.Json;
import dev.llmcls.data.suite.Suite;
import dev.llmcls.data.suite.SuiteEntry;
import dev.llmcls.testing.ChildLlmcls;
import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.FakeOpenAiServer;
import dev.llmcls.testing.HubParquet;
import dev.llmcls.testing.HubStandIn;
import dev.llmcls.testing.Jsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code classify --data suite:NAME} for every entry of the repository's suite, in a child JVM (the
 * Hub's settings are environment variables) against the Hub stand-in serving a two-row fixture in
 * the dataset's real layout: its file path, its columns and their Parquet types, its {@code
 * ClassLabel} names as the dataset cards list them (cited in each entry's {@code card}). The run
 * takes the entry's split, fields, labels and prompt; every field the prompt uses reaches the
 * request; the dataset's class names map to the entry's label names.
 */
@Timeout(600)
class SuiteEndToEndTest {
    @TempDir Path dir;

    /**
     * A fixture in the dataset's layout: its two rows, the marker that is in each row's text, and
     * each row's gold labels by the entry's names.
     */
    record Fixture(HubParquet parquet, List<String> markers, List<List<String>> gold) {}

    /** The Hub's columns of each dataset, in the Hub's order, with two rows. */
    static Stream<Arguments> fixtures() {
        Map<String, Fixture> fixtures =
                Map.of(
                        "sst2",
                        new Fixture(
                                new HubParquet()
                                        .int32("idx")
                                        .string("sentence")
                                        .classLabel("label", "negative", "positive")
                                        .row(0, "it 's a charming journey (m0)", 1)
                                        .row(1, "unflinchingly bleak (m1)", 0),
                                List.of("(m0)", "(m1)"),
                                List.of(List.of("positive"), List.of("negative"))),
                        "ag_news",
                        new Fixture(
                                new HubParquet()
                                        .string("text")
                                        .classLabel(
                                                "label", "World", "Sports", "Business", "Sci/Tech")
                                        .row("New chip doubles battery life (m0)", 3)
                                        .row("Cup final goes to penalties (m1)", 1),
                                List.of("(m0)", "(m1)"),
                                List.of(List.of("Science | Technology"), List.of("Sports"))),
                        "trec",
                        new Fixture(
                                // fine_label is a ClassLabel of 50 names on the Hub; unused here
                                new HubParquet()
                                        .string("text")
                                        .classLabel(
                                                "coarse_label",
                                                "ABBR",
                                                "ENTY",
                                                "DESC",
                                                "HUM",
                                                "LOC",
                                                "NUM")
                                        .classLabel("fine_label")
                                        .row("How far is it from Denver to Aspen ? (m0)", 5, 40)
                                        .row("What does NASA stand for ? (m1)", 0, 1),
                                List.of("(m0)", "(m1)"),
                                List.of(List.of("Number"), List.of("Abbreviation"))),
                        "dbpedia_14",
                        new Fixture(
                                new HubParquet()
                                        .classLabel(
                                                "label",
                                                "Company",
                                                "EducationalInstitution",
                                                "Artist",
                                                "Athlete",
                                                "OfficeHolder",
                                                "MeanOfTransportation",
                                                "Building",
                                                "NaturalPlace",
                                                "Village",
                                                "Animal",
                                                "Plant",
                                                "Album",
                                                "Film",
                                                "WrittenWork")
                                        .string("title")
                                        .string("content")
                                        .row(1, "Springfield College (t0)", "A college. (m0)")
                                        .row(5, "HMS Example (t1)", "A ship. (m1)"),
                                List.of("(m0)", "(m1)"),
                                List.of(
                                        List.of("Educational Institution"),
                                        List.of("Mean Of Transportation"))),
                        "yahoo_answers_topics",
                        new Fixture(
                                new HubParquet()
                                        .int32("id")
                                        .classLabel(
                                                "topic",
                                                "Society & Culture",
                                                "Science & Mathematics",
                                                "Health",
                                                "Education & Reference",
                                                "Computers & Internet",
                                                "Sports",
                                                "Business & Finance",
                                                "Entertainment & Music",
                                                "Family & Relationships",
                                                "Politics & Government")
                                        .string("question_title")
                                        .string("question_content")
                                        .string("best_answer")
                                        .row(
                                                7,
                                                1,
                                                "Why is the sky blue? (q0)",
                                                "(c0)",
                                                "Scattering. (m0)")
                                        .row(
                                                9,
                                                4,
                                                "Best laptop? (q1)",
                                                "for games (c1)",
                                                "Any. (m1)"),
                                List.of("(m0)", "(m1)"),
                                List.of(
                                        List.of("Science & Mathematics"),
                                        List.of("Computers & Internet"))),
                        "imdb",
                        new Fixture(
                                new HubParquet()
                                        .string("text")
                                        .classLabel("label", "neg", "pos")
                                        .row("A dull, overlong mess. (m0)", 0)
                                        .row("A joy from start to end. (m1)", 1),
                                List.of("(m0)", "(m1)"),
                                List.of(List.of("negative"), List.of("positive"))),
                        "mnli",
                        new Fixture(
                                new HubParquet()
                                        .string("premise")
                                        .string("hypothesis")
                                        .classLabel(
                                                "label", "entailment", "neutral", "contradiction")
                                        .int32("idx")
                                        .row("The cat sat. (m0)", "A cat sat. (h0)", 0, 0)
                                        .row("The cat sat. (m1)", "No cat sat. (h1)", 2, 1),
                                List.of("(m0)", "(m1)"),
                                List.of(List.of("entailment"), List.of("contradiction"))),
                        "rte",
                        new Fixture(
                                new HubParquet()
                                        .string("sentence1")
                                        .string("sentence2")
                                        .classLabel("label", "entailment", "not_entailment")
                                        .int32("idx")
                                        .row(
                                                "Paris is in France. (m0)",
                                                "Paris is French. (h0)",
                                                0,
                                                0)
                                        .row("It rained. (m1)", "It was dry. (h1)", 1, 1),
                                List.of("(m0)", "(m1)"),
                                List.of(List.of("entails"), List.of("does not entail"))),
                        "go_emotions",
                        new Fixture(
                                new HubParquet()
                                        .string("text")
                                        .classLabelList(
                                                "labels",
                                                "admiration",
                                                "amusement",
                                                "anger",
                                                "annoyance",
                                                "approval",
                                                "caring",
                                                "confusion",
                                                "curiosity",
                                                "desire",
                                                "disappointment",
                                                "disapproval",
                                                "disgust",
                                                "embarrassment",
                                                "excitement",
                                                "fear",
                                                "gratitude",
                                                "grief",
                                                "joy",
                                                "love",
                                                "nervousness",
                                                "optimism",
                                                "pride",
                                                "realization",
                                                "relief",
                                                "remorse",
                                                "sadness",
                                                "surprise",
                                                "neutral")
                                        .string("id")
                                        .row(
                                                "Thank you so much, I love it! (m0)",
                                                List.of(15, 18),
                                                "eew5j0j")
                                        .row("Ok. (m1)", List.of(27), "ed2mah1"),
                                List.of("(m0)", "(m1)"),
                                List.of(List.of("gratitude", "love"), List.of("neutral"))));
        Suite suite = Suite.load(Path.of(Suite.FOLDER));
        assertEquals(
                new java.util.TreeSet<>(fixtures.keySet()),
                new java.util.TreeSet<>(suite.entries().stream().map(SuiteEntry::name).toList()),
                "every entry has its fixture");
        return suite.entries().stream()
                .flatMap(
                        entry ->
                                Stream.of("basic", "reason")
                                        .map(
                                                mode ->
                                                        Arguments.of(
                                                                entry.name(),
                                                                mode,
                                                                entry,
                                                                fixtures.get(entry.name()))));
    }

    private int child(Map<String, String> env, Path log, List<String> args)
            throws IOException, InterruptedException {
        var builder = new ProcessBuilder(ChildLlmcls.command(args.toArray(String[]::new)));
        builder.environment().put("LLMCLS_STORE", "off");
        builder.environment().remove("HF_TOKEN");
        builder.environment().remove("HF_HUB_OFFLINE");
        builder.environment().remove("LLMCLS_HOME");
        builder.environment().putAll(env);
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(150, TimeUnit.SECONDS), "the child finished");
        return process.exitValue();
    }

    /** Answers each row with its gold labels, found by the row's marker in the prompt. */
    private static FakeOpenAiServer.Responder answering(SuiteEntry entry, Fixture fixture) {
        return request -> {
            for (int i = 0; i < fixture.markers().size(); i++) {
                if (request.prompt().contains(fixture.markers().get(i))) {
                    String names = String.join(", ", fixture.gold().get(i));
                    return entry.task() == SuiteEntry.Task.MULTI_LABEL
                            ? "reason: it fits.\nlabels: " + names
                            : "reason: it fits.\nlabel: " + names;
                }
            }
            return "label: none";
        };
    }

    @ParameterizedTest(name = "{0} --mode {1}")
    @MethodSource("fixtures")
    void eachEntryRunsFromItsHubLayoutWithItsFieldsLabelsAndPrompt(
            String name, String mode, SuiteEntry entry, Fixture fixture) throws Exception {
        Path parquet = fixture.parquet().write(dir.resolve("fixture.parquet"));
        Path output = dir.resolve("out.jsonl");
        Path log = dir.resolve("child.log");
        try (var hub = new HubStandIn().file(entry.file(), Files.readAllBytes(parquet), true);
                var server = FakeOpenAiServer.start(answering(entry, fixture))) {
            hub.repoId = entry.hub();
            server.recordRequests(true);
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "classify",
                                    "--data",
                                    "suite:" + name,
                                    "--mode",
                                    mode,
                                    "--base-url",
                                    server.baseUrl(),
                                    "--output",
                                    output.toString(),
                                    "--concurrency",
                                    "1"));
            int code =
                    child(
                            Map.of(
                                    "HF_ENDPOINT",
                                    hub.endpoint(),
                                    "LLMCLS_CACHE",
                                    dir.resolve("cache").toString()),
                            log,
                            args);
            assertEquals(0, code, Files.readString(log));
            assertTrue(
                    Files.readString(log).contains("downloading " + entry.file()),
                    "the entry's split is fetched: " + Files.readString(log));

            List<JsonNode> records = Jsonl.read(output);
            assertEquals(2, records.size());
            boolean multi = entry.task() == SuiteEntry.Task.MULTI_LABEL;
            for (int i = 0; i < 2; i++) {
                JsonNode record = records.get(i);
                List<String> gold = fixture.gold().get(i);
                assertEquals(
                        multi ? Json.MAPPER.valueToTree(gold).toString() : gold.get(0),
                        multi ? record.get("gold").toString() : record.get("gold").asText(),
                        "the dataset's class maps to the entry's label name: " + record);
                if (multi) {
                    assertEquals(
                            Json.MAPPER.valueToTree(gold).toString(),
                            record.get("labels").toString(),
                            record.toString());
                }
            }
            if (!multi) {
                CliRun evaluate = CliRun.of("evaluate", output.toString());
                assertEquals(0, evaluate.exitCode(), evaluate.toString());
                assertTrue(
                        evaluate.out().lines().filter(l -> l.contains("100.00%")).count() == 2,
                        "both scorers read each answer as the gold label: " + evaluate.out());
            }
            List<String> prompts =
                    server.received().stream().map(FakeOpenAiServer.ChatRequest::prompt).toList();
            assertEquals(2, prompts.size());
            for (String prompt : prompts) {
                for (String label : entry.labelNames()) {
                    assertTrue(prompt.contains("* " + label + "\n"), prompt);
                }
                assertEquals(mode.equals("reason"), prompt.contains("\nreason:\n"), prompt);
            }
            Function<String, String> promptOf =
                    marker ->
                            prompts.stream()
                                    .filter(p -> p.contains(marker))
                                    .findFirst()
                                    .orElseThrow();
            // every field a template shows reaches the request
            for (String marker : List.of("(t0)", "(q0)", "(h0)")) {
                if (fixture.parquet().featuresJson().length() > 0
                        && promptOf.apply("(m0)").contains(marker)) {
                    continue;
                }
                assertTrue(
                        !fieldMarked(name, marker),
                        name
                                + ": the prompt lacks the field marked "
                                + marker
                                + ": "
                                + promptOf.apply("(m0)"));
            }
            if (name.equals("yahoo_answers_topics")) {
                assertTrue(promptOf.apply("(m1)").contains("Best laptop? (q1) for games (c1)"));
            }
            JsonNode manifest =
                    Json.MAPPER.readTree(dev.llmcls.runfile.Manifest.pathFor(output).toFile());
            assertTrue(
                    manifest.toString().contains("suite:" + name + " (datasets/" + name + ".yaml"),
                    "the manifest names the entry's prompt: " + manifest);
        }
    }

    /** Whether the fixture of {@code name} has a field whose first row holds {@code marker}. */
    private static boolean fieldMarked(String name, String marker) {
        return switch (marker) {
            case "(t0)" -> name.equals("dbpedia_14");
            case "(q0)" -> name.equals("yahoo_answers_topics");
            case "(h0)" -> name.equals("mnli") || name.equals("rte");
            default -> false;
        };
    }

    @Test
    void optionsGivenOnTheCommandLineWinOverTheEntrys() throws Exception {
        Path parquet =
                new HubParquet()
                        .int32("idx")
                        .string("sentence")
                        .classLabel("label", "negative", "positive")
                        .row(0, "a charming journey", 1)
                        .write(dir.resolve("fixture.parquet"));
        Path prompt = Files.writeString(dir.resolve("own.txt"), "Mood of: {text}\nlabel:\n");
        Path output = dir.resolve("out.jsonl");
        Path log = dir.resolve("child.log");
        try (var hub =
                        new HubStandIn()
                                .file(
                                        "data/train-00000-of-00001.parquet",
                                        Files.readAllBytes(parquet),
                                        true);
                var server = FakeOpenAiServer.start(request -> "label: positive")) {
            hub.repoId = "stanfordnlp/sst2";
            server.recordRequests(true);
            int code =
                    child(
                            Map.of(
                                    "HF_ENDPOINT",
                                    hub.endpoint(),
                                    "LLMCLS_CACHE",
                                    dir.resolve("cache").toString()),
                            log,
                            List.of(
                                    "classify",
                                    "--data",
                                    "suite:sst2",
                                    "--split",
                                    "train",
                                    "--labels",
                                    "negative,positive,mixed",
                                    "--prompt",
                                    prompt.toString(),
                                    "--base-url",
                                    server.baseUrl(),
                                    "--output",
                                    output.toString()));
            assertEquals(0, code, Files.readString(log));
            assertEquals(
                    "Mood of: a charming journey\nlabel:\n", server.received().get(0).prompt());
            JsonNode record = Jsonl.read(output).get(0);
            assertEquals("positive", record.get("gold").asText(), record.toString());
            JsonNode manifest =
                    Json.MAPPER.readTree(dev.llmcls.runfile.Manifest.pathFor(output).toFile());
            assertTrue(
                    manifest.path("labels").toString().contains("mixed"),
                    "--labels replaced the entry's: " + manifest);
            assertTrue(
                    manifest.path("data")
                            .path("file")
                            .asText()
                            .endsWith("data/train-00000-of-00001.parquet"),
                    "--split train replaced the entry's validation: " + manifest);
        }
    }

    @Test
    void anExperimentFileTakesASuiteEntryAsItsData() throws Exception {
        Path parquet =
                new HubParquet()
                        .int32("idx")
                        .string("sentence")
                        .classLabel("label", "negative", "positive")
                        .row(0, "a charming journey", 1)
                        .write(dir.resolve("fixture.parquet"));
        Path log = dir.resolve("child.log");
        try (var hub =
                        new HubStandIn()
                                .file(
                                        "data/validation-00000-of-00001.parquet",
                                        Files.readAllBytes(parquet),
                                        true);
                var server = FakeOpenAiServer.start(request -> "label: positive")) {
            hub.repoId = "stanfordnlp/sst2";
            server.recordRequests(true);
            Path file =
                    Files.writeString(
                            dir.resolve("study.yaml"),
                            "experiment: suite-study\n"
                                    + "defaults: {data: suite:sst2, base-url: "
                                    + server.baseUrl()
                                    + "}\n"
                                    + "grid:\n  mode: [basic, reason]\n");
            int code =
                    child(
                            Map.of(
                                    "HF_ENDPOINT",
                                    hub.endpoint(),
                                    "LLMCLS_CACHE",
                                    dir.resolve("cache").toString()),
                            log,
                            List.of(
                                    "experiment",
                                    "run",
                                    file.toString(),
                                    "--output-dir",
                                    dir.resolve("out").toString()));
            assertEquals(0, code, Files.readString(log));
            List<String> prompts =
                    server.received().stream().map(FakeOpenAiServer.ChatRequest::prompt).toList();
            assertEquals(2, prompts.size(), prompts.toString());
            assertTrue(
                    prompts.stream().allMatch(p -> p.contains("电影评论句子的情感")),
                    "both cells used the entry's prompts: " + prompts);
            assertEquals(
                    1,
                    prompts.stream().filter(p -> p.contains("\nreason:\n")).count(),
                    prompts.toString());
        }
    }

    @Test
    void anUnknownSuiteNameExitsTwoNamingTheNearestAndSendsNothing() throws IOException {
        try (var server = FakeOpenAiServer.start(request -> "label: positive")) {
            CliRun run =
                    CliRun.of(
                            "classify",
                            "--data",
                            "suite:imbd",
                            "--base-url",
                            server.baseUrl(),
                            "--output",
                            dir.resolve("out.jsonl").toString());
            assertEquals(2, run.exitCode(), run.toString());
            assertTrue(run.err().contains("did you mean 'imdb'?"), run.err());
            assertEquals(0, server.chatRequests());
        }
    }

    @Test
    void datasetsListsTheSuite() throws IOException {
        CliRun run = CliRun.of("datasets");
        assertEquals(0, run.exitCode(), run.toString());
        List<String> lines = run.out().lines().toList();
        assertTrue(
                lines.get(0).matches("name +dataset +hub +split +task +labels +published"),
                lines.get(0));
        int blank = lines.indexOf("");
        assertEquals(10, blank, "a header and nine entries, then the figures: " + run.out());
        assertTrue(
                lines.stream()
                        .anyMatch(
                                l ->
                                        l.startsWith("ag_news ")
                                                && l.endsWith("6 figures, 76.9-92.6%")),
                run.out());
        assertTrue(
                lines.stream().anyMatch(l -> l.startsWith("trec ") && l.endsWith("none found")),
                run.out());
        List<String> figures = lines.subList(blank + 1, lines.size());
        assertTrue(figures.get(0).startsWith("Published zero-shot figures"), figures.get(0));
        int carp =
                figures.indexOf(
                        "sst2: 93.01% accuracy, text-davinci-003 (GPT-3.5), zero-shot, the paper's"
                                + " CARP (clues, then reasoning, then the label) prompt, split not"
                                + " stated in the source");
        assertTrue(carp > 0, run.out());
        assertTrue(
                figures.get(carp + 1).startsWith("    Sun et al. 2023, ")
                        && figures.get(carp + 1)
                                .endsWith(
                                        "; read in https://github.com/ShannonAI/GPT-CLS-CARP/blob/"
                                            + "651eba00eaedc7f56a60a545d0c73ab557c5f34c/README.md"),
                figures.get(carp + 1));
        assertTrue(
                figures.stream().anyMatch(l -> l.startsWith("go_emotions: none found: ")),
                run.out());
        assertTrue(
                run.out()
                        .lines()
                        .anyMatch(
                                l ->
                                        l.startsWith("mnli ")
                                                && l.contains("nyu-mll/glue:mnli")
                                                && l.contains("validation_matched")
                                                && l.contains(" pair ")
                                                && l.contains("3: entailment, neutral,")),
                run.out());
        assertTrue(
                run.out()
                        .lines()
                        .anyMatch(l -> l.startsWith("go_emotions ") && l.contains("multi-label")),
                run.out());

        CliRun json = CliRun.of("datasets", "--format", "json");
        assertEquals(0, json.exitCode(), json.toString());
        JsonNode entries = Json.MAPPER.readTree(json.out());
        assertEquals(9, entries.size());
        JsonNode agNews = entries.get(0);
        assertEquals("ag_news", agNews.get("name").asText());
        assertEquals("fancyzhx/ag_news", agNews.get("hub").asText());
        assertEquals("single-label", agNews.get("task").asText());
        assertEquals("Sci/Tech", agNews.get("labels").get(3).get("class").asText());
        assertTrue(agNews.get("templates").get("reason").asText().contains("reason:"));
        JsonNode seed = agNews.get("published").get(0);
        assertEquals(76.9, seed.get("value").asDouble());
        assertEquals("docs/seed-experiment.md", seed.get("source").asText());
        assertTrue(seed.get("model").asText().startsWith("GLM-4-9B-Chat"), seed.toString());
        JsonNode trec = entries.get(7);
        assertEquals("trec", trec.get("name").asText());
        assertEquals(0, trec.get("published").size());
        assertTrue(trec.get("published_note").asText().startsWith("none found: "), trec.toString());
    }
}
