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
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The repository's suite ({@code datasets/}) as it is read: every entry complete, its templates
 * rendering every field they use, its labels mapping the dataset's own class names; and the errors
 * of a bad entry or an unknown name.
 */
class SuiteTest {
    private static final Path REPOSITORY_SUITE = Path.of(Suite.FOLDER);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_]*}");

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

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void aPublishedFigureNamesItsSourceAndNoneSaysWhy(SuiteEntry entry) {
        if (entry.published() == null) {
            assertNotNull(entry.publishedNote(), entry.name());
            return;
        }
        SuiteEntry.Published figure = entry.published();
        assertTrue(figure.url().startsWith("https://"), figure.url());
        assertNotNull(figure.table(), entry.name());
        assertNotNull(figure.model(), entry.name());
        assertTrue(figure.value() > 0 && figure.value() <= 100, entry.name() + " " + figure);
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

    @Test
    void aFigureWithoutItsSourceIsRefused() throws IOException {
        String sst2 = Files.readString(REPOSITORY_SUITE.resolve("sst2.yaml"));
        Files.writeString(
                dir.resolve("bad.yaml"),
                sst2.replaceAll(
                        "(?s)published_note:.*",
                        "published:\n  value: 90\n  metric: accuracy\n  model: x\n"));
        var e = assertThrows(InputException.class, () -> Suite.load(dir));
        assertTrue(e.getMessage().contains("needs its paper and url"), e.getMessage());
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
