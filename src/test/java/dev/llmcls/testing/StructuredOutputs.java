package dev.llmcls.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the stand-in server does with vLLM's answer constraints, as vLLM 0.12 does: {@code
 * structured_outputs: {"choice": [...]}} makes the answer exactly one of the choices, {@code
 * response_format} of type {@code json_schema} makes it a JSON object of the schema (here: string
 * properties, and an {@code enum} property filled with one of its values), and a malformed
 * constraint is a 400. The older {@code guided_choice} is ignored, as vLLM 0.12 ignores it. The
 * constrained answer is derived from the responder's free answer: the allowed value that occurs
 * last in it, else the first allowed value.
 */
public final class StructuredOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StructuredOutputs() {}

    /**
     * Why the request's constraint parameters are malformed, or null when they are fine (or
     * absent).
     */
    public static String problem(JsonNode body) {
        JsonNode structured = body.get("structured_outputs");
        if (structured != null) {
            if (!structured.isObject()) {
                return "structured_outputs must be an object";
            }
            JsonNode choice = structured.get("choice");
            if (choice != null && (!choice.isArray() || choice.isEmpty() || !allText(choice))) {
                return "structured_outputs.choice must be a non-empty list of strings";
            }
        }
        JsonNode format = body.get("response_format");
        if (format != null) {
            String type = format.path("type").asText();
            if (!List.of("text", "json_object", "json_schema").contains(type)) {
                return "response_format.type must be text, json_object or json_schema, got '"
                        + type
                        + "'";
            }
            if (type.equals("json_schema")
                    && !format.path("json_schema").path("schema").isObject()) {
                return "response_format.json_schema.schema must be a JSON schema object";
            }
        }
        return null;
    }

    /** The answer as the constraints in {@code body} shape it. */
    public static String apply(JsonNode body, String answer) {
        return apply(body, answer, true);
    }

    /**
     * As {@link #apply(JsonNode, String)}; {@code structuredOutputs} false ignores vLLM's own
     * parameter, as llama-server, Ollama and OpenAI do.
     */
    public static String apply(JsonNode body, String answer, boolean structuredOutputs) {
        JsonNode choice = structuredOutputs ? body.path("structured_outputs").get("choice") : null;
        if (choice != null) {
            return pick(values(choice), answer);
        }
        JsonNode format = body.get("response_format");
        if (format != null && "json_schema".equals(format.path("type").asText())) {
            ObjectNode out = JSON.createObjectNode();
            format.path("json_schema")
                    .path("schema")
                    .path("properties")
                    .fields()
                    .forEachRemaining(
                            property -> {
                                JsonNode allowed = property.getValue().get("enum");
                                out.put(
                                        property.getKey(),
                                        allowed != null ? pick(values(allowed), answer) : answer);
                            });
            return out.toString();
        }
        return answer;
    }

    private static String pick(List<String> allowed, String answer) {
        int best = -1;
        String chosen = allowed.get(0);
        for (String value : allowed) {
            int at = answer.lastIndexOf(value);
            if (at > best) {
                best = at;
                chosen = value;
            }
        }
        return chosen;
    }

    private static List<String> values(JsonNode array) {
        var values = new ArrayList<String>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode node : array) {
            if (!node.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
