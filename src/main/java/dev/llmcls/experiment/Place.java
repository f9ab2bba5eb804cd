package dev.llmcls.experiment;

import java.nio.file.Path;

/**
 * Where something stands in an experiment file: {@code file:line:column}, 1-based, for error
 * messages.
 */
public record Place(Path file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
