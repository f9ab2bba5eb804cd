package dev.llmcls.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether stderr is an interactive terminal; decides between a progress bar and plain progress lines. */
final class Terminal {
    private Terminal() {
    }

    static boolean stderrIsTerminal() {
        // System.console() says nothing about stderr alone, and on newer JDKs it exists even when redirected.
        Path fd = Path.of("/proc/self/fd/2");
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }
}
