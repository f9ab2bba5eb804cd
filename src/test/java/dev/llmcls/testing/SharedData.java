package dev.llmcls.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the tests find AG News and the seed experiment's facts.
 *
 * <p>Every clone has the project's own slices ({@code src/test/resources/fixtures/ag_news}, the
 * first 400 rows of each file, see the README there) and its copy of the seed's prompts and scoring
 * rule ({@code docs/seed-experiment.md}). The full data (7,600 test texts, the 5,000-text training
 * sample) is found in {@code data/ag_news} (what {@code scripts/get-data.sh} writes) or beside the
 * repository in {@code ../shared/data/ag_news} (this workspace and its CI); tests that need it call
 * {@link #fullAgNews(String)}, which skips them, saying why, when it is absent.
 */
public final class SharedData {
    /** The slices of AG News that the repository holds. */
    public static final Path SLICES = Path.of("src", "test", "resources", "fixtures", "ag_news");

    private static final Path[] FULL = {
        Path.of("data", "ag_news"), Path.of("..", "shared", "data", "ag_news")
    };

    private SharedData() {}

    /** The first 400 rows of the original release's test split (no header; class 1..4). */
    public static Path testSlice() {
        return SLICES.resolve("test_first400.csv");
    }

    /** The header and the first 400 rows of the 5,000-text training sample ({@code text,label}). */
    public static Path trainSlice() {
        return SLICES.resolve("train_sample_first400.csv");
    }

    /** The project's copy of the seed experiment's prompts and scoring rule. */
    public static Path seedDoc() {
        return Path.of("docs", "seed-experiment.md");
    }

    /** The full AG News file when this machine has it. */
    public static Optional<Path> findFullAgNews(String file) {
        for (Path base : FULL) {
            Path candidate = base.resolve(file);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The full AG News file, or the calling test is skipped (a JUnit assumption, reported as
     * skipped with this reason), also under CI: a plain clone has no full data and must still pass.
     */
    public static Path fullAgNews(String file) {
        Optional<Path> found = findFullAgNews(file);
        Assumptions.assumeTrue(
                found.isPresent(),
                () ->
                        "needs the full AG News "
                                + file
                                + ", found in neither data/ag_news/ nor ../shared/data/ag_news/"
                                + " (scripts/get-data.sh puts it there)");
        return found.orElseThrow();
    }

    /** The full AG News file for the benchmark programs, which have no slice to fall back on. */
    public static Path agNews(String file) {
        return findFullAgNews(file)
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "AG News "
                                                + file
                                                + " not found in data/ag_news or"
                                                + " ../shared/data/ag_news; run"
                                                + " scripts/get-data.sh"));
    }

    /** The workspace's seed specification beside the repository, when there is one. */
    public static Optional<Path> sharedSeedSpec() {
        Path spec = Path.of("..", "shared", "spec", "seed-experiment.md");
        return Files.isRegularFile(spec) ? Optional.of(spec) : Optional.empty();
    }
}
