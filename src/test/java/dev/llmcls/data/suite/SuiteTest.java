package dev.llmcls.data.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.InputException;
import dev.llmcls.data.LabelSet;
import dev.llmcls.prompt.PromptTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The repository's suite ({@code datasets/}) as it is read: every entry complete, its templates
 * rendering every field they use, its labels mapping the dataset's own class names; and the errors
 * of a bad entry or an unknown name.
 */
class SuiteTest {
    private static final Path REPOSITORY_SUITE = Path.of(Suite.FOLDER);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_]*}");
    private static final Pattern PINNED_SOURCE =
            Pattern.compile("https://github\\.com/[^/]+/[^/]+/blob/[0-9a-f]{40}/.+");

    @TempDir Path dir;

    static Stream<SuiteEntry> entries() {
        return Suite.load(REPOSITORY_SUITE).entries().stream();
    }

    @Test
    void theSuiteHoldsTheDatasetsOfIssue21() {
        assertEquals(
                List.of(
                        "ag_news",
                        "dbpedia_14",
                        "go_emotions",
                        "imdb",
                        "mnli",
                        "rte",
                        "sst2",
                        "trec",
                        "yahoo_answers_topics"),
                entries().map(SuiteEntry::name).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void eachTemplateRendersEveryFieldItUsesAndAsksForTheLabel(SuiteEntry entry) {
        for (String mode : SuiteEntry.MODES) {
            PromptTemplate template =
                    PromptTemplate.parse(entry.template(mode), entry.templateOrigin(mode), null);
            assertTrue(template.uses("labels"), entry.name() + " " + mode + " lists the labels");
            assertTrue(
                    template.uses(entry.textField()) || template.uses("text"),
                    entry.name() + " " + mode + " shows the text");
            List<String> fields = template.dataFields(entry.textField());
            assertEquals(
                    entry.task() == SuiteEntry.Task.PAIR,
                    !fields.isEmpty()
                            && entry.task() != SuiteEntry.Task.MULTI_LABEL
                            && !entry.name().equals("dbpedia_14")
                            && !entry.name().equals("yahoo_answers_topics"),
                    entry.name() + ": a pair task's template shows a second text " + fields);
            var values = new HashMap<String, String>();
            values.put("text", "<<the text>>");
            values.put("labels", PromptTemplate.bulletList(entry.labelNames()));
            values.put("examples", "");
            fields.forEach(field -> values.put(field, "<<" + field + ">>"));
            String rendered = template.renderingAsText(entry.textField()).render(values);
            assertTrue(rendered.contains("<<the text>>"), rendered);
            fields.forEach(field -> assertTrue(rendered.contains("<<" + field + ">>"), rendered));
            assertFalse(
                    PLACEHOLDER.matcher(rendered).find(), "nothing left unrendered: " + rendered);
            for (String label : entry.labelNames()) {
                assertTrue(rendered.contains("* " + label + "\n"), rendered);
            }
            String answer = entry.task() == SuiteEntry.Task.MULTI_LABEL ? "labels:\n" : "label:\n";
            assertTrue(rendered.endsWith(answer), entry.name() + " " + mode + " ends " + answer);
            assertEquals(
                    mode.equals("reason"),
                    rendered.contains("reason:\n"),
                    entry.name() + " " + mode + ": only the reason prompt asks for a reason first");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void eachDatasetClassNameMapsToItsLabel(SuiteEntry entry) {
        LabelSet labels = entry.labelSet();
        for (int i = 0; i < entry.labels().size(); i++) {
            SuiteEntry.Label label = entry.labels().get(i);
            assertNotNull(label.description(), entry.name() + " " + label.name());
            String className = label.className() == null ? label.name() : label.className();
            assertEquals(
                    java.util.Optional.of(i),
                    labels.indexOfNameOrAlias(className),
                    entry.name() + ": " + className);
        }
    }

    /**
     * The seed's scorer reads every label name found in the answer: one name inside another
     * (entailment in not_entailment) would make each answer of the longer one two labels.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void noLabelNameIsPartOfAnother(SuiteEntry entry) {
        for (String a : entry.labelNames()) {
            for (String b : entry.labelNames()) {
                if (!a.equals(b) && entry.task() != SuiteEntry.Task.MULTI_LABEL) {
                    assertFalse(b.contains(a), entry.name() + ": '" + a + "' is in '" + b + "'");
                }
            }
        }
    }

    /**
     * Every figure names what it measures and where it was read: an address pinned to a commit (so
     * the text read can be read again) or a file of this repository; an entry without one says what
     * was searched.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void everyPublishedFigureNamesTheSourceItWasReadIn(SuiteEntry entry) {
        if (entry.published().isEmpty()) {
            assertNotNull(entry.publishedNote(), entry.name());
            assertTrue(
                    entry.publishedNote().startsWith("none found: "),
                    entry.name() + ": " + entry.publishedNote());
            return;
        }
        for (SuiteEntry.Published figure : entry.published()) {
            assertEquals(List.of(), figure.missing(), entry.name() + " " + figure);
            String source = figure.source();
            if (source.startsWith("https://")) {
                assertTrue(
                        PINNED_SOURCE.matcher(source).matches(),
                        entry.name() + ": " + source + " is not pinned to a commit");
            } else {
                assertTrue(
                        Files.isRegularFile(Path.of(source)),
                        entry.name() + ": " + source + " is no file of this repository");
            }
            if (figure.url() != null) {
                assertTrue(figure.url().startsWith("https://"), figure.url());
            }
        }
    }

    /** A figure read in a file of this repository is written there as the entry gives it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void aFigureReadInThisRepositoryIsThere(SuiteEntry entry) throws IOException {
        for (SuiteEntry.Published figure : entry.published()) {
            if (!figure.source().startsWith("https://")) {
                String text = Files.readString(Path.of(figure.source()));
                String value =
                        new java.math.BigDecimal(Double.toString(figure.value()))
                                .stripTrailingZeros()
                                .toPlainString();
                assertTrue(
                        text.contains(value + " %") || text.contains(value + "%"),
                        entry.name() + ": " + value + " % is not in " + figure.source());
            }
        }
    }

    @Test
    void agNewsIsComparedWithTheSeedsOwnFigures() {
        SuiteEntry agNews = Suite.load(REPOSITORY_SUITE).entry("suite:ag_news");
        List<SuiteEntry.Published> seed =
                agNews.published().stream()
                        .filter(f -> f.source().equals("docs/seed-experiment.md"))
                        .toList();
        assertEquals(List.of(76.9, 82.8), seed.stream().map(SuiteEntry.Published::value).toList());
        assertTrue(seed.get(0).setting().contains("basic prompt"), seed.get(0).setting());
        assertTrue(seed.get(1).setting().contains("reason prompt"), seed.get(1).setting());
        assertTrue(seed.get(0).model().startsWith("GLM-4-9B-Chat"), seed.get(0).model());
    }

    @Test
    void theFiguresAreReadWithEveryField() throws IOException {
        String sst2 = Files.readString(REPOSITORY_SUITE.resolve("sst2.yaml"));
        Files.writeString(
                dir.resolve("one.yaml"),
                sst2.substring(0, sst2.indexOf("published:"))
                        + """
                        published:
                          - value: 88.5
                            metric: accuracy
                            model: a model
                            setting: zero-shot, the paper's prompt
                            split: validation
                            paper: Someone et al. 2024
                            table: Table 3
                            url: https://example.org/paper
                            source: https://github.com/o/r/blob/0123456789012345678901234567890123456789/README.md
                            note: a caveat
                        """);
        SuiteEntry entry = Suite.load(dir).entries().get(0);
        assertEquals(
                List.of(
                        new SuiteEntry.Published(
                                88.5,
                                "accuracy",
                                "a model",
                                "zero-shot, the paper's prompt",
                                "validation",
                                "Someone et al. 2024",
                                "Table 3",
                                "https://example.org/paper",
                                "https://github.com/o/r/blob/0123456789012345678901234567890123456789/README.md",
                                "a caveat")),
                entry.published());
        assertEquals(null, entry.publishedNote());
    }

    @Test
    void agNewsIsTheSeedExperiment() throws IOException {
        SuiteEntry agNews = Suite.load(REPOSITORY_SUITE).entry("suite:ag_news");
        assertEquals(Files.readString(Path.of("prompts", "basic.txt")), agNews.template("basic"));
        assertEquals(Files.readString(Path.of("prompts", "reason.txt")), agNews.template("reason"));
        assertEquals(LabelSet.parse(LabelSet.AG_NEWS).names(), agNews.labelNames());
        assertEquals("test", agNews.split());
    }

    @Test
    void anUnknownNameNamesTheNearest() {
        var e =
                assertThrows(
                        InputException.class,
                        () -> Suite.load(REPOSITORY_SUITE).entry("suite:sst"));
        assertTrue(e.getMessage().contains("did you mean 'sst2'"), e.getMessage());
        assertTrue(e.getMessage().contains("llmcls datasets"), e.getMessage());
    }

    @Test
    void aMisspeltKeyNamesTheEntryAndTheNearestKey() throws IOException {
        Path entry =
                Files.writeString(
                        dir.resolve("tiny.yaml"),
                        Files.readString(REPOSITORY_SUITE.resolve("sst2.yaml"))
                                .replace("label_field:", "lable_field:"));
        var e = assertThrows(InputException.class, () -> Suite.load(dir));
        assertTrue(e.getMessage().startsWith(entry.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'label_field'"), e.getMessage());
    }

    @Test
    void anEntryWithoutAReasonPromptOrAFigureSaysWhatItLacks() throws IOException {
        String sst2 = Files.readString(REPOSITORY_SUITE.resolve("sst2.yaml"));
        String noReason =
                sst2.substring(0, sst2.indexOf("  reason: |"))
                        .replaceAll("(?s)published_note:.*", "");
        Files.writeString(dir.resolve("bad.yaml"), noReason);
        var e = assertThrows(InputException.class, () -> Suite.load(dir));
        assertTrue(e.getMessage().contains("templates.reason"), e.getMessage());
        assertTrue(e.getMessage().contains("published or published_note"), e.getMessage());
    }

    static Stream<Arguments> incompleteFigures() {
        String measured =
                """
                  - value: 90
                    metric: accuracy
                    model: x
                    setting: zero-shot
                    split: validation
                """;
        return Stream.of(
                Arguments.of(measured + "    source: https://x.org/a\n", "[paper, table]"),
                Arguments.of(measured + "    paper: P\n    table: T\n", "[source]"),
                Arguments.of(
                        measured.replace("value: 90", "value: 0")
                                + "    paper: P\n    table: T\n    source: docs/x.md\n",
                        "[value (a percentage above 0, at most 100)]"),
                Arguments.of(
                        "  - value: 90\n    paper: P\n    table: T\n    source: docs/x.md\n",
                        "[metric, model, setting, split]"));
    }

    @ParameterizedTest(name = "lacks {1}")
    @MethodSource("incompleteFigures")
    void aFigureWithoutWhatItMeasuresOrItsSourceIsRefused(String figure, String lacks)
            throws IOException {
        String sst2 = Files.readString(REPOSITORY_SUITE.resolve("sst2.yaml"));
        Path bad =
                Files.writeString(
                        dir.resolve("bad.yaml"),
                        sst2.substring(0, sst2.indexOf("published:")) + "published:\n" + figure);
        var e = assertThrows(InputException.class, () -> Suite.load(dir));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("published figure 1 lacks " + lacks), e.getMessage());
    }

    @Test
    void theInstallationsSuiteComesFirst() throws IOException {
        Files.createDirectories(dir.resolve("datasets"));
        assertEquals(dir.resolve("datasets"), Suite.locate(dir.toString()));
        assertEquals(Path.of("datasets"), Suite.locate(dir.resolve("elsewhere").toString()));
        assertEquals(Path.of("datasets"), Suite.locate(null));
    }

    @Test
    void theHubIdIsCheckedAsHfDataIs() throws IOException {
        String sst2 = Files.readString(REPOSITORY_SUITE.resolve("sst2.yaml"));
        Files.writeString(dir.resolve("bad.yaml"), sst2.replace("stanfordnlp/sst2", "sst2"));
        var e = assertThrows(InputException.class, () -> Suite.load(dir));
        assertTrue(e.getMessage().contains("OWNER/NAME"), e.getMessage());
        assertTrue(Map.of().isEmpty());
    }
}
