package dev.llmcls.label;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A majority vote over the labels of several sampled answers (null entries, answers that named no
 * single label, do not vote). {@code counts} lists every label that got a vote, in label order;
 * {@code winner} is the label with the most votes, a tie going to the label that comes first in the
 * label list; null when nobody voted.
 */
public record Vote(String winner, Map<String, Integer> counts) {
    public Vote {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    public static Vote of(List<String> ballots, List<String> labels) {
        var counts = new LinkedHashMap<String, Integer>();
        for (String label : labels) {
            int n = 0;
            for (String ballot : ballots) {
                n += label.equals(ballot) ? 1 : 0;
            }
            if (n > 0) {
                counts.put(label, n);
            }
        }
        String winner = null;
        int best = 0;
        for (var entry : counts.entrySet()) {
            if (entry.getValue() > best) {
                winner = entry.getKey();
                best = entry.getValue();
            }
        }
        return new Vote(winner, counts);
    }
}
