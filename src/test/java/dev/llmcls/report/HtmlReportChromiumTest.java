package dev.llmcls.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.llmcls.testing.CliRun;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in a real headless Chromium (Debian's {@code chromium}): the page runs without console
 * messages (a script error, a blocked inline script or a blocked request would log one), its charts are drawn, and
 * hostile texts from the data, the model's answers and a file name stay text. When Chromium is missing the test fails
 * in CI (env {@code CI} set; {@code .ci/run} installs it) and is skipped elsewhere.
 */
@Tag("slow")
@Timeout(300)
class HtmlReportChromiumTest {
    /** Each would set an attribute on body if it ran; the name is built at run time so that no text contains it. */
    private static final String SCRIPT = "<script>document.body.setAttribute('data-'+'pwned','script')</script>";
    private static final String IMG = "<img src=x onerror=\\\"document.body.setAttribute('data-'+'pwned','img')\\\">";
    private static final String CLOSE = "</script><script>document.body.setAttribute('data-'+'pwned','close')</script>";

    @TempDir
    Path dir;

    @Test
    void reportLoadsWithoutConsoleMessagesDrawsItsChartsAndKeepsHostileTextInert() throws Exception {
        Path chromium = chromium();
        Path a = dir.resolve("run<b>A<i>.jsonl");
        Path b = dir.resolve("b.jsonl");
        Files.writeString(a, String.join("\n",
                line("0", SCRIPT + " Leaders meet", "World", "label: World"),
                line("1", IMG + " Cup final", "Sports", "label: Business " + CLOSE),
                line("2", "Shares climb", "Business", "label: Business"),
                line("3", "New chip & <b>bold</b>", "Science | Technology", "label: World")) + "\n");
        Files.writeString(b, String.join("\n",
                line("0", SCRIPT + " Leaders meet", "World", "label: Sports"),
                line("1", IMG + " Cup final", "Sports", "label: Sports"),
                line("2", "Shares climb", "Business", "label: Business"),
                line("3", "New chip & <b>bold</b>", "Science | Technology", "label: Science | Technology")) + "\n");
        Path page = dir.resolve("report.html");
        CliRun run = CliRun.of("evaluate", "--html", page.toString(), a.toString(), b.toString());
        assertEquals(0, run.exitCode(), run.toString());
        String html = Files.readString(page);
        assertFalse(html.contains("<b>A<i>") || html.contains("<b>bold</b>") || html.contains("<img"),
                "no markup from data or file names reaches the page source");
        assertFalse(Pattern.compile("(?i)(src|href)=\"?https?:").matcher(html).find(), "nothing is fetched");

        Path domFile = dir.resolve("dom.html");
        Path logFile = dir.resolve("chromium.log");
        Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr", "--v=0",
                "--dump-dom", page.toUri().toString())
                .redirectOutput(domFile.toFile()).redirectError(logFile.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish within 120 s; log:\n" + Files.readString(logFile));
        }
        String dom = Files.readString(domFile, StandardCharsets.UTF_8);
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), log);

        List<String> console = log.lines().filter(l -> l.contains(":CONSOLE")).toList();
        assertEquals(List.of(), console, "console messages");
        assertTrue(dom.contains("data-rendered=\"true\""), "the script ran to its end");
        assertEquals(2 * 4 * 7, HtmlReportTest.count(dom, "<rect class=\"cell\""), "a 4 × 7 heat map per run");
        assertEquals(2 * 4, HtmlReportTest.count(dom, "<rect class=\"bar\""), "an F1 bar per class and run");
        assertEquals(2, HtmlReportTest.count(dom, "<rect class=\"ci\""), "an accuracy interval per run");
        assertEquals(3, HtmlReportTest.count(dom, "<tr class=\"example\""), "examples 0, 1 and 3 get different answers");

        assertFalse(dom.contains("data-pwned"), "no hostile script or handler set its attribute");
        assertEquals(2, HtmlReportTest.count(dom, "<script"), "only the page's data block and its own script");
        assertFalse(dom.contains("<img") || dom.contains("<b>"), "hostile markup is not markup");
        assertTrue(dom.contains("&lt;script&gt;document.body.setAttribute('data-'+'"), "the hostile text shows as text");
        assertTrue(dom.contains("&lt;img src=x onerror="), dom);
        assertTrue(dom.contains("run&lt;b&gt;A&lt;i&gt;.jsonl"), "file names are escaped too");
    }

    private static String line(String id, String text, String gold, String output) {
        return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\",\"gold\":\"" + gold + "\",\"output\":\"" + output
                + "\",\"error\":null}";
    }

    /** Chromium from {@code $CHROMIUM} or the PATH; fails in CI when absent, skips elsewhere. */
    static Path chromium() {
        Optional<Path> found = Optional.ofNullable(System.getenv("CHROMIUM")).map(Path::of).filter(Files::isExecutable)
                .or(() -> List.of("chromium", "chromium-browser", "google-chrome").stream()
                        .flatMap(name -> Pattern.compile(File.pathSeparator)
                                .splitAsStream(Optional.ofNullable(System.getenv("PATH")).orElse(""))
                                .map(directory -> Path.of(directory, name)))
                        .filter(Files::isExecutable).findFirst());
        if (found.isEmpty()) {
            String message = "chromium is not installed (apt-get install chromium; .ci/run does)";
            if (System.getenv("CI") != null) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        return found.get();
    }
}
