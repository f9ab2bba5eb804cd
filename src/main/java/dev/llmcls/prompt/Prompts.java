package dev.llmcls.prompt;

import dev.llmcls.core.InputException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code prompts/MODE.txt}: in the working directory first (so a researcher can edit a copy),
 * then in the llmcls installation that {@code bin/llmcls} names.
 */
public final class Prompts {
    private Prompts() {}

    /** The template file of {@code mode}; none is an input error saying where it was looked for. */
    public static Path forMode(String mode) {
        if (!mode.matches("[A-Za-z0-9_-]+")) {
            throw new InputException("mode '" + mode + "' is not a plain name");
        }
        Path local = Path.of("prompts", mode + ".txt");
        if (Files.isRegularFile(local)) {
            return local;
        }
        String home = System.getProperty("llmcls.home", System.getenv("LLMCLS_HOME"));
        if (home != null) {
            Path installed = Path.of(home, "prompts", mode + ".txt");
            if (Files.isRegularFile(installed)) {
                return installed;
            }
        }
        throw new InputException(
                "no prompt template for mode '"
                        + mode
                        + "': expected prompts/"
                        + mode
                        + ".txt"
                        + (home != null ? " here or in " + home : "")
                        + "; pass --prompt FILE to use another");
    }
}
