package dev.llmcls.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcls.core.InputException;
import dev.llmcls.data.LabelSet;
import dev.llmcls.testing.Jsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StrictRuleTest {
    private static final int WORLD = 0;
    private static final int BUSINESS = 2;
    private static final int SCITECH = 3;
    private static final LabelSet AG = LabelSet.parse(LabelSet.AG_NEWS);

    private final StrictRule scorer =
            new StrictRule(AG.withAliasOption("Sci/Tech=Science | Technology"));

    /** One answer of the fixture table: what the strict reading must make of it, and why. */
    record Case(String answer, String expected, String why) {
        @Override
        public String toString() {
            return why;
        }
    }

    static Stream<Case> answers() throws IOException {
        var cases = new java.util.ArrayList<Case>();
        for (JsonNode node :
                Jsonl.read(Path.of("src/test/resources/fixtures/scorers/strict.jsonl"))) {
            cases.add(
                    new Case(
                            node.get("answer").asText(),
                            node.get("expected").asText(),
                            node.get("why").asText()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void readsEachAnswerOfTheTable(Case c) {
        int expected =
                switch (c.expected()) {
                    case "no_label" -> StrictRule.NO_LABEL;
                    case "multi_label" -> StrictRule.MULTI_LABEL;
                    default -> AG.indexOf(c.expected()).orElseThrow();
                };
        assertEquals(expected, scorer.predict(c.answer()), c.answer());
    }

    /**
     * One scorer remembers the predictions of short texts after the marker: reading the whole table
     * twice with it, also behind prefixes that change what comes before the marker, must give what
     * a fresh scorer gives each answer.
     */
    @Test
    void rememberedPredictionsAreThoseOfAFreshScorer() throws IOException {
        var vocabulary = AG.withAliasOption("Sci/Tech=Science | Technology");
        var shared = new StrictRule(vocabulary);
        var answers = new java.util.ArrayList<String>();
        answers.addAll(answers().map(Case::answer).toList());
        for (String region :
                new String[] {
                    ": Sports", "Sports", "World", ": sci/tech", "：Business", " Sports and World"
                }) {
            for (String prefix :
                    new String[] {
                        "label",
                        "Label",
                        "标签",
                        "类别",
                        "reason: World\nlabel",
                        "xlabel",
                        "labels",
                        "World 标签",
                        "Sportslabel",
                        "**Label:**"
                    }) {
                answers.add(prefix + region);
            }
        }
        for (int round = 0; round < 2; round++) {
            for (String answer : answers) {
                assertEquals(
                        new StrictRule(vocabulary).predict(answer), shared.predict(answer), answer);
            }
        }
        assertEquals(
                1,
                shared.predict("标签Sports"),
                "the look-behind does not see the marker before the region");
        assertEquals(1, shared.predict("label Sports"));
    }

    @Test
    void aMissingAnswerIsNoLabel() {
        assertEquals(StrictRule.NO_LABEL, scorer.predict(null));
    }

    @Test
    void aliasesFromTheLabelsFileAndFromTheOption(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("labels.txt");
        Files.writeString(
                file,
                "# AG News\n"
                        + "World = International, Global\n"
                        + "Sports\n"
                        + "Business: companies and markets\n"
                        + "Science | Technology = Sci/Tech, Science/Tech\n");
        LabelSet labels = LabelSet.read(file);
        assertEquals(
                AG.names(), labels.names(), "aliases and descriptions are not part of the names");
        assertEquals("Business: companies and markets", labels.similarityText("Business"));
        var fromFile = new StrictRule(labels);
        assertEquals(WORLD, fromFile.predict("label: global"));
        assertEquals(SCITECH, fromFile.predict("label: Science/Tech"));
        assertEquals(StrictRule.MULTI_LABEL, fromFile.predict("label: International Business"));
        var reversed = new StrictRule(AG.withAliasOption("Business=Economy, Finance"));
        assertEquals(BUSINESS, reversed.predict("label: finance"));
    }

    @Test
    void badAliasesAreInputErrors() {
        var vocabulary = AG;
        assertTrue(
                assertThrows(
                                InputException.class,
                                () -> vocabulary.withAliasOption("Tech=Technology"))
                        .getMessage()
                        .contains("not in the label list"));
        assertThrows(InputException.class, () -> vocabulary.withAliasOption("Sports=World"));
        assertThrows(
                InputException.class,
                () ->
                        vocabulary
                                .withAliasOption("Economy=Business")
                                .withAliasOption("economy=World"));
        assertThrows(InputException.class, () -> vocabulary.withAliasOption("no equals sign"));
    }

    @Test
    void structuredLabelFieldResolvesNamesAndAliases() {
        assertEquals(SCITECH, scorer.resolve("sci/tech"));
        assertEquals(WORLD, scorer.resolve(" World "));
        assertEquals(StrictRule.NO_LABEL, scorer.resolve("Weather"));
    }
}
