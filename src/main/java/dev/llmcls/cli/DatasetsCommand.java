package dev.llmcls.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmcls.core.ExitCodes;
import dev.llmcls.core.Json;
import dev.llmcls.data.suite.Suite;
import dev.llmcls.data.suite.SuiteEntry;
import dev.llmcls.report.TextTable;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmcls datasets}: the ready suite, one line per dataset. */
@Command(
        name = "datasets",
        mixinStandardHelpOptions = true,
        description = {
            "List the ready suite: the datasets that --data suite:NAME runs (the files of"
                    + " datasets/ in the llmcls installation), each with its Hugging Face Hub"
                    + " dataset, split, task (single-label, multi-label or pair), labels and the"
                    + " published zero-shot figures it is compared against; then each figure with"
                    + " its model, setting, split and the source it was read in.",
            "--format json gives every field of each entry, its prompts and the figures' sources"
                    + " included."
        })
public final class DatasetsCommand implements Callable<Integer> {
    /** A table cell's labels: the names up to about this many characters. */
    private static final int LABELS_WIDTH = 48;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    enum Format {
        TEXT,
        JSON
    }

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<SuiteEntry> entries = Suite.installed().entries();
        if (format == Format.JSON) {
            try {
                out.println(
                        Json.MAPPER
                                .writer(SerializationFeature.INDENT_OUTPUT)
                                .writeValueAsString(entries));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            out.print(table(entries));
            out.println();
            out.print(figures(entries));
        }
        out.flush();
        return ExitCodes.OK;
    }

    static String table(List<SuiteEntry> entries) {
        var table =
                new TextTable(
                        List.of("name", "dataset", "hub", "split", "task", "labels", "published"));
        for (SuiteEntry entry : entries) {
            table.add(
                    List.of(
                            entry.name(),
                            entry.title(),
                            entry.hubData().substring("hf:".length()),
                            entry.split(),
                            entry.task().toString(),
                            labels(entry.labelNames()),
                            published(entry.published())));
        }
        return table.render();
    }

    /** "N: a, b, c" cut to about {@link #LABELS_WIDTH} characters. */
    static String labels(List<String> names) {
        String all = names.size() + ": " + String.join(", ", names);
        return all.length() <= LABELS_WIDTH ? all : all.substring(0, LABELS_WIDTH - 3) + "...";
    }

    /** The table's cell: how many figures and their range, or "none found". */
    static String published(List<SuiteEntry.Published> figures) {
        if (figures.isEmpty()) {
            return "none found";
        }
        double low = figures.stream().mapToDouble(SuiteEntry.Published::value).min().orElseThrow();
        double high = figures.stream().mapToDouble(SuiteEntry.Published::value).max().orElseThrow();
        return figures.size()
                + (figures.size() == 1 ? " figure, " : " figures, ")
                + (low == high ? percent(low) : percent(low) + "-" + percent(high))
                + "%";
    }

    /**
     * Every entry's figures: what was measured (value, metric, model, setting, split), then who
     * reported it (paper, table) and where it was read, then its note; an entry without one says
     * what was searched.
     */
    static String figures(List<SuiteEntry> entries) {
        var out =
                new StringBuilder(
                        "Published zero-shot figures, each with the source it was read in:\n");
        for (SuiteEntry entry : entries) {
            if (entry.published().isEmpty()) {
                out.append(entry.name()).append(": ").append(entry.publishedNote()).append('\n');
                continue;
            }
            for (SuiteEntry.Published figure : entry.published()) {
                out.append(entry.name())
                        .append(": ")
                        .append(percent(figure.value()))
                        .append("% ")
                        .append(figure.metric())
                        .append(", ")
                        .append(figure.model())
                        .append(", ")
                        .append(figure.setting())
                        .append(", split ")
                        .append(figure.split())
                        .append('\n')
                        .append("    ")
                        .append(figure.paper())
                        .append(", ")
                        .append(figure.table())
                        .append("; read in ")
                        .append(figure.source())
                        .append('\n');
                if (figure.note() != null) {
                    out.append("    note: ").append(figure.note()).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static String percent(double value) {
        return new java.math.BigDecimal(Double.toString(value))
                .stripTrailingZeros()
                .toPlainString();
    }
}
