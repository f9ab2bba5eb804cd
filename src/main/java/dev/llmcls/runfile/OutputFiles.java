package dev.llmcls.runfile;

import dev.llmcls.core.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The output file and its manifest before a run: resumed when the manifest describes the same
 * question, refused when it does not, and with {@code --overwrite} moved aside (never deleted).
 */
public final class OutputFiles {
    private OutputFiles() {}

    /**
     * {@code overwrite}: {@code --overwrite}, move an existing output aside instead of resuming it.
     */
    public static ResumeState prepare(
            Path file, boolean overwrite, Manifest planned, Consumer<String> log) {
        return prepare(file, overwrite, planned, log, record -> {});
    }

    /**
     * As {@link #prepare(Path, boolean, Manifest, Consumer)}, showing {@code observer} every record
     * resumed from.
     */
    public static ResumeState prepare(
            Path file,
            boolean overwrite,
            Manifest planned,
            Consumer<String> log,
            Consumer<EvalRecord> observer) {
        Path manifestPath = Manifest.pathFor(file);
        if (!Files.exists(file)) {
            return ResumeState.EMPTY;
        }
        if (overwrite) {
            String suffix = "." + Instant.now().toString().replace(':', '-') + ".bak";
            moveAside(file, suffix, log);
            moveAside(manifestPath, suffix, log);
            return ResumeState.EMPTY;
        }
        List<String> unknown = Manifest.unknownKeys(manifestPath);
        if (!unknown.isEmpty()) {
            throw new InputException(
                    manifestPath
                            + " has "
                            + (unknown.size() == 1 ? "a key" : "keys")
                            + " this llmcls does not know ("
                            + String.join(", ", unknown)
                            + "): it was written by a newer version, so resuming could mix answers."
                            + " Use that version, or --overwrite to start afresh (the old file is"
                            + " kept as a .bak) or choose another --output.");
        }
        Manifest.read(manifestPath)
                .ifPresent(
                        previous -> {
                            List<String> differences =
                                    ManifestComparison.differences(previous, planned);
                            if (!differences.isEmpty()) {
                                throw new InputException(
                                        file
                                                + " was written by a different run, so resuming"
                                                + " would mix answers: "
                                                + String.join("; ", differences)
                                                + ". Use --overwrite to start afresh (the old file"
                                                + " is kept as a .bak) or choose another"
                                                + " --output.");
                            }
                        });
        return ResumeState.load(file, observer);
    }

    private static void moveAside(Path file, String suffix, Consumer<String> log) {
        if (Files.exists(file)) {
            Path target = file.resolveSibling(file.getFileName() + suffix);
            try {
                Files.move(file, target);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move " + file + " aside", e);
            }
            log.accept("moved " + file + " to " + target);
        }
    }
}
