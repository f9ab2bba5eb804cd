package dev.llmcls.label;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the server is told to shape its answer. {@code CHOICE}: the answer is exactly one label name
 * (vLLM's {@code structured_outputs: {"choice": [...]}}; vLLM 0.12 dropped the older {@code
 * guided_choice} and ignores it silently). {@code JSON}: the answer is {@code {"reason": string,
 * "label": one of the labels}} through the standard {@code response_format} json_schema. Either
 * removes the no-label and multi-label answers by construction.
 */
public enum Constraint {
    NONE,
    CHOICE,
    JSON;

    /** The name users write: {@code --constrain none|choice|json}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The name written in records and manifests: {@code choice}, {@code json}; null for none. */
    public String recordName() {
        return this == NONE ? null : name().toLowerCase(Locale.ROOT);
    }

    /**
     * The request body parameters that impose this constraint (none for {@code NONE}), in vLLM's
     * form.
     */
    public Map<String, Object> requestParameters(List<String> labels) {
        return requestParameters(labels, true);
    }

    /**
     * The request body parameters that impose this constraint. {@code choice} goes to vLLM as its
     * {@code structured_outputs: {"choice": [...]}} and to every other server as the standard
     * {@code response_format} json_schema {@code {"label": one of the labels}}, which llama.cpp's
     * server, Ollama and OpenAI enforce (and which they would otherwise ignore silently). {@code
     * json} is the standard form everywhere.
     */
    public Map<String, Object> requestParameters(List<String> labels, boolean vllm) {
        var parameters = new LinkedHashMap<String, Object>();
        switch (this) {
            case NONE -> {}
            case CHOICE -> {
                if (vllm) {
                    parameters.put("structured_outputs", Map.of("choice", List.copyOf(labels)));
                } else {
                    var properties = new LinkedHashMap<String, Object>();
                    properties.put("label", Map.of("type", "string", "enum", List.copyOf(labels)));
                    parameters.put("response_format", responseFormat(properties, List.of("label")));
                }
            }
            case JSON -> {
                var properties = new LinkedHashMap<String, Object>();
                properties.put("reason", Map.of("type", "string"));
                properties.put("label", Map.of("type", "string", "enum", List.copyOf(labels)));
                parameters.put(
                        "response_format", responseFormat(properties, List.of("reason", "label")));
            }
        }
        return parameters;
    }

    private static Map<String, Object> responseFormat(
            Map<String, Object> properties, List<String> required) {
        var schema = new LinkedHashMap<String, Object>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        schema.put("additionalProperties", false);
        var jsonSchema = new LinkedHashMap<String, Object>();
        jsonSchema.put("name", "classification");
        jsonSchema.put("strict", true);
        jsonSchema.put("schema", schema);
        var format = new LinkedHashMap<String, Object>();
        format.put("type", "json_schema");
        format.put("json_schema", jsonSchema);
        return format;
    }
}
