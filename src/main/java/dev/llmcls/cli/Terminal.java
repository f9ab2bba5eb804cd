package dev.llmcls.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stderr is an interactive terminal; decides between a progress bar and plain progress
 * lines.
 */
final class Terminal {
    private Terminal() {}

    static boolean stderrIsTerminal() {
        // System.console() says nothing about stderr alone, and on newer JDKs it exists even when
        // redirected.
        Path fd = Path.of("/proc/self/fd/2");
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            // Only where /proc is missing (macOS): on JDK 22+ this says yes even when redirected,
            // which shows a bar
            // in a log file at worst; Console.isTerminal(), the exact answer, is not in JDK 17.
            return consolePresent();
        }
    }

    @SuppressWarnings("SystemConsoleNull") // see stderrIsTerminal
    private static boolean consolePresent() {
        return System.console() != null;
    }
}
