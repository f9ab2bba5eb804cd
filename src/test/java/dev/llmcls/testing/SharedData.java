package dev.llmcls.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's shared AG News copy, which sits beside the repository (as {@code ../shared}) here and in CI. */
public final class SharedData {
    private SharedData() {
    }

    public static Path agNews(String file) {
        for (Path base : new Path[] {Path.of("data", "ag_news"), Path.of("..", "shared", "data", "ag_news")}) {
            Path candidate = base.resolve(file);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("AG News " + file + " not found in data/ag_news or ../shared/data/ag_news; "
                + "run scripts/get-data.sh");
    }

    public static Path seedSpec() {
        return Path.of("..", "shared", "spec", "seed-experiment.md");
    }
}
