package dev.llmcls.label;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcls.core.Json;
import java.io.IOException;
import java.util.List;

/**
 * The one label an answer names, or null when it names none or several. A free answer (and a {@code
 * choice} answer) is read with the seed rule ({@link SeedRule#find}); a {@code json} answer is
 * parsed and its {@code label} field must be exactly a label name.
 */
public final class AnswerParser {
    private static final ObjectMapper JSON = Json.MAPPER;

    private final List<String> labels;
    private final SeedRule seedRule;
    private final Constraint constraint;

    public AnswerParser(List<String> labels, Constraint constraint) {
        this.labels = List.copyOf(labels);
        this.seedRule = new SeedRule(labels);
        this.constraint = constraint;
    }

    public String label(String answer) {
        if (answer == null) {
            return null;
        }
        if (constraint == Constraint.JSON) {
            return jsonLabel(answer);
        }
        if (constraint == Constraint.CHOICE) {
            String exact = choiceLabel(answer);
            if (exact != null) {
                return exact;
            }
        }
        List<String> found = seedRule.find(answer);
        return found.size() == 1 ? found.get(0) : null;
    }

    /**
     * Whether the answer has the shape its constraint demands: for {@code choice} exactly a label
     * name (bare, as vLLM's {@code structured_outputs} gives it, or as the JSON {@code {"label":
     * name}} or {@code "name"} of a {@code response_format} schema), for {@code json} the object
     * with a valid {@code label}. A server that ignores the constraint shows here.
     */
    public boolean keepsConstraint(String answer) {
        return switch (constraint) {
            case NONE -> true;
            case CHOICE -> answer != null && choiceLabel(answer) != null;
            case JSON -> answer != null && jsonLabel(answer) != null;
        };
    }

    private String choiceLabel(String answer) {
        String bare = answer.strip();
        if (labels.contains(bare)) {
            return bare;
        }
        try {
            JsonNode node = JSON.readTree(bare);
            if (node != null && node.isTextual() && labels.contains(node.asText())) {
                return node.asText();
            }
            return node != null && node.isObject() ? jsonLabel(bare) : null;
        } catch (IOException e) {
            return null;
        }
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
