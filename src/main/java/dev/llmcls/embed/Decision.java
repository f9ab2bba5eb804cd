package dev.llmcls.embed;

import java.util.List;
import java.util.Map;

/**
 * An embedded classifier's answer: the label index, for kNN how many neighbours had each label, and
 * for the linear probe the probability of each label (in label order; null when the classifier
 * gives none).
 */
public record Decision(int label, Map<String, Integer> votes, List<Double> probabilities) {
    public Decision(int label, Map<String, Integer> votes) {
        this(label, votes, null);
    }
}
