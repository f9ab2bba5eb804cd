package dev.llmcls.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.llmcls.core.Json;
import dev.llmcls.core.Sha256;
import dev.llmcls.eval.CalibrationResult;
import dev.llmcls.eval.Comparison;
import dev.llmcls.eval.Evaluation;
import dev.llmcls.eval.Scorer;
import dev.llmcls.eval.Scorers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML page (inline CSS, script and SVG; nothing fetched): the runs and the
 * paired comparison as tables, accuracy with its interval, a confusion-matrix heat map per run,
 * per-class F1 bars, and a filterable list of the examples where the runs disagree. Texts from data
 * and model output reach the page only HTML-escaped (tables) or inside a JSON data block that the
 * script reads and writes with {@code textContent}; a Content-Security-Policy allows no script but
 * the page's own (by hash) and no network access.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static String render(Evaluation evaluation, String generatedAt) {
        return render(evaluation, List.of(), generatedAt);
    }

    /**
     * The page, with a calibration section (tables, reliability diagrams, risk-coverage curves)
     * when there are results.
     */
    public static String render(
            Evaluation evaluation, List<CalibrationResult> calibration, String generatedAt) {
        String script = resource("report/report.js");
        var html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(
                        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                                + " ")
                .append("style-src 'unsafe-inline'; script-src '")
                .append(sha256(script))
                .append("'\">\n")
                .append(
                        "<meta name=\"viewport\" content=\"width=device-width,"
                                + " initial-scale=1\">\n")
                .append("<title>llmcls evaluation</title>\n<style>\n")
                .append(resource("report/report.css"))
                .append("</style>\n</head>\n<body>\n<header>\n<h1>Evaluation report</h1>\n<p>")
                .append(evaluation.runs().size())
                .append(evaluation.runs().size() == 1 ? " run" : " runs")
                .append(" · generated ")
                .append(escape(generatedAt))
                .append(" by llmcls evaluate</p>\n</header>\n<main>\n");
        runsSection(html, evaluation);
        html.append(
                        "<section id=\"accuracy\">\n"
                                + "<div class=\"controls\"><label for=\"scorer\">Charts use the"
                                + " scorer</label>")
                .append("<select id=\"scorer\">")
                .append(scorerOptions())
                .append("</select></div>\n")
                .append(
                        """
                        <h2>Accuracy with 95 % Wilson interval</h2>
                        <div class="chart" id="accuracy-chart"></div>
                        </section>
                        """);
        comparisonSection(html, evaluation);
        CalibrationReport.htmlSection(html, calibration);
        html.append(
                        """
                        <section id="confusion">
                        <h2>Confusion matrices</h2>
                        <div class="charts" id="confusion-charts"></div>
                        </section>
                        """)
                .append(
                        """
                        <section id="f1">
                        <h2>Per-class F1</h2>
                        <div class="legend" id="f1-legend"></div>
                        """)
                .append("<div class=\"chart\" id=\"f1-chart\"></div>\n</section>\n")
                .append("<section id=\"examples\">\n<h2>")
                .append(
                        evaluation.runs().size() > 1
                                ? "Examples where the runs disagree (strict answers)"
                                : "Examples the run got wrong (strict)")
                .append(
                        "</h2>\n"
                            + "<div class=\"controls\"><input type=\"search\" id=\"example-search\""
                            + " ")
                .append("placeholder=\"filter: text, id, answer…\" aria-label=\"filter examples\">")
                .append(
                        "<label>gold <select id=\"gold-filter\"><option"
                                + " value=\"\">any</option></select></label>")
                .append(
                        """
                        <span id="run-filters"></span></div>
                        <p class="note" id="examples-count"></p>
                        """)
                .append(
                        "<table id=\"examples-table\"><thead id=\"examples-head\"></thead><tbody"
                                + " id=\"examples-body\"></tbody></table>\n")
                .append(
                        "<p><button type=\"button\" id=\"examples-more\" hidden>show"
                                + " more</button></p>\n"
                                + "</section>\n")
                .append("</main>\n<script type=\"application/json\" id=\"report-data\">")
                .append(data(evaluation))
                .append("</script>\n<script>")
                .append(script)
                .append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void runsSection(StringBuilder html, Evaluation evaluation) {
        html.append(
                        """
                        <section id="runs">
                        <h2>Runs</h2>
                        <table id="runs-table">
                        <thead><tr><th>file</th><th>scorer</th>\
                        """)
                .append(
                        "<th class=\"num\">records</th><th class=\"num\">right</th><th"
                                + " class=\"num\">accuracy</th>")
                .append(
                        "<th class=\"num\">95 % CI</th><th class=\"num\">macro-F1</th><th"
                                + " class=\"num\">multi_label</th>")
                .append(
                        "<th class=\"num\">no_label</th><th"
                                + " class=\"num\">errors</th></tr></thead>\n"
                                + "<tbody>\n");
        rows(html, EvaluationReport.runRows(evaluation));
        html.append("</tbody>\n</table>\n<p class=\"note\">");
        for (Scorer scorer : Scorers.ALL) {
            html.append(escape(scorer.key()))
                    .append(": ")
                    .append(escape(scorer.description()))
                    .append(' ');
        }
        html.append("Accuracy counts errors as wrong.</p>\n</section>\n");
    }

    private static void comparisonSection(StringBuilder html, Evaluation evaluation) {
        if (evaluation.comparisons().isEmpty()) {
            return;
        }
        Comparison first = evaluation.comparisons().get(0);
        html.append("<section id=\"comparison\">\n<h2>Paired comparison with the baseline ")
                .append(escape(first.baseline()))
                .append(
                        """
                        </h2>
                        <table id="comparison-table">
                        <thead><tr><th>run</th><th>scorer</th>\
                        """)
                .append(
                        "<th class=\"num\">pairs</th><th class=\"num\">baseline acc</th><th"
                                + " class=\"num\">run acc</th>")
                .append(
                        "<th class=\"num\">difference</th><th class=\"num\">95 % CI"
                                + " (bootstrap)</th>")
                .append(
                        "<th class=\"num\">only baseline right</th><th class=\"num\">only run"
                                + " right</th>")
                .append("<th class=\"num\">McNemar p</th></tr></thead>\n<tbody>\n");
        rows(html, EvaluationReport.comparisonRows(evaluation));
        html.append(
                        "</tbody>\n"
                            + "</table>\n"
                            + "<p class=\"note\">Over the example ids both runs hold with the same"
                            + " gold label. ")
                .append("Difference = run − baseline; bootstrap: ")
                .append(first.bootstrapResamples())
                .append(" paired resamples, seed ")
                .append(first.bootstrapSeed())
                .append(
                        """
                        ; McNemar: exact two-sided binomial test on the discordant pairs.</p>
                        </section>
                        """);
    }

    /** The chart's scorer choices: the primary scorer first and selected, then the others. */
    private static String scorerOptions() {
        var options = new StringBuilder();
        options.append("<option value=\"")
                .append(escape(Scorers.PRIMARY.key()))
                .append("\" selected>")
                .append(escape(Scorers.PRIMARY.key()))
                .append("</option>");
        for (Scorer scorer : Scorers.ALL) {
            if (scorer != Scorers.PRIMARY) {
                options.append("<option value=\"")
                        .append(escape(scorer.key()))
                        .append("\">")
                        .append(escape(scorer.key()))
                        .append("</option>");
            }
        }
        return options.toString();
    }

    /** Table rows whose first two cells (file or run, scorer) are text and the rest numbers. */
    private static void rows(StringBuilder html, List<List<String>> rows) {
        for (List<String> row : rows) {
            html.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                cell(html, row.get(i), i >= 2);
            }
            html.append("</tr>\n");
        }
    }

    private static void cell(StringBuilder html, String text, boolean numeric) {
        html.append(numeric ? "<td class=\"num\">" : "<td>").append(escape(text)).append("</td>");
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        var out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The data the script draws from, as JSON that is safe inside a {@code <script>} element:
     * {@code <}, {@code >}, {@code &} and the JavaScript line separators appear only as {@code
     * \\uXXXX} escapes, so no text can close the element.
     */
    static String data(Evaluation evaluation) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(
                "labels",
                evaluation.runs().isEmpty() ? List.of() : evaluation.runs().get(0).labels());
        data.put("runs", evaluation.runs());
        data.put("comparisons", evaluation.comparisons());
        data.put("examples", evaluation.examples());
        data.put("examplesTotal", evaluation.examplesTotal());
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        var out = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String sha256(String script) {
        return "sha256-" + Base64.getEncoder().encodeToString(Sha256.digest(script));
    }

    static String resource(String name) {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
