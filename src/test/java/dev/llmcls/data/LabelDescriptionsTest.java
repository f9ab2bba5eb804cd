package dev.llmcls.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelDescriptionsTest {
    @TempDir
    Path dir;

    @Test
    void aLabelsFileLineMayDescribeItsLabelAfterColonSpace() throws IOException {
        Path file = dir.resolve("labels.txt");
        Files.writeString(file, "# topics\nWorld: politics, wars\n\nSports\nScience | Technology: science news\n"
                + "Ratio:3\n");
        assertEquals(List.of("World", "Sports", "Science | Technology", "Ratio:3"), LabelSet.read(file).names());
        var descriptions = LabelDescriptions.read(file);
        assertEquals("World: politics, wars", descriptions.textFor("World"));
        assertEquals("Science | Technology: science news", descriptions.textFor("Science | Technology"));
        assertEquals("Ratio:3", descriptions.textFor("Ratio:3"), "no description: the name alone");
        assertEquals("Sports: " + LabelDescriptions.AG_NEWS.get("Sports"), descriptions.textFor("Sports"),
                "an AG News label without one gets the default");
    }
}
