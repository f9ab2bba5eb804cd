package dev.llmcls.runfile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.llmcls.core.RecordedSettings;
import java.util.Map;

/**
 * {@code constraint}: how the answer was constrained ({@code choice}, {@code json}; not recorded
 * for none), and {@code constraint_form} when {@code choice} went out as the standard {@code
 * response_format} (to a server other than vLLM) rather than vLLM's {@code structured_outputs};
 * absent for vLLM, so its manifests are unchanged. Written and read by Jackson.
 */
@JsonPropertyOrder({"constraint", "constraint_form"})
public record ConstraintSettings(
        @JsonProperty("constraint") String constraint,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("constraint_form") String form)
        implements RecordedSettings {
    @JsonCreator
    public ConstraintSettings {}

    public ConstraintSettings(String constraint) {
        this(constraint, null);
    }

    @Override
    public Map<String, Object> json() {
        return SettingsJson.write(this);
    }

    @Override
    public String meaning(String key) {
        return key.equals("constraint_form")
                ? "how the answer constraint was sent (vLLM's or the standard form)"
                : "answer constraint (--constrain)";
    }

    static ConstraintSettings read(Map<String, Object> json) {
        return json.containsKey("constraint")
                ? SettingsJson.take(json, ConstraintSettings.class, "constraint", "constraint_form")
                : null;
    }
}
