package dev.llmcls.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with aligned columns; numeric-looking cells (numbers, percentages, intervals)
 * are right-aligned.
 */
public final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    public TextTable add(List<String> row) {
        if (row.size() != header.size()) {
            throw new IllegalArgumentException(
                    "row has " + row.size() + " cells, header has " + header.size());
        }
        rows.add(List.copyOf(row));
        return this;
    }

    public String render() {
        int[] widths = new int[header.size()];
        for (List<String> row : allRows()) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        var out = new StringBuilder();
        for (List<String> row : allRows()) {
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                boolean right = i > 0 && looksNumeric(cell);
                String padding = " ".repeat(widths[i] - cell.length());
                out.append(i == 0 ? "" : "  ")
                        .append(
                                right
                                        ? padding + cell
                                        : cell + (i == row.size() - 1 ? "" : padding));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private List<List<String>> allRows() {
        var all = new ArrayList<List<String>>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        return all;
    }

    static boolean looksNumeric(String cell) {
        return !cell.isEmpty()
                && cell.chars().anyMatch(Character::isDigit)
                && cell.chars().allMatch(c -> Character.isDigit(c) || ".%,-+e[] ".indexOf(c) >= 0);
    }
}
