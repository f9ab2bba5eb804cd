package dev.llmcls.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The labels file is parsed once, into names, aliases and descriptions together. */
class LabelSetTest {
    @TempDir Path dir;

    @ParameterizedTest(name = "--labels \"{0}\"")
    @CsvSource(
            delimiter = ';',
            value = {
                "World,Sports;World|Sports",
                "World, Sports ,Business;World|Sports|Business",
                "World,Sports,;World|Sports", // a trailing comma is a typo, not a label named ""
                "World,,Sports;World|Sports",
                ",World;World",
            })
    void aCommaSeparatedListIgnoresEmptyParts(String given, String expected) {
        assertEquals(List.of(expected.split("\\|")), LabelSet.parse(given).names());
    }

    @Test
    void aLabelsFileLineMayDescribeItsLabelAfterColonSpace() throws IOException {
        Path file = dir.resolve("labels.txt");
        Files.writeString(
                file,
                "# topics\nWorld: politics, wars\n\nSports\nScience | Technology: science news\n"
                        + "Ratio:3\n");
        LabelSet labels = LabelSet.read(file);
        assertEquals(List.of("World", "Sports", "Science | Technology", "Ratio:3"), labels.names());
        assertEquals("World: politics, wars", labels.similarityText("World"));
        assertEquals(
                "Science | Technology: science news",
                labels.similarityText("Science | Technology"));
        assertEquals("Ratio:3", labels.similarityText("Ratio:3"), "no description: the name alone");
        assertEquals(
                "Sports: " + LabelSet.AG_NEWS_DESCRIPTIONS.get("Sports"),
                labels.similarityText("Sports"),
                "an AG News label without one gets the default");
    }

    @Test
    void oneReadGivesNamesAliasesAndDescriptions() throws IOException {
        Path file = dir.resolve("labels.txt");
        Files.writeString(file, "World = International, Global\nSports: games\nBusiness\n");
        LabelSet labels = LabelSet.read(file);
        assertEquals(List.of("World", "Sports", "Business"), labels.names());
        assertEquals(Map.of("International", "World", "Global", "World"), labels.aliases());
        assertEquals(Map.of("Sports", "games"), labels.descriptions());
    }

    @Test
    void aBadAliasInTheFileNamesFileAndLine() throws IOException {
        Path file = dir.resolve("labels.txt");
        Files.writeString(file, "World\n\nSports = World\n");
        var error = assertThrows(InputException.class, () -> LabelSet.read(file));
        assertTrue(error.getMessage().startsWith(file + ":3: "), error.getMessage());
    }
}
