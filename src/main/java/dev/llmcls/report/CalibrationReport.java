package dev.llmcls.report;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcls.core.Json;
import dev.llmcls.eval.Calibration;
import dev.llmcls.eval.CalibrationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The calibration figures of the runs that carry probabilities, after the evaluation's own tables:
 * one row per run and reading (raw confidence, vote share, contextual or batch correction), and the
 * calibrated-versus-raw comparison.
 */
public final class CalibrationReport {
    static final List<String> HEADER =
            List.of(
                    "file",
                    "variant",
                    "examples",
                    "accuracy",
                    "ECE (15 bins)",
                    "Brier",
                    "NLL",
                    "AUROC",
                    "AUROC 95% CI",
                    "AURC",
                    "acc@50%",
                    "acc@80%",
                    "acc@90%",
                    "acc@100%");
    static final List<String> VERSUS_HEADER =
            List.of(
                    "file",
                    "calibration",
                    "pairs",
                    "raw acc",
                    "calibrated acc",
                    "only raw right",
                    "only calibrated right",
                    "McNemar p");
    static final String NOTE =
            "ECE: 15 equal-width confidence bins. Brier: sum over labels of (p - y)^2, mean over"
                    + " examples. NLL: mean -ln p(gold). AUROC: confidence as a score for \"the"
                    + " prediction is right\" (DeLong interval). AURC: area under the risk-coverage"
                    + " curve. acc@c: accuracy on the c most confident examples.";

    private CalibrationReport() {}

    static List<List<String>> rows(List<CalibrationResult> results) {
        var rows = new ArrayList<List<String>>();
        for (CalibrationResult r : results) {
            var row =
                    new ArrayList<>(
                            List.of(
                                    r.file(),
                                    r.variant(),
                                    EvaluationReport.count(r.examples()),
                                    EvaluationReport.percent(r.accuracy()),
                                    decimal(r.ece()),
                                    optional(r.brier()),
                                    optional(r.nll()),
                                    optional(r.auroc()),
                                    r.aurocCi95() == null
                                            ? "-"
                                            : String.format(
                                                    Locale.ROOT,
                                                    "[%.4f, %.4f]",
                                                    r.aurocCi95().low(),
                                                    r.aurocCi95().high()),
                                    decimal(r.aurc())));
            for (double value : r.accuracyAtCoverage().values()) {
                row.add(EvaluationReport.percent(value));
            }
            rows.add(row);
        }
        return rows;
    }

    static List<List<String>> versusRows(List<CalibrationResult> results) {
        var rows = new ArrayList<List<String>>();
        for (CalibrationResult r : results) {
            CalibrationResult.VersusRaw v = r.versusRaw();
            if (v != null) {
                rows.add(
                        List.of(
                                r.file(),
                                r.variant(),
                                EvaluationReport.count(v.pairs()),
                                EvaluationReport.percent(v.rawAccuracy()),
                                EvaluationReport.percent(v.calibratedAccuracy()),
                                EvaluationReport.count(v.onlyRawRight()),
                                EvaluationReport.count(v.onlyCalibratedRight()),
                                EvaluationReport.pValue(v.mcnemarP())));
            }
        }
        return rows;
    }

    /**
     * The aligned-text tables, to follow {@link EvaluationReport#table}; empty when there are no
     * results.
     */
    public static String table(List<CalibrationResult> results) {
        if (results.isEmpty()) {
            return "";
        }
        var out = new StringBuilder();
        tables(
                out,
                results,
                "\nCalibration (runs with probabilities)\n",
                "\nCalibrated versus raw (same examples)\n",
                (header, rows) -> {
                    var table = new TextTable(header);
                    rows.forEach(table::add);
                    return table.render();
                });
        out.append(NOTE).append('\n');
        boundedNotes(results).forEach(note -> out.append(note).append('\n'));
        return out.toString();
    }

    /**
     * Appends the calibration table under {@code title} and, when any run has a calibrated reading,
     * the calibrated-versus-raw table under {@code versusTitle}, each drawn by {@code render}.
     */
    private static void tables(
            StringBuilder out,
            List<CalibrationResult> results,
            String title,
            String versusTitle,
            BiFunction<List<String>, List<List<String>>, String> render) {
        out.append(title).append(render.apply(HEADER, rows(results)));
        List<List<String>> versus = versusRows(results);
        if (!versus.isEmpty()) {
            out.append(versusTitle).append(render.apply(VERSUS_HEADER, versus));
        }
    }

    /**
     * A line per run whose confidences had to bound labels the server did not list among its top
     * alternatives ({@code labels_unlisted} in the records).
     */
    static List<String> boundedNotes(List<CalibrationResult> results) {
        var notes = new ArrayList<String>();
        for (CalibrationResult r : results) {
            if (r.boundedExamples() != null && r.boundedExamples() > 0) {
                notes.add(
                        String.format(
                                Locale.ROOT,
                                "%s: %d of %d confidences count labels the server did not list"
                                    + " among its top alternatives at the smallest listed"
                                    + " probability (labels_unlisted); raise --top-logprobs where"
                                    + " the server allows it.",
                                r.file(),
                                r.boundedExamples(),
                                r.examples()));
            }
        }
        return notes;
    }

    public static String markdown(List<CalibrationResult> results) {
        if (results.isEmpty()) {
            return "";
        }
        var out = new StringBuilder();
        tables(
                out,
                results,
                "\n### Calibration (runs with probabilities)\n\n",
                "\n### Calibrated versus raw (same examples)\n\n",
                (header, rows) -> {
                    var table = new MarkdownTable(header);
                    rows.forEach(table::add);
                    return table.render();
                });
        out.append('\n').append(MarkdownTable.escape(NOTE)).append('\n');
        boundedNotes(results)
                .forEach(note -> out.append('\n').append(MarkdownTable.escape(note)).append('\n'));
        return out.toString();
    }

    /**
     * The evaluation's JSON with {@code calibration: [...]} added (nothing added when there are no
     * results).
     */
    public static String json(String evaluationJson, List<CalibrationResult> results) {
        if (results.isEmpty()) {
            return evaluationJson;
        }
        try {
            ObjectNode root = (ObjectNode) Json.MAPPER.readTree(evaluationJson);
            root.set("calibration", Json.MAPPER.valueToTree(results));
            return Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root)
                    + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- HTML: a reliability diagram and a risk-coverage curve per run and reading, drawn as
    // inline SVG ----

    static void htmlSection(StringBuilder html, List<CalibrationResult> results) {
        if (results.isEmpty()) {
            return;
        }
        html.append("<section id=\"calibration\">\n<h2>Calibration</h2>\n");
        htmlTable(html, "calibration-table", HEADER, rows(results));
        List<List<String>> versus = versusRows(results);
        if (!versus.isEmpty()) {
            html.append("<h3>Calibrated versus raw (same examples)</h3>\n");
            htmlTable(html, "calibration-versus", VERSUS_HEADER, versus);
        }
        html.append("<p class=\"note\">").append(HtmlReport.escape(NOTE)).append("</p>\n");
        for (String note : boundedNotes(results)) {
            html.append("<p class=\"note\">").append(HtmlReport.escape(note)).append("</p>\n");
        }
        html.append("<div class=\"charts\">\n");
        for (CalibrationResult r : results) {
            html.append("<figure class=\"calibration-run\">\n<figcaption>")
                    .append(HtmlReport.escape(r.file()))
                    .append(" · ")
                    .append(HtmlReport.escape(r.variant()))
                    .append("</figcaption>\n");
            reliabilityDiagram(html, r);
            riskCoverageCurve(html, r);
            html.append("</figure>\n");
        }
        html.append("</div>\n</section>\n");
    }

    /** One table: the first two columns (file, variant) as text, the others as numbers. */
    private static void htmlTable(
            StringBuilder html, String id, List<String> header, List<List<String>> rows) {
        html.append("<table id=\"").append(id).append("\">\n<thead><tr>");
        for (String h : header) {
            html.append("<th>").append(HtmlReport.escape(h)).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                html.append(i < 2 ? "<td>" : "<td class=\"num\">")
                        .append(HtmlReport.escape(row.get(i)))
                        .append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static final int SIZE = 220;
    private static final int PAD = 30;

    /**
     * Accuracy per confidence bin as bars, the diagonal of perfect calibration, and the bins' mean
     * confidence.
     */
    static void reliabilityDiagram(StringBuilder html, CalibrationResult r) {
        int w = SIZE + 2 * PAD;
        html.append("<svg class=\"reliability\" role=\"img\" viewBox=\"0 0 ")
                .append(w)
                .append(' ')
                .append(w)
                .append("\" width=\"")
                .append(w)
                .append("\" height=\"")
                .append(w)
                .append("\"><title>Reliability diagram: ")
                .append(HtmlReport.escape(r.file() + " " + r.variant()))
                .append("</title>\n");
        axes(html, "confidence", "accuracy");
        html.append("<line class=\"diagonal\" x1=\"")
                .append(x(0))
                .append("\" y1=\"")
                .append(y(0))
                .append("\" x2=\"")
                .append(x(1))
                .append("\" y2=\"")
                .append(y(1))
                .append("\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n");
        for (Calibration.Bin bin : r.reliability()) {
            if (bin.count() == 0) {
                continue;
            }
            double left = x(bin.low());
            double width = x(bin.high()) - left - 1;
            html.append("<rect class=\"rel-bar\" x=\"")
                    .append(fmt(left))
                    .append("\" y=\"")
                    .append(fmt(y(bin.accuracy())))
                    .append("\" width=\"")
                    .append(fmt(width))
                    .append("\" height=\"")
                    .append(fmt(y(0) - y(bin.accuracy())))
                    .append("\" fill=\"#4c78a8\"><title>")
                    .append(
                            HtmlReport.escape(
                                    String.format(
                                            Locale.ROOT,
                                            "%.3f–%.3f: %d examples, confidence %.3f, accuracy"
                                                    + " %.3f",
                                            bin.low(),
                                            bin.high(),
                                            bin.count(),
                                            bin.confidence(),
                                            bin.accuracy())))
                    .append("</title></rect>\n");
            html.append("<circle class=\"rel-conf\" cx=\"")
                    .append(fmt(x(bin.confidence())))
                    .append("\" cy=\"")
                    .append(fmt(y(bin.confidence())))
                    .append("\" r=\"2.5\" fill=\"#e45756\"/>\n");
        }
        html.append("</svg>\n");
    }

    /** The error rate among the most confident examples as coverage grows. */
    static void riskCoverageCurve(StringBuilder html, CalibrationResult r) {
        int w = SIZE + 2 * PAD;
        double maxRisk = 0;
        for (Calibration.Point p : r.riskCoverage()) {
            maxRisk = Math.max(maxRisk, p.risk());
        }
        double top = maxRisk <= 0 ? 1 : Math.min(1, Math.ceil(maxRisk * 10) / 10);
        html.append("<svg class=\"risk-coverage\" role=\"img\" viewBox=\"0 0 ")
                .append(w)
                .append(' ')
                .append(w)
                .append("\" width=\"")
                .append(w)
                .append("\" height=\"")
                .append(w)
                .append("\"><title>Risk-coverage curve: ")
                .append(HtmlReport.escape(r.file() + " " + r.variant()))
                .append("</title>\n");
        axes(html, "coverage", "risk (0–" + fmt(top) + ")");
        var path = new StringBuilder();
        for (Calibration.Point p : r.riskCoverage()) {
            path.append(path.length() == 0 ? "M" : " L")
                    .append(fmt(x(p.coverage())))
                    .append(',')
                    .append(fmt(y(p.risk() / top)));
        }
        html.append("<path class=\"rc-curve\" d=\"")
                .append(path)
                .append("\" fill=\"none\" stroke=\"#4c78a8\" stroke-width=\"2\">")
                .append("<title>")
                .append(HtmlReport.escape(String.format(Locale.ROOT, "AURC %.4f", r.aurc())))
                .append("</title></path>\n</svg>\n");
    }

    private static void axes(StringBuilder html, String xLabel, String yLabel) {
        html.append("<line class=\"axis\" x1=\"")
                .append(x(0))
                .append("\" y1=\"")
                .append(y(0))
                .append("\" x2=\"")
                .append(x(1))
                .append("\" y2=\"")
                .append(y(0))
                .append("\" stroke=\"#333\"/>\n")
                .append("<line class=\"axis\" x1=\"")
                .append(x(0))
                .append("\" y1=\"")
                .append(y(0))
                .append("\" x2=\"")
                .append(x(0))
                .append("\" y2=\"")
                .append(y(1))
                .append("\" stroke=\"#333\"/>\n")
                .append("<text x=\"")
                .append(x(0.5))
                .append("\" y=\"")
                .append(SIZE + 2 * PAD - 6)
                .append("\" text-anchor=\"middle\" font-size=\"11\">")
                .append(HtmlReport.escape(xLabel))
                .append("</text>\n")
                .append("<text x=\"12\" y=\"")
                .append(y(0.5))
                .append("\" text-anchor=\"middle\" font-size=\"11\" ")
                .append("transform=\"rotate(-90 12 ")
                .append(y(0.5))
                .append(")\">")
                .append(HtmlReport.escape(yLabel))
                .append("</text>\n");
    }

    private static double x(double v) {
        return PAD + v * SIZE;
    }

    private static double y(double v) {
        return PAD + (1 - v) * SIZE;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String decimal(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String optional(Double v) {
        return v == null ? "-" : decimal(v);
    }
}
