package dev.llmcls.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmcls.core.Json;
import dev.llmcls.eval.Evaluation;
import dev.llmcls.eval.Interval;
import dev.llmcls.eval.RunEvaluation;
import dev.llmcls.report.EvaluationReport;
import dev.llmcls.report.HtmlReport;
import dev.llmcls.report.MarkdownTable;
import dev.llmcls.report.TextTable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link StudyReport} as text, Markdown, JSON or a self-contained HTML page (no script, no
 * network).
 */
public final class StudyReportWriter {
    public enum Format {
        TEXT,
        MARKDOWN,
        JSON,
        HTML
    }

    private StudyReportWriter() {}

    public static String render(StudyReport report, Format format, String generatedAt) {
        return switch (format) {
            case TEXT -> tables(report, false);
            case MARKDOWN -> tables(report, true);
            case JSON -> json(report);
            case HTML -> html(report, generatedAt);
        };
    }

    private static String json(StudyReport report) {
        try {
            return Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report)
                    + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final List<String> LEADERBOARD =
            List.of(
                    "cell",
                    "levels",
                    "status",
                    "records",
                    "accuracy",
                    "95% CI",
                    "macro-F1",
                    "seed rule",
                    "errors",
                    "tokens in",
                    "tokens out",
                    "wall");
    private static final List<String> EFFECTS =
            List.of(
                    "factor",
                    "level vs baseline",
                    "held fixed",
                    "pairs",
                    "difference",
                    "95% CI",
                    "only base",
                    "only level",
                    "McNemar p",
                    "Holm p",
                    "");

    private static String tables(StudyReport report, boolean markdown) {
        var out = new StringBuilder();
        out.append(markdown ? "# " : "")
                .append("Study ")
                .append(report.experiment())
                .append("\n\n");
        for (StudyReport.Dataset dataset : report.datasets()) {
            out.append(markdown ? "## " : "")
                    .append("Leaderboard: ")
                    .append(dataset.data())
                    .append(" (scorer ")
                    .append(report.scorer())
                    .append(")\n\n");
            List<List<String>> rows = new ArrayList<>();
            for (StudyReport.Row row : dataset.cells()) {
                rows.add(
                        List.of(
                                row.cell(),
                                levels(row.levels(), row.replicate()),
                                row.status(),
                                count(row.records()),
                                percent(row.accuracy()),
                                interval(row.accuracyCi95()),
                                fraction(row.macroF1()),
                                percent(row.seedAccuracy()),
                                count(row.errors()),
                                count(row.promptTokens()),
                                count(row.completionTokens()),
                                row.wallSeconds() == null
                                        ? ""
                                        : String.format(Locale.ROOT, "%.1f s", row.wallSeconds())));
            }
            out.append(table(LEADERBOARD, rows, markdown)).append('\n');
            if (!dataset.replicates().isEmpty()) {
                out.append(markdown ? "### " : "").append("Replicates\n\n");
                List<List<String>> reps = new ArrayList<>();
                for (StudyReport.Replicates r : dataset.replicates()) {
                    reps.add(
                            List.of(
                                    levels(r.levels(), null),
                                    Integer.toString(r.replicates()),
                                    percent(r.mean()),
                                    String.format(Locale.ROOT, "%.2f pp", 100 * r.sd()),
                                    String.join(
                                            " ",
                                            r.accuracies().stream()
                                                    .map(StudyReportWriter::percent)
                                                    .toList())));
                }
                out.append(
                                table(
                                        List.of("levels", "n", "mean", "sd", "per replicate"),
                                        reps,
                                        markdown))
                        .append('\n');
            }
        }
        out.append(markdown ? "## " : "")
                .append("Factor effects (")
                .append(report.scorer())
                .append(
                        " accuracy; level minus baseline, paired over the examples both cells"
                                + " answered)\n\n");
        if (report.effects().isEmpty()) {
            out.append("No factor has two levels with outputs to compare.\n");
        } else {
            List<List<String>> summary = new ArrayList<>();
            for (StudyReport.FactorSummary s : report.factorSummaries()) {
                summary.add(
                        List.of(
                                s.factor(),
                                s.level() + " vs " + s.baseline(),
                                Integer.toString(s.comparisons()),
                                points(s.meanDifference()),
                                Integer.toString(s.significantBetter()),
                                Integer.toString(s.significantWorse())));
            }
            out.append(
                            table(
                                    List.of(
                                            "factor",
                                            "level vs baseline",
                                            "comparisons",
                                            "mean difference",
                                            "significantly better",
                                            "significantly worse"),
                                    summary,
                                    markdown))
                    .append('\n');
            List<List<String>> rows = new ArrayList<>();
            for (StudyReport.Effect e : report.effects()) {
                rows.add(
                        List.of(
                                e.factor(),
                                e.level() + " vs " + e.baseline(),
                                levels(e.fixed(), null),
                                Long.toString(e.pairs()),
                                points(e.difference()),
                                pointsInterval(e.differenceCi95()),
                                Long.toString(e.onlyBaselineRight()),
                                Long.toString(e.onlyLevelRight()),
                                p(e.mcnemarP()),
                                p(e.holmP()),
                                e.significant() ? "*" : ""));
            }
            out.append(table(EFFECTS, rows, markdown)).append('\n');
        }
        out.append("p-values: McNemar's exact test, corrected by ")
                .append(report.correction())
                .append(
                        "; * marks Holm p < 0.05. Intervals: Wilson (accuracy), paired bootstrap"
                                + " percentile (difference).\n");
        return out.toString();
    }

    private static String table(List<String> header, List<List<String>> rows, boolean markdown) {
        if (markdown) {
            var table = new MarkdownTable(header);
            rows.forEach(table::add);
            return table.render();
        }
        var table = new TextTable(header);
        rows.forEach(table::add);
        return table.render();
    }

    private static String html(StudyReport report, String generatedAt) {
        var html = new StringBuilder(32 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(
                        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                                + " ")
                .append("style-src 'unsafe-inline'\">\n")
                .append(
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                                + "<title>llmcls study ")
                .append(e(report.experiment()))
                .append("</title>\n<style>\n")
                .append(CSS)
                .append("</style>\n</head>\n")
                .append("<body>\n<header>\n<h1>Study ")
                .append(e(report.experiment()))
                .append("</h1>\n<p>")
                .append(report.datasets().stream().mapToInt(d -> d.cells().size()).sum())
                .append(" cells · scorer ")
                .append(e(report.scorer()))
                .append(" · generated ")
                .append(e(generatedAt))
                .append(" by llmcls experiment report</p>\n</header>\n<main>\n");
        for (StudyReport.Dataset dataset : report.datasets()) {
            html.append("<section class=\"dataset\">\n<h2>Leaderboard: ")
                    .append(e(dataset.data()))
                    .append("</h2>\n")
                    .append("<table class=\"leaderboard\">\n<thead><tr>");
            LEADERBOARD.forEach(h -> html.append("<th>").append(e(h)).append("</th>"));
            html.append("</tr></thead>\n<tbody>\n");
            for (StudyReport.Row row : dataset.cells()) {
                html.append("<tr><td>")
                        .append(e(row.cell()))
                        .append("</td><td>")
                        .append(e(levels(row.levels(), row.replicate())))
                        .append("</td><td>")
                        .append(e(row.status()))
                        .append("</td><td>")
                        .append(count(row.records()))
                        .append("</td><td>")
                        .append(percent(row.accuracy()))
                        .append("</td><td>")
                        .append(interval(row.accuracyCi95()))
                        .append("</td><td>")
                        .append(fraction(row.macroF1()))
                        .append("</td><td>")
                        .append(percent(row.seedAccuracy()))
                        .append("</td><td>")
                        .append(count(row.errors()))
                        .append("</td><td>")
                        .append(count(row.promptTokens()))
                        .append("</td><td>")
                        .append(count(row.completionTokens()))
                        .append("</td><td>")
                        .append(
                                row.wallSeconds() == null
                                        ? ""
                                        : String.format(Locale.ROOT, "%.1f s", row.wallSeconds()))
                        .append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n");
            heatMaps(html, report, dataset);
            html.append("</section>\n");
        }
        html.append("<section id=\"effects\">\n<h2>Factor effects</h2>\n<p>")
                .append(e(report.scorer()))
                .append(
                        " accuracy, level minus baseline, paired over the examples both cells"
                                + " answered. p-values: McNemar's exact test, corrected by ")
                .append(e(report.correction()))
                .append(".</p>\n");
        html.append("<table class=\"effects\">\n<thead><tr>");
        EFFECTS.forEach(
                h ->
                        html.append("<th>")
                                .append(e(h.isEmpty() ? "Holm p < 0.05" : h))
                                .append("</th>"));
        html.append("</tr></thead>\n<tbody>\n");
        for (StudyReport.Effect x : report.effects()) {
            html.append("<tr")
                    .append(x.significant() ? " class=\"significant\"" : "")
                    .append("><td>")
                    .append(e(x.factor()))
                    .append("</td><td>")
                    .append(e(x.level() + " vs " + x.baseline()))
                    .append("</td><td>")
                    .append(e(levels(x.fixed(), null)))
                    .append("</td><td>")
                    .append(x.pairs())
                    .append("</td><td>")
                    .append(points(x.difference()))
                    .append("</td><td>")
                    .append(pointsInterval(x.differenceCi95()))
                    .append("</td><td>")
                    .append(x.onlyBaselineRight())
                    .append("</td><td>")
                    .append(x.onlyLevelRight())
                    .append("</td><td>")
                    .append(p(x.mcnemarP()))
                    .append("</td><td>")
                    .append(p(x.holmP()))
                    .append("</td><td>")
                    .append(x.significant() ? "yes" : "no")
                    .append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");
        runSections(html, report);
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    /**
     * Each cell's own report, as {@code llmcls evaluate --per-class} gives it for one run (its
     * figures under every scorer, tokens, answers, per-class figures and confusion matrices),
     * folded under its id in leaderboard order; cells without output have none.
     */
    private static void runSections(StringBuilder html, StudyReport report) {
        html.append("<section id=\"runs\">\n<h2>Runs</h2>\n");
        for (StudyReport.Dataset dataset : report.datasets()) {
            for (StudyReport.Row row : dataset.cells()) {
                RunEvaluation run = report.runs().get(row.cell());
                if (run == null) {
                    continue;
                }
                html.append("<details class=\"run\" id=\"run-")
                        .append(e(row.cell()))
                        .append("\">\n<summary><span class=\"run-id\">")
                        .append(e(row.cell()))
                        .append("</span> ")
                        .append(e(levels(row.levels(), row.replicate())))
                        .append(" · ")
                        .append(e(dataset.data()))
                        .append(" · accuracy ")
                        .append(e(percent(row.accuracy())))
                        .append("</summary>\n")
                        .append(
                                EvaluationReport.html(
                                        new Evaluation(List.of(run), List.of(), List.of(), 0),
                                        true))
                        .append("</details>\n");
            }
        }
        html.append("</section>\n");
    }

    /**
     * For each pair of factors (or the one factor alone), mean accuracy per pair of levels,
     * coloured by value.
     */
    private static void heatMaps(
            StringBuilder html, StudyReport report, StudyReport.Dataset dataset) {
        List<String> factors = report.factors();
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < factors.size(); i++) {
            for (int j = i + 1; j < factors.size(); j++) {
                pairs.add(new String[] {factors.get(i), factors.get(j)});
            }
        }
        if (factors.size() == 1) {
            pairs.add(new String[] {factors.get(0), factors.get(0)});
        }
        for (String[] pair : pairs) {
            Double[][] heat = report.heat(dataset, pair[0], pair[1]);
            List<String> rows = report.levels().get(pair[0]);
            List<String> columns = report.levels().get(pair[1]);
            boolean diagonal = pair[0].equals(pair[1]);
            html.append("<figure class=\"heatmap\">\n<figcaption>Accuracy: ").append(e(pair[0]));
            if (!diagonal) {
                html.append(" × ").append(e(pair[1]));
            }
            html.append("</figcaption>\n<table class=\"heat\" data-rows=\"")
                    .append(e(pair[0]))
                    .append("\" data-columns=\"")
                    .append(e(pair[1]))
                    .append("\">\n<thead><tr><th>")
                    .append(e(pair[0]))
                    .append(diagonal ? "" : " \\ " + e(pair[1]))
                    .append("</th>");
            if (diagonal) {
                html.append("<th>accuracy</th>");
            } else {
                columns.forEach(c -> html.append("<th>").append(e(c)).append("</th>"));
            }
            html.append("</tr></thead>\n<tbody>\n");
            for (int r = 0; r < rows.size(); r++) {
                html.append("<tr><th>").append(e(rows.get(r))).append("</th>");
                for (int c = 0; c < columns.size(); c++) {
                    if (diagonal && c != r) {
                        continue;
                    }
                    Double value = heat[r][c];
                    html.append("<td class=\"heat-cell\"")
                            .append(
                                    value == null
                                            ? ""
                                            : " style=\"background:" + colour(value) + "\"")
                            .append(" data-accuracy=\"")
                            .append(value == null ? "" : String.format(Locale.ROOT, "%.6f", value))
                            .append("\">")
                            .append(percent(value))
                            .append("</td>");
                }
                html.append("</tr>\n");
            }
            html.append("</tbody>\n</table>\n</figure>\n");
        }
    }

    /**
     * From pale (low) to a strong blue (high), on an absolute 0..1 scale so maps of one page
     * compare.
     */
    static String colour(double accuracy) {
        double t = Math.max(0, Math.min(1, accuracy));
        int lightness = (int) Math.round(95 - 55 * t);
        return "hsl(210, 70%, " + lightness + "%)";
    }

    private static final String CSS =
            """
            body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; }
            table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
            th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            thead th { background: #f2f2f2; }
            tr.significant td { font-weight: 600; }
            figure.heatmap { display: inline-block; margin: 0 1.5rem 1rem 0; vertical-align: top; }
            td.heat-cell { min-width: 4.5rem; text-align: center; }
            details.run { margin: 0.25rem 0; }
            details.run summary { cursor: pointer; }
            details.run h3 { font-size: 0.95rem; margin: 0.75rem 0 0.25rem; }
            span.run-id { font-family: ui-monospace, monospace; }
            """;

    private static String e(String text) {
        return HtmlReport.escape(text == null ? "" : text);
    }

    static String levels(Map<String, String> levels, Integer replicate) {
        var parts = new ArrayList<String>();
        levels.forEach((factor, level) -> parts.add(factor + "=" + level));
        if (replicate != null) {
            parts.add(Grid.REPLICATE + "=" + replicate);
        }
        return String.join(" ", parts);
    }

    private static String percent(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * value);
    }

    private static String fraction(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String count(Long value) {
        return value == null ? "" : Long.toString(value);
    }

    private static String interval(Interval interval) {
        return interval == null
                ? ""
                : String.format(
                        Locale.ROOT, "[%.2f, %.2f]", 100 * interval.low(), 100 * interval.high());
    }

    private static String points(double difference) {
        return String.format(Locale.ROOT, "%+.2f pp", 100 * difference);
    }

    private static String pointsInterval(Interval interval) {
        return String.format(
                Locale.ROOT, "[%+.2f, %+.2f]", 100 * interval.low(), 100 * interval.high());
    }

    private static String p(double p) {
        return p < 1e-4
                ? String.format(Locale.ROOT, "%.1e", p)
                : String.format(Locale.ROOT, "%.4f", p);
    }
}
