package dev.llmcls.label;

import java.util.ArrayList;
import java.util.List;

/**
 * The seed experiment's scoring rule, kept exactly: take the text after the last occurrence of the
 * case-sensitive substring {@code label} (the whole output if there is none), find the label names
 * that occur in it, in label order; the answer is multi-label when more than one occurs, and right
 * when the found names joined by single spaces equal the gold name.
 */
public final class SeedRule {
    private static final String MARKER = "label";

    private final List<String> labels;

    public SeedRule(List<String> labels) {
        this.labels = List.copyOf(labels);
    }

    public record Verdict(List<String> found, boolean right) {
        public boolean multiLabel() {
            return found.size() > 1;
        }
    }

    public Verdict score(String output, String gold) {
        List<String> found = find(output);
        return new Verdict(found, String.join(" ", found).equals(gold));
    }

    /** The label names, in label order, that occur after the last {@code label} in the output. */
    public List<String> find(String output) {
        return findInTail(tail(output));
    }

    /**
     * The text the rule reads: after the last {@code label} in the output, or the whole output when
     * there is none.
     */
    public static String tail(String output) {
        int marker = output.lastIndexOf(MARKER);
        return marker < 0 ? output : output.substring(marker + MARKER.length());
    }

    /** The label names, in label order, that occur in {@code tail} (see {@link #tail}). */
    public List<String> findInTail(String tail) {
        var found = new ArrayList<String>(2);
        for (String name : labels) {
            if (tail.contains(name)) {
                found.add(name);
            }
        }
        return found;
    }
}
