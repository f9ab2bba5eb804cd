package dev.llmcls.embed;

import java.util.Map;

/** An embedded classifier's answer: the label index, and for kNN how many neighbours had each label. */
public record Decision(int label, Map<String, Integer> votes) {
}
