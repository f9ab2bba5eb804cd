package dev.llmcls.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens a page in a real headless Chromium (Debian's {@code chromium}) and returns the DOM its
 * scripts left and the browser's log. When Chromium is missing the calling test fails in CI (env
 * {@code CI} set; {@code .ci/run} installs it) and is skipped elsewhere.
 */
public final class HeadlessChromium {
    private HeadlessChromium() {}

    /** What Chromium left: its exit code, the DOM after the page's scripts ran, and its log. */
    public record Page(int exitCode, String dom, String log) {
        /**
         * The log's console messages (a script error, a blocked inline script or a blocked request
         * logs one).
         */
        public List<String> console() {
            return log.lines().filter(l -> l.contains(":CONSOLE")).toList();
        }
    }

    /** Chromium from {@code $CHROMIUM} or the PATH; fails in CI when absent, skips elsewhere. */
    public static Path find() {
        Optional<Path> found =
                Optional.ofNullable(System.getenv("CHROMIUM"))
                        .map(Path::of)
                        .filter(Files::isExecutable)
                        .or(
                                () ->
                                        List.of("chromium", "chromium-browser", "google-chrome")
                                                .stream()
                                                .flatMap(
                                                        name ->
                                                                Pattern.compile(File.pathSeparator)
                                                                        .splitAsStream(
                                                                                Optional.ofNullable(
                                                                                                System
                                                                                                        .getenv(
                                                                                                                "PATH"))
                                                                                        .orElse(""))
                                                                        .map(
                                                                                directory ->
                                                                                        Path.of(
                                                                                                directory,
                                                                                                name)))
                                                .filter(Files::isExecutable)
                                                .findFirst());
        if (found.isEmpty()) {
            String message = "chromium is not installed (apt-get install chromium; .ci/run does)";
            if (System.getenv("CI") != null) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        return found.get();
    }

    /**
     * Loads {@code page} in {@code chromium} with {@code --dump-dom}, with its profile, DOM and log
     * in {@code dir}; fails the test if it has not finished within 120 s.
     */
    public static Page dumpDom(Path chromium, Path page, Path dir)
            throws IOException, InterruptedException {
        Path domFile = dir.resolve("dom.html");
        Path logFile = dir.resolve("chromium.log");
        Process process =
                new ProcessBuilder(
                                chromium.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--user-data-dir=" + dir.resolve("profile"),
                                "--enable-logging=stderr",
                                "--v=0",
                                "--dump-dom",
                                page.toUri().toString())
                        .redirectOutput(domFile.toFile())
                        .redirectError(logFile.toFile())
                        .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish within 120 s; log:\n" + Files.readString(logFile));
        }
        return new Page(
                process.exitValue(),
                Files.readString(domFile, StandardCharsets.UTF_8),
                Files.readString(logFile, StandardCharsets.UTF_8));
    }
}
