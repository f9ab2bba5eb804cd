package dev.llmcls.eval;

import java.util.List;

/**
 * Counts of gold label (rows, in label order) against prediction (columns: the labels, then {@code
 * no_label}, {@code multi_label} and {@code error}).
 */
public record ConfusionMatrix(List<String> rows, List<String> columns, List<List<Long>> counts) {
    public static final String NO_LABEL = "no_label";
    public static final String MULTI_LABEL = "multi_label";
    public static final String ERROR = "error";

    public ConfusionMatrix {
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
        counts = counts.stream().map(List::copyOf).toList();
    }

    public long count(int row, int column) {
        return counts.get(row).get(column);
    }
}
