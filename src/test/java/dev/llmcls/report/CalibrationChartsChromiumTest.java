package dev.llmcls.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmcls.testing.CliRun;
import dev.llmcls.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report's calibration section in a real headless Chromium, as {@link
 * HtmlReportChromiumTest} does for the other charts: for a likelihood run evaluated raw,
 * contextually and batch-calibrated, a reliability diagram and a risk-coverage curve per reading
 * are drawn, with no console message.
 */
@Tag("slow") // headless Chromium
class CalibrationChartsChromiumTest {
    private static final List<String> LABELS =
            List.of("World", "Sports", "Business", "Science | Technology");

    @TempDir Path dir;

    @Test
    void reliabilityDiagramAndRiskCoverageCurvePerRunAndReading() throws Exception {
        Path chromium = HeadlessChromium.find();
        Path run = dir.resolve("lik<b>.jsonl");
        var lines = new ArrayList<String>();
        // Distributions biased toward World; p(gold) grows with the index so the bins fill
        // differently.
        for (int i = 0; i < 12; i++) {
            int gold = i % 4;
            double[] p = {0.4, 0.2, 0.2, 0.2};
            p[gold] += 0.05 * i;
            for (int k = 0; k < 4; k++) {
                p[k] /= 1 + 0.05 * i;
            }
            int best = 0;
            for (int k = 1; k < 4; k++) {
                best = p[k] > p[best] ? k : best;
            }
            var probs = new StringBuilder();
            for (int k = 0; k < 4; k++) {
                probs.append(k == 0 ? "" : ",")
                        .append('"')
                        .append(LABELS.get(k))
                        .append("\":")
                        .append(String.format(Locale.ROOT, "%.6f", p[k]));
            }
            lines.add(
                    "{\"id\":\""
                            + i
                            + "\",\"text\":\"t <script>"
                            + i
                            + "\",\"gold\":\""
                            + LABELS.get(gold)
                            + "\",\"output\":\"label: "
                            + LABELS.get(best)
                            + "\",\"error\":null,\"label\":\""
                            + LABELS.get(best)
                            + "\",\"scoring\":\"likelihood\",\"label_probs\":{"
                            + probs
                            + "}}");
        }
        Files.writeString(run, String.join("\n", lines) + "\n");
        Files.writeString(
                dir.resolve("lik<b>.jsonl.content-free.json"),
                "{\"labels\":[\"World\",\"Sports\",\"Business\",\"Science |"
                    + " Technology\"],\"inputs\":[\"N/A\",\"\",\"[MASK]\"],"
                    + "\"distributions\":[],\"mean\":{\"World\":0.55,\"Sports\":0.15,\"Business\":0.15,\"Science"
                    + " | Technology\":0.15},\"requests\":12,\"prompt_tokens\":0,\"completion_tokens\":0}");
        Path page = dir.resolve("report.html");
        CliRun evaluate =
                CliRun.of(
                        "evaluate",
                        "--html",
                        page.toString(),
                        "--calibrate",
                        "contextual,batch",
                        run.toString());
        assertEquals(0, evaluate.exitCode(), evaluate.toString());
        assertTrue(
                evaluate.out().contains("Calibration (runs with probabilities)"), evaluate.out());

        HeadlessChromium.Page loaded = HeadlessChromium.dumpDom(chromium, page, dir);
        String dom = loaded.dom();
        assertEquals(0, loaded.exitCode(), loaded.log());
        assertEquals(List.of(), loaded.console(), "console messages");
        assertTrue(dom.contains("data-rendered=\"true\""), "the page's script ran to its end");
        assertEquals(
                3,
                HtmlReportTest.count(dom, "<svg class=\"reliability\""),
                "raw, contextual, batch");
        assertEquals(3, HtmlReportTest.count(dom, "<svg class=\"risk-coverage\""));
        assertEquals(
                3,
                HtmlReportTest.count(dom, "<path class=\"rc-curve\" d=\"M"),
                "each curve is drawn");
        assertTrue(
                HtmlReportTest.count(dom, "<rect class=\"rel-bar\"") >= 3,
                "bars in the reliability diagrams");
        assertEquals(
                4,
                HtmlReportTest.count(dom, "lik&lt;b&gt;.jsonl</td><td>contextual</td>")
                        + HtmlReportTest.count(dom, "lik&lt;b&gt;.jsonl</td><td>batch</td>"),
                "each calibrated reading in the figures table and in the calibrated-versus-raw"
                        + " table");
        assertTrue(
                dom.contains("lik&lt;b&gt;.jsonl · contextual"),
                "file names are escaped in captions");
    }
}
