package dev.llmcls.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmcls.core.Json;
import dev.llmcls.eval.ClassMetrics;
import dev.llmcls.eval.Comparison;
import dev.llmcls.eval.ConfusionMatrix;
import dev.llmcls.eval.Evaluation;
import dev.llmcls.eval.Interval;
import dev.llmcls.eval.RunEvaluation;
import dev.llmcls.eval.Scorer;
import dev.llmcls.eval.ScorerResult;
import dev.llmcls.eval.Scorers;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Renders an evaluation for people (aligned text or markdown tables) and for scripts (JSON, CSV).
 */
public final class EvaluationReport {
    private static final List<String> RUN_HEADER =
            List.of(
                    "file",
                    "scorer",
                    "records",
                    "right",
                    "accuracy",
                    "95% CI",
                    "macro_f1",
                    "multi_label",
                    "no_label",
                    "errors");
    private static final List<String> TOKEN_HEADER =
            List.of("file", "examples with usage", "prompt tokens", "completion tokens");
    private static final List<String> ANSWER_HEADER =
            List.of("file", "no content", "constraint broken");
    private static final List<String> COMPARISON_HEADER =
            List.of(
                    "run",
                    "scorer",
                    "pairs",
                    "baseline acc",
                    "run acc",
                    "difference",
                    "95% CI (bootstrap)",
                    "only baseline right",
                    "only run right",
                    "McNemar p");

    private EvaluationReport() {}

    /** A table kind: plain aligned text or markdown. */
    private interface Tables {
        void table(String title, List<String> header, List<List<String>> rows);
    }

    public static String table(Evaluation evaluation, boolean perClass) {
        var out = new StringBuilder();
        render(
                evaluation,
                perClass,
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

    public static String markdown(Evaluation evaluation, boolean perClass) {
        var out = new StringBuilder();
        render(
                evaluation,
                perClass,
                (title, header, rows) -> {
                    out.append(out.length() == 0 ? "" : "\n")
                            .append("### ")
                            .append(MarkdownTable.escape(title == null ? "Runs" : title))
                            .append("\n\n");
                    var table = new MarkdownTable(header);
                    rows.forEach(table::add);
                    out.append(table.render());
                });
        return out.toString();
    }

    /**
     * The same tables as HTML, with no script: each an {@code <h3>} title and a table whose number
     * cells are right-aligned ({@code class="num"}). For pages that show runs beside other things
     * ({@code experiment report --format html}: one run's sections per cell).
     */
    public static String html(Evaluation evaluation, boolean perClass) {
        var out = new StringBuilder();
        render(
                evaluation,
                perClass,
                (title, header, rows) -> {
                    out.append("<h3>")
                            .append(HtmlReport.escape(title == null ? "Run" : title))
                            .append("</h3>\n<table class=\"run-table\">\n<thead><tr>");
                    header.forEach(
                            h -> out.append("<th>").append(HtmlReport.escape(h)).append("</th>"));
                    out.append("</tr></thead>\n<tbody>\n");
                    for (List<String> row : rows) {
                        out.append("<tr>");
                        for (int i = 0; i < row.size(); i++) {
                            String cell = row.get(i);
                            out.append(
                                            i > 0 && TextTable.looksNumeric(cell)
                                                    ? "<td class=\"num\">"
                                                    : "<td>")
                                    .append(HtmlReport.escape(cell))
                                    .append("</td>");
                        }
                        out.append("</tr>\n");
                    }
                    out.append("</tbody>\n</table>\n");
                });
        return out.toString();
    }

    /** One row per run and scorer, as every table format shows them (text, markdown, HTML). */
    static List<List<String>> runRows(Evaluation evaluation) {
        var rows = new ArrayList<List<String>>();
        for (RunEvaluation run : evaluation.runs()) {
            for (Scorer scorer : Scorers.ALL) {
                ScorerResult result = run.score(scorer);
                rows.add(
                        List.of(
                                run.file(),
                                scorer.key(),
                                count(run.records()),
                                count(result.right()),
                                percent(result.accuracy()),
                                interval(result.accuracyCi95()),
                                decimal(result.macroF1()),
                                count(result.multiLabel()),
                                count(result.noLabel()),
                                count(run.errors())));
            }
        }
        return rows;
    }

    /**
     * One row per comparison with the baseline, as every table format shows them (text, markdown,
     * HTML).
     */
    static List<List<String>> comparisonRows(Evaluation evaluation) {
        var rows = new ArrayList<List<String>>();
        for (Comparison c : evaluation.comparisons()) {
            rows.add(
                    List.of(
                            c.run(),
                            c.scorer(),
                            count(c.pairs()),
                            percent(c.baselineAccuracy()),
                            percent(c.runAccuracy()),
                            signedPercent(c.difference()),
                            signedInterval(c.differenceCi95()),
                            count(c.onlyBaselineRight()),
                            count(c.onlyRunRight()),
                            pValue(c.mcnemarP())));
        }
        return rows;
    }

    private static void render(Evaluation evaluation, boolean perClass, Tables tables) {
        tables.table(null, RUN_HEADER, runRows(evaluation));
        var tokenRows = new ArrayList<List<String>>();
        for (RunEvaluation run : evaluation.runs()) {
            if (run.tokens() != null) {
                tokenRows.add(
                        List.of(
                                run.file(),
                                count(run.tokens().examples()),
                                String.format(Locale.ROOT, "%.1f", run.tokens().promptPerExample()),
                                String.format(
                                        Locale.ROOT, "%.1f", run.tokens().completionPerExample())));
            }
        }
        if (!tokenRows.isEmpty()) {
            tables.table("Tokens per example", TOKEN_HEADER, tokenRows);
        }
        var answerRows = new ArrayList<List<String>>();
        for (RunEvaluation run : evaluation.runs()) {
            if (run.noContent() > 0 || run.constraintBroken() != null) {
                answerRows.add(
                        List.of(
                                run.file(),
                                count(run.noContent()),
                                run.constraintBroken() == null
                                        ? "0"
                                        : count(run.constraintBroken())));
            }
        }
        if (!answerRows.isEmpty()) {
            tables.table(
                    "Answers (no content: empty answer, e.g. a reasoning model out of tokens;"
                        + " constraint broken: an answer the server did not hold to --constrain)",
                    ANSWER_HEADER,
                    answerRows);
        }
        if (!evaluation.comparisons().isEmpty()) {
            tables.table(
                    "Paired comparison with the baseline "
                            + evaluation.comparisons().get(0).baseline()
                            + " (run − baseline)",
                    COMPARISON_HEADER,
                    comparisonRows(evaluation));
        }
        if (perClass) {
            for (RunEvaluation run : evaluation.runs()) {
                for (Scorer scorer : Scorers.ALL) {
                    ScorerResult result = run.score(scorer);
                    var rows = new ArrayList<List<String>>();
                    for (ClassMetrics m : result.perClass()) {
                        rows.add(
                                List.of(
                                        m.label(),
                                        decimal(m.precision()),
                                        decimal(m.recall()),
                                        decimal(m.f1()),
                                        count(m.support()),
                                        count(m.predicted())));
                    }
                    tables.table(
                            "Per class: " + run.file() + " (" + scorer.key() + ")",
                            List.of("label", "precision", "recall", "f1", "support", "predicted"),
                            rows);
                    ConfusionMatrix matrix = result.confusion();
                    var header = new ArrayList<String>();
                    header.add("gold \\ predicted");
                    header.addAll(matrix.columns());
                    var matrixRows = new ArrayList<List<String>>();
                    for (int r = 0; r < matrix.rows().size(); r++) {
                        var row = new ArrayList<String>();
                        row.add(matrix.rows().get(r));
                        matrix.counts().get(r).forEach(n -> row.add(count(n)));
                        matrixRows.add(row);
                    }
                    tables.table(
                            "Confusion matrix: " + run.file() + " (" + scorer.key() + ")",
                            header,
                            matrixRows);
                }
            }
        }
    }

    public static String json(Evaluation evaluation) {
        try {
            return Json.MAPPER
                            .writer(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(evaluation)
                    + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One row per run and scorer, as one rectangular table: the run's figures, then (for runs other
     * than the baseline) the paired comparison with the baseline, then with {@code perClass}
     * precision, recall and F1 of each label. Numbers are plain (accuracy as a fraction).
     */
    public static String csv(Evaluation evaluation, boolean perClass) {
        var header =
                new ArrayList<>(
                        List.of(
                                "file",
                                "scorer",
                                "records",
                                "right",
                                "accuracy",
                                "accuracy_ci_low",
                                "accuracy_ci_high",
                                "macro_f1",
                                "multi_label",
                                "no_label",
                                "errors",
                                "baseline",
                                "pairs",
                                "difference",
                                "difference_ci_low",
                                "difference_ci_high",
                                "only_baseline_right",
                                "only_run_right",
                                "mcnemar_p",
                                "no_content",
                                "constraint_broken"));
        List<String> labels =
                evaluation.runs().isEmpty() ? List.of() : evaluation.runs().get(0).labels();
        if (perClass) {
            for (String label : labels) {
                header.addAll(
                        List.of(
                                "precision:" + label,
                                "recall:" + label,
                                "f1:" + label,
                                "support:" + label));
            }
        }
        var out = new StringWriter();
        try (var printer =
                new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator('\n').get())) {
            printer.printRecord(header);
            for (RunEvaluation run : evaluation.runs()) {
                for (Scorer scorer : Scorers.ALL) {
                    ScorerResult r = run.score(scorer);
                    var row =
                            new ArrayList<Object>(
                                    List.of(
                                            run.file(),
                                            scorer.key(),
                                            run.records(),
                                            r.right(),
                                            r.accuracy(),
                                            r.accuracyCi95().low(),
                                            r.accuracyCi95().high(),
                                            r.macroF1(),
                                            r.multiLabel(),
                                            r.noLabel(),
                                            run.errors()));
                    Comparison c =
                            evaluation.comparisons().stream()
                                    .filter(
                                            x ->
                                                    x.run().equals(run.file())
                                                            && x.scorer().equals(scorer.key()))
                                    .findFirst()
                                    .orElse(null);
                    if (c == null) {
                        row.addAll(java.util.Collections.nCopies(8, ""));
                    } else {
                        row.addAll(
                                List.of(
                                        c.baseline(),
                                        c.pairs(),
                                        c.difference(),
                                        c.differenceCi95().low(),
                                        c.differenceCi95().high(),
                                        c.onlyBaselineRight(),
                                        c.onlyRunRight(),
                                        c.mcnemarP()));
                    }
                    row.add(run.noContent());
                    row.add(run.constraintBroken() == null ? 0 : run.constraintBroken());
                    if (perClass) {
                        for (String label : labels) {
                            ClassMetrics m =
                                    r.perClass().stream()
                                            .filter(x -> x.label().equals(label))
                                            .findFirst()
                                            .orElse(null);
                            if (m == null) {
                                row.addAll(java.util.Collections.nCopies(4, ""));
                            } else {
                                row.addAll(List.of(m.precision(), m.recall(), m.f1(), m.support()));
                            }
                        }
                    }
                    printer.printRecord(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String count(long n) {
        return Long.toString(n);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    static String signedPercent(double fraction) {
        return String.format(Locale.ROOT, "%+.2f%%", 100 * fraction);
    }

    static String interval(Interval interval) {
        return "[" + percent(interval.low()) + ", " + percent(interval.high()) + "]";
    }

    static String signedInterval(Interval interval) {
        return "[" + signedPercent(interval.low()) + ", " + signedPercent(interval.high()) + "]";
    }

    static String decimal(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** A p-value to three significant digits; very small ones in scientific notation. */
    static String pValue(double p) {
        return p >= 0.001
                ? String.format(Locale.ROOT, "%.4f", p)
                : String.format(Locale.ROOT, "%.2e", p);
    }
}
