package dev.llmcls.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmcls.core.Json;
import dev.llmcls.multilabel.LabelMetrics;
import dev.llmcls.multilabel.MultiLabelMetrics;
import dev.llmcls.multilabel.MultiLabelRun;
import dev.llmcls.multilabel.ThresholdSweep;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Renders the evaluation of multi-label runs: text and markdown tables, JSON, CSV and a
 * self-contained HTML page (inline CSS and SVG, no script). Per-label figures are always shown: a
 * multi-label run's summary alone hides which labels the model never names.
 */
public final class MultiLabelReport {
    private static final List<String> RUN_HEADER =
            List.of(
                    "file",
                    "examples",
                    "subset acc",
                    "hamming loss",
                    "micro P",
                    "micro R",
                    "micro F1",
                    "macro F1",
                    "sample F1",
                    "gold/ex",
                    "predicted/ex",
                    "no_label",
                    "errors");
    private static final List<String> LABEL_HEADER =
            List.of("label", "precision", "recall", "f1", "support", "predicted");
    private static final String NOTE =
            "subset acc: predicted set = gold set; hamming loss: share of wrong label decisions;"
                    + " micro: all decisions pooled; macro F1: mean over labels gold or predicted"
                    + " somewhere; sample F1: mean per example. An error predicts no label, and is"
                    + " wrong in subset accuracy and sample F1.";

    private MultiLabelReport() {}

    private interface Tables {
        void table(String title, List<String> header, List<List<String>> rows);
    }

    public static String table(List<MultiLabelRun> runs) {
        var out = new StringBuilder();
        render(
                runs,
                (title, header, rows) -> {
                    if (title != null) {
                        out.append(out.length() == 0 ? "" : "\n").append(title).append('\n');
                    }
                    var table = new TextTable(header);
                    rows.forEach(table::add);
                    out.append(table.render());
                });
        return out.toString();
    }

    public static String markdown(List<MultiLabelRun> runs) {
        var out = new StringBuilder();
        render(
                runs,
                (title, header, rows) -> {
                    out.append(out.length() == 0 ? "" : "\n")
                            .append("### ")
                            .append(
                                    MarkdownTable.escape(
                                            title == null ? "Runs (multi-label)" : title))
                            .append("\n\n");
                    var table = new MarkdownTable(header);
                    rows.forEach(table::add);
                    out.append(table.render());
                });
        return out.toString();
    }

    static List<List<String>> runRows(List<MultiLabelRun> runs) {
        var rows = new ArrayList<List<String>>();
        for (MultiLabelRun run : runs) {
            MultiLabelMetrics m = run.metrics();
            rows.add(
                    List.of(
                            run.file(),
                            count(m.examples()),
                            percent(m.subsetAccuracy()),
                            decimal(m.hammingLoss()),
                            decimal(m.microPrecision()),
                            decimal(m.microRecall()),
                            decimal(m.microF1()),
                            decimal(m.macroF1()),
                            decimal(m.sampleF1()),
                            String.format(java.util.Locale.ROOT, "%.2f", m.meanGoldLabels()),
                            String.format(java.util.Locale.ROOT, "%.2f", m.meanPredictedLabels()),
                            count(m.noLabel()),
                            count(m.errors())));
        }
        return rows;
    }

    static List<List<String>> labelRows(MultiLabelRun run) {
        var rows = new ArrayList<List<String>>();
        for (LabelMetrics l : run.metrics().perLabel()) {
            rows.add(
                    List.of(
                            l.label(),
                            decimal(l.precision()),
                            decimal(l.recall()),
                            decimal(l.f1()),
                            count(l.support()),
                            count(l.predicted())));
        }
        return rows;
    }

    static List<String> sweepHeader() {
        var header = new ArrayList<String>();
        header.add("threshold");
        ThresholdSweep.THRESHOLDS.forEach(
                t -> header.add(String.format(java.util.Locale.ROOT, "%.1f", t)));
        return header;
    }

    static List<List<String>> sweepRows(ThresholdSweep sweep) {
        var row = new ArrayList<String>();
        row.add("micro F1");
        sweep.microF1().forEach(f -> row.add(decimal(f)));
        return List.of(row);
    }

    static List<List<String>> tunedRows(ThresholdSweep sweep) {
        var rows = new ArrayList<List<String>>();
        for (ThresholdSweep.LabelThreshold l : sweep.perLabel()) {
            rows.add(
                    List.of(
                            l.label(),
                            String.format(java.util.Locale.ROOT, "%.1f", l.threshold()),
                            decimal(l.precision()),
                            decimal(l.recall()),
                            decimal(l.f1()),
                            count(l.support())));
        }
        return rows;
    }

    private static void render(List<MultiLabelRun> runs, Tables tables) {
        tables.table(null, RUN_HEADER, runRows(runs));
        for (MultiLabelRun run : runs) {
            tables.table("Per label: " + run.file(), LABEL_HEADER, labelRows(run));
            ThresholdSweep sweep = run.metrics().sweep();
            if (sweep != null) {
                tables.table(
                        "Threshold sweep: "
                                + run.file()
                                + " (label_probs of "
                                + sweep.examples()
                                + " examples; a label is predicted at probability >= threshold)",
                        sweepHeader(),
                        sweepRows(sweep));
                tables.table(
                        "Best threshold per label: "
                                + run.file()
                                + " (chosen on these same examples, so "
                                + "optimistic; micro F1 with them: "
                                + decimal(sweep.tunedMicroF1())
                                + ")",
                        List.of("label", "threshold", "precision", "recall", "f1", "support"),
                        tunedRows(sweep));
            }
        }
    }

    public static String json(List<MultiLabelRun> runs) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runs", runs);
        json.put("comparisons", List.of());
        try {
            return Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json)
                    + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One row per run and label: the run's figures, then the label's (the row with an empty {@code
     * label} holds the run's alone), and its tuned threshold when the run has probabilities.
     * Numbers are plain fractions.
     */
    public static String csv(List<MultiLabelRun> runs) {
        var out = new StringWriter();
        try (var printer =
                new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator('\n').get())) {
            printer.printRecord(
                    "file",
                    "examples",
                    "subset_accuracy",
                    "hamming_loss",
                    "micro_precision",
                    "micro_recall",
                    "micro_f1",
                    "macro_f1",
                    "sample_f1",
                    "no_label",
                    "errors",
                    "label",
                    "precision",
                    "recall",
                    "f1",
                    "support",
                    "predicted",
                    "best_threshold",
                    "f1_at_best_threshold");
            for (MultiLabelRun run : runs) {
                MultiLabelMetrics m = run.metrics();
                List<Object> prefix =
                        List.of(
                                run.file(),
                                m.examples(),
                                m.subsetAccuracy(),
                                m.hammingLoss(),
                                m.microPrecision(),
                                m.microRecall(),
                                m.microF1(),
                                m.macroF1(),
                                m.sampleF1(),
                                m.noLabel(),
                                m.errors());
                var runRow = new ArrayList<Object>(prefix);
                runRow.addAll(java.util.Collections.nCopies(8, ""));
                printer.printRecord(runRow);
                for (int i = 0; i < m.perLabel().size(); i++) {
                    LabelMetrics l = m.perLabel().get(i);
                    var row = new ArrayList<Object>(prefix);
                    row.addAll(
                            List.of(
                                    l.label(),
                                    l.precision(),
                                    l.recall(),
                                    l.f1(),
                                    l.support(),
                                    l.predicted()));
                    if (m.sweep() != null) {
                        row.add(m.sweep().perLabel().get(i).threshold());
                        row.add(m.sweep().perLabel().get(i).f1());
                    } else {
                        row.addAll(List.of("", ""));
                    }
                    printer.printRecord(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The self-contained page: the runs, per-label tables with F1 bars, threshold sweeps, and the
     * wrong examples.
     */
    public static String html(List<MultiLabelRun> runs, String generatedAt) {
        var html = new StringBuilder(32 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(
                        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                                + " ")
                .append("style-src 'unsafe-inline'\">\n")
                .append(
                        "<meta name=\"viewport\" content=\"width=device-width,"
                                + " initial-scale=1\">\n")
                .append("<title>llmcls evaluation (multi-label)</title>\n<style>\n")
                .append(HtmlReport.resource("report/report.css"))
                .append(
                        """
                        </style>
                        </head>
                        <body>
                        <header>
                        <h1>Evaluation report (multi-label)</h1>
                        <p>\
                        """)
                .append(runs.size())
                .append(runs.size() == 1 ? " run" : " runs")
                .append(" · generated ")
                .append(HtmlReport.escape(generatedAt))
                .append(" by llmcls evaluate</p>\n</header>\n<main>\n");
        html.append("<section id=\"runs\">\n<h2>Runs</h2>\n");
        table(html, "runs-table", RUN_HEADER, runRows(runs), 1);
        html.append("<p class=\"note\">")
                .append(HtmlReport.escape(NOTE))
                .append("</p>\n</section>\n");
        for (int r = 0; r < runs.size(); r++) {
            MultiLabelRun run = runs.get(r);
            html.append("<section id=\"labels-")
                    .append(r)
                    .append("\">\n<h2>Per label: ")
                    .append(HtmlReport.escape(run.file()))
                    .append("</h2>\n");
            table(html, "labels-table-" + r, LABEL_HEADER, labelRows(run), 1);
            f1Bars(html, run);
            ThresholdSweep sweep = run.metrics().sweep();
            if (sweep != null) {
                html.append("<h3>Threshold sweep (label_probs of ")
                        .append(sweep.examples())
                        .append(" examples)</h3>\n");
                table(html, "sweep-table-" + r, sweepHeader(), sweepRows(sweep), 1);
                html.append("<h3>Best threshold per label (micro F1 with them: ")
                        .append(decimal(sweep.tunedMicroF1()))
                        .append(")</h3>\n");
                table(
                        html,
                        "tuned-table-" + r,
                        List.of("label", "threshold", "precision", "recall", "f1", "support"),
                        tunedRows(sweep),
                        1);
                html.append(
                        "<p class=\"note\">Chosen on these same examples, so optimistic: choose"
                                + " thresholds on one split and apply them to another.</p>\n");
            }
            html.append("<h3>Examples not exactly right (")
                    .append(run.wrongTotal())
                    .append(
                            run.wrong().size() < run.wrongTotal()
                                    ? ", the first " + run.wrong().size() + " shown"
                                    : "")
                    .append(")</h3>\n");
            var rows = new ArrayList<List<String>>();
            for (MultiLabelRun.Wrong w : run.wrong()) {
                rows.add(
                        List.of(
                                w.id(),
                                w.text() == null ? "" : w.text(),
                                String.join(", ", w.gold()),
                                w.predicted() == null ? "error" : String.join(", ", w.predicted()),
                                w.error() != null
                                        ? w.error()
                                        : w.output() == null ? "" : w.output()));
            }
            table(
                    html,
                    "examples-table-" + r,
                    List.of("id", "text", "gold", "predicted", "answer"),
                    rows,
                    Integer.MAX_VALUE);
            html.append("</section>\n");
        }
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    /**
     * A table whose cells from column {@code firstNumeric} on are numbers; every cell HTML-escaped.
     */
    private static void table(
            StringBuilder html,
            String id,
            List<String> header,
            List<List<String>> rows,
            int firstNumeric) {
        html.append("<table id=\"").append(id).append("\">\n<thead><tr>");
        for (int i = 0; i < header.size(); i++) {
            html.append(i >= firstNumeric ? "<th class=\"num\">" : "<th>")
                    .append(HtmlReport.escape(header.get(i)))
                    .append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                html.append(i >= firstNumeric ? "<td class=\"num\">" : "<td>")
                        .append(HtmlReport.escape(row.get(i)))
                        .append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    /** Per-label F1 as horizontal bars, in inline SVG. */
    private static void f1Bars(StringBuilder html, MultiLabelRun run) {
        List<LabelMetrics> labels = run.metrics().perLabel();
        int rowHeight = 18;
        int labelWidth = 200;
        int barWidth = 400;
        html.append(
                        "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\""
                                + " role=\"img\" aria-label=\"per-label F1\" ")
                .append("width=\"")
                .append(labelWidth + barWidth + 60)
                .append("\" height=\"")
                .append(labels.size() * rowHeight + 4)
                .append("\">\n");
        for (int i = 0; i < labels.size(); i++) {
            LabelMetrics l = labels.get(i);
            int y = i * rowHeight + 2;
            html.append("<text x=\"")
                    .append(labelWidth - 6)
                    .append("\" y=\"")
                    .append(y + 13)
                    .append("\" text-anchor=\"end\" font-size=\"12\">")
                    .append(HtmlReport.escape(l.label()))
                    .append("</text><rect x=\"")
                    .append(labelWidth)
                    .append("\" y=\"")
                    .append(y)
                    .append("\" width=\"")
                    .append(Math.round(l.f1() * barWidth))
                    .append("\" height=\"")
                    .append(rowHeight - 4)
                    .append("\" fill=\"#4c78a8\"></rect><text x=\"")
                    .append(labelWidth + Math.round(l.f1() * barWidth) + 4)
                    .append("\" y=\"")
                    .append(y + 13)
                    .append("\" font-size=\"12\">")
                    .append(decimal(l.f1()))
                    .append("</text>\n");
        }
        html.append("</svg></div>\n");
    }

    private static String count(long n) {
        return Long.toString(n);
    }

    private static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    private static String decimal(double value) {
        return String.format(java.util.Locale.ROOT, "%.4f", value);
    }
}
