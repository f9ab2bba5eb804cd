package dev.llmcls.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A run's output could not be written: the disk is full, or the file is not writable. Carries the
 * file, so that the one line the user sees names it, says what happened and that re-running the
 * same command resumes (every answer already written is kept). Exits with {@link ExitCodes#IO}.
 */
public final class OutputException extends UncheckedIOException {
    private final Path file;

    public OutputException(Path file, IOException cause) {
        super(describe(file, cause), cause);
        this.file = file;
    }

    /** The file that could not be written (null when the failure did not name one). */
    public Path file() {
        return file;
    }

    /**
     * The output failure behind {@code error}: itself, the first {@code OutputException} among its
     * causes, or an {@code IOException} cause that says the disk is full (a write elsewhere: the
     * manifest, the answer store); null when it is none of these.
     */
    public static OutputException in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof OutputException output) {
                return output;
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IOException io && diskFull(io)) {
                String name = io instanceof FileSystemException named ? named.getFile() : null;
                return new OutputException(name == null ? null : Path.of(name), io);
            }
        }
        return null;
    }

    /** Whether {@code e} says the disk (or the user's quota on it) is full: ENOSPC or EDQUOT. */
    public static boolean diskFull(IOException e) {
        String message = e.getMessage();
        return message != null
                && (message.contains("No space left on device")
                        || message.contains("Disk quota exceeded"));
    }

    private static String describe(Path file, IOException cause) {
        String where = file == null ? "cannot write the run's files" : "cannot write " + file;
        String reason =
                cause instanceof FileSystemException named && named.getReason() != null
                        ? named.getReason()
                        : String.valueOf(cause.getMessage());
        if (diskFull(cause)) {
            return where
                    + ": the disk is full ("
                    + reason.strip()
                    + "). Free space on it and re-run the same command: it resumes where it"
                    + " stopped, with every answer written so far kept.";
        }
        return where
                + ": "
                + reason
                + ". Re-run the same command once it can be written: it resumes "
                + "where it stopped, with every answer written so far kept.";
    }
}
