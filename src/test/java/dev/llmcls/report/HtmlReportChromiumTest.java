package dev.llmcls.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in a real headless Chromium (Debian's {@code chromium}): the page runs
 * without console messages (a script error, a blocked inline script or a blocked request would log
 * one), its charts are drawn, and hostile texts from the data, the model's answers and a file name
 * stay text. When Chromium is missing the test fails in CI (env {@code CI} set; {@code .ci/run}
 * installs it) and is skipped elsewhere.
 */
@Tag("slow")
@Timeout(300)
class HtmlReportChromiumTest {
    /**
     * Each would set an attribute on body if it ran; the name is built at run time so that no text
     * contains it.
     */
    private static final String SCRIPT =
            "<script>document.body.setAttribute('data-'+'pwned','script')</script>";

    private static final String IMG =
            "<img src=x onerror=\\\"document.body.setAttribute('data-'+'pwned','img')\\\">";
    private static final String CLOSE =
            "</script><script>document.body.setAttribute('data-'+'pwned','close')</script>";

    @TempDir Path dir;

    @Test
    void reportLoadsWithoutConsoleMessagesDrawsItsChartsAndKeepsHostileTextInert()
            throws Exception {
        Path chromium = HeadlessChromium.find();
        Path a = dir.resolve("run<b>A<i>.jsonl");
        Path b = dir.resolve("b.jsonl");
        Files.writeString(
                a,
                String.join(
                                "\n",
                                line("0", SCRIPT + " Leaders meet", "World", "label: World"),
                                line("1", IMG + " Cup final", "Sports", "label: Business " + CLOSE),
                                line("2", "Shares climb", "Business", "label: Business"),
                                line(
                                        "3",
                                        "New chip & <b>bold</b>",
                                        "Science | Technology",
                                        "label: World"))
                        + "\n");
        Files.writeString(
                b,
                String.join(
                                "\n",
                                line("0", SCRIPT + " Leaders meet", "World", "label: Sports"),
                                line("1", IMG + " Cup final", "Sports", "label: Sports"),
                                line("2", "Shares climb", "Business", "label: Business"),
                                line(
                                        "3",
                                        "New chip & <b>bold</b>",
                                        "Science | Technology",
                                        "label: Science | Technology"))
                        + "\n");
        Path page = dir.resolve("report.html");
        CliRun run = CliRun.of("evaluate", "--html", page.toString(), a.toString(), b.toString());
        assertEquals(0, run.exitCode(), run.toString());
        String html = Files.readString(page);
        assertFalse(
                html.contains("<b>A<i>") || html.contains("<b>bold</b>") || html.contains("<img"),
                "no markup from data or file names reaches the page source");
        assertFalse(
                Pattern.compile("(?i)(src|href)=\"?https?:").matcher(html).find(),
                "nothing is fetched");

        HeadlessChromium.Page loaded = HeadlessChromium.dumpDom(chromium, page, dir);
        String dom = loaded.dom();
        assertEquals(0, loaded.exitCode(), loaded.log());

        assertEquals(List.of(), loaded.console(), "console messages");
        assertTrue(dom.contains("data-rendered=\"true\""), "the script ran to its end");
        assertEquals(
                2 * 4 * 7,
                HtmlReportTest.count(dom, "<rect class=\"cell\""),
                "a 4 × 7 heat map per run");
        assertEquals(
                2 * 4,
                HtmlReportTest.count(dom, "<rect class=\"bar\""),
                "an F1 bar per class and run");
        assertEquals(
                2, HtmlReportTest.count(dom, "<rect class=\"ci\""), "an accuracy interval per run");
        assertEquals(
                3,
                HtmlReportTest.count(dom, "<tr class=\"example\""),
                "examples 0, 1 and 3 get different answers");

        assertFalse(dom.contains("data-pwned"), "no hostile script or handler set its attribute");
        assertEquals(
                2,
                HtmlReportTest.count(dom, "<script"),
                "only the page's data block and its own script");
        assertFalse(dom.contains("<img") || dom.contains("<b>"), "hostile markup is not markup");
        assertTrue(
                dom.contains("&lt;script&gt;document.body.setAttribute('data-'+'"),
                "the hostile text shows as text");
        assertTrue(dom.contains("&lt;img src=x onerror="), dom);
        assertTrue(dom.contains("run&lt;b&gt;A&lt;i&gt;.jsonl"), "file names are escaped too");
    }

    private static String line(String id, String text, String gold, String output) {
        return "{\"id\":\""
                + id
                + "\",\"text\":\""
                + text
                + "\",\"gold\":\""
                + gold
                + "\",\"output\":\""
                + output
                + "\",\"error\":null}";
    }
}
