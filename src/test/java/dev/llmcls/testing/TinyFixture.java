package dev.llmcls.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The tiny fixture ({@code src/test/resources/fixtures/tiny.csv}): nine AG-News-like texts whose
 * gold labels are written as names or as indices; the end-to-end tests' stand-in models answer with
 * {@link #GOLD}.
 */
public final class TinyFixture {
    /** The file. */
    public static final Path CSV = Path.of("src/test/resources/fixtures/tiny.csv");

    /** Its labels, in index order (index 0 is "World"). */
    public static final List<String> LABELS =
            List.of("World", "Sports", "Business", "Science | Technology");

    /** The gold label name of each text in the file. */
    public static final Map<String, String> GOLD =
            Map.of(
                    "Leaders meet in Geneva for peace talks", "World",
                    "Home team wins the cup final", "Sports",
                    "Shares climb after strong quarterly earnings", "Business",
                    "New chip design doubles battery life", "Science | Technology",
                    "Ceasefire holds along the border", "World",
                    "Striker signs a record contract", "Sports",
                    "Central bank leaves rates unchanged", "Business",
                    "Researchers unveil a {text} placeholder-looking, quoted title",
                            "Science | Technology",
                    "Election observers report a calm vote", "World");

    private TinyFixture() {}
}
