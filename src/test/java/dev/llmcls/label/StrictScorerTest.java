package dev.llmcls.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.InputException;
import dev.llmcls.data.LabelSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrictScorerTest {
    private static final int WORLD = 0;
    private static final int SPORTS = 1;
    private static final int BUSINESS = 2;
    private static final int SCITECH = 3;
    private static final LabelSet AG = LabelSet.parse(LabelSet.AG_NEWS);

    private final StrictScorer scorer = new StrictScorer(AG.withAliasOption("Sci/Tech=Science | Technology"));

    @Test
    void plainLabelLineIsThePrediction() {
        assertEquals(SPORTS, scorer.predict("reason: a cup final.\nlabel: Sports"));
    }

    @Test
    void markerAndNamesAreCaseInsensitive() {
        assertEquals(BUSINESS, scorer.predict("LABEL: business"));
        assertEquals(SCITECH, scorer.predict("Label: science | TECHNOLOGY"));
    }

    @Test
    void markdownAroundMarkerAndNameIsTolerated() {
        assertEquals(WORLD, scorer.predict("**Reason:** Sports is not it.\n**Label:** **World**"));
        assertEquals(SCITECH, scorer.predict("### Label\n`Science|Technology`"));
    }

    @Test
    void chineseMarkersAndFullWidthColonsCount() {
        assertEquals(SPORTS, scorer.predict("理由：这是关于 World Cup 的……\n标签：Sports"));
        assertEquals(BUSINESS, scorer.predict("World news? no.\n类别：Business"));
        assertEquals(WORLD, scorer.predict("Sports? no. label：World"));
    }

    @Test
    void onlyTextAfterTheLastMarkerCounts() {
        assertEquals(WORLD, scorer.predict("label: Sports\nOn reflection the label is World"));
    }

    @Test
    void noMarkerReadsTheWholeAnswer() {
        assertEquals(BUSINESS, scorer.predict("I think Business."));
    }

    @Test
    void noNameIsNoLabelAndSeveralAreMultiLabel() {
        assertEquals(StrictScorer.NO_LABEL, scorer.predict("label: I am not sure"));
        assertEquals(StrictScorer.NO_LABEL, scorer.predict(""));
        assertEquals(StrictScorer.NO_LABEL, scorer.predict(null));
        assertEquals(StrictScorer.MULTI_LABEL, scorer.predict("label: World or Business"));
        assertEquals(StrictScorer.NO_LABEL, scorer.predict("label: Science and Technology"), "a split name is no name");
    }

    @Test
    void theSameLabelNamedTwiceIsStillOneLabel() {
        assertEquals(SCITECH, scorer.predict("label: Sci/Tech (Science | Technology)"));
        assertEquals(SPORTS, scorer.predict("label: Sports, definitely Sports"));
    }

    @Test
    void namesMustBeWholeWords() {
        assertEquals(StrictScorer.NO_LABEL, scorer.predict("label: Worldwide Sportswear"));
        assertEquals(SPORTS, scorer.predict("labels: World, Sports. label: Sports"), "'labels' is not a marker");
    }

    @Test
    void aliasesFromTheLabelsFileAndFromTheOption(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("labels.txt");
        Files.writeString(file, "# AG News\nWorld = International, Global\nSports\nBusiness: companies and markets\n"
                + "Science | Technology = Sci/Tech, Science/Tech\n");
        LabelSet labels = LabelSet.read(file);
        assertEquals(AG.names(), labels.names(), "aliases and descriptions are not part of the names");
        assertEquals("Business: companies and markets", labels.similarityText("Business"));
        var fromFile = new StrictScorer(labels);
        assertEquals(WORLD, fromFile.predict("label: global"));
        assertEquals(SCITECH, fromFile.predict("label: Science/Tech"));
        assertEquals(StrictScorer.MULTI_LABEL, fromFile.predict("label: International Business"));
        var reversed = new StrictScorer(AG.withAliasOption("Business=Economy, Finance"));
        assertEquals(BUSINESS, reversed.predict("label: finance"));
    }

    @Test
    void badAliasesAreInputErrors() {
        var vocabulary = AG;
        assertTrue(assertThrows(InputException.class, () -> vocabulary.withAliasOption("Tech=Technology"))
                .getMessage().contains("not in the label list"));
        assertThrows(InputException.class, () -> vocabulary.withAliasOption("Sports=World"));
        assertThrows(InputException.class, () -> vocabulary.withAliasOption("Economy=Business").withAliasOption("economy=World"));
        assertThrows(InputException.class, () -> vocabulary.withAliasOption("no equals sign"));
    }

    @Test
    void structuredLabelFieldResolvesNamesAndAliases() {
        assertEquals(SCITECH, scorer.resolve("sci/tech"));
        assertEquals(WORLD, scorer.resolve(" World "));
        assertEquals(StrictScorer.NO_LABEL, scorer.resolve("Weather"));
    }
}
