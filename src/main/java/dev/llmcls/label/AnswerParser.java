package dev.llmcls.label;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * The one label an answer names, or null when it names none or several. A free answer (and a {@code choice}
 * answer) is read with the seed rule ({@link SeedScorer#find}); a {@code json} answer is parsed and its
 * {@code label} field must be exactly a label name.
 */
public final class AnswerParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> labels;
    private final SeedScorer seedRule;
    private final Constraint constraint;

    public AnswerParser(List<String> labels, Constraint constraint) {
        this.labels = List.copyOf(labels);
        this.seedRule = new SeedScorer(labels);
        this.constraint = constraint;
    }

    public String label(String answer) {
        if (answer == null) {
            return null;
        }
        if (constraint == Constraint.JSON) {
            return jsonLabel(answer);
        }
        List<String> found = seedRule.find(answer);
        return found.size() == 1 ? found.get(0) : null;
    }

    private String jsonLabel(String answer) {
        try {
            JsonNode node = JSON.readTree(answer);
            JsonNode label = node == null ? null : node.get("label");
            if (label != null && label.isTextual() && labels.contains(label.asText())) {
                return label.asText();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
