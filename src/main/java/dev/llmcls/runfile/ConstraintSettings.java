package dev.llmcls.runfile;

import dev.llmcls.core.RecordedSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code constraint}: how the answer was constrained ({@code choice}, {@code json}; not recorded for none), and
 * {@code constraint_form} when {@code choice} went out as the standard {@code response_format} (to a server other
 * than vLLM) rather than vLLM's {@code structured_outputs}; absent for vLLM, so its manifests are unchanged.
 */
public record ConstraintSettings(String constraint, String form) implements RecordedSettings {
    public ConstraintSettings(String constraint) {
        this(constraint, null);
    }

    @Override
    public Map<String, Object> json() {
        var json = new LinkedHashMap<String, Object>();
        json.put("constraint", constraint);
        if (form != null) {
            json.put("constraint_form", form);
        }
        return json;
    }

    @Override
    public String meaning(String key) {
        return key.equals("constraint_form") ? "how the answer constraint was sent (vLLM's or the standard form)"
                : "answer constraint (--constrain)";
    }

    static ConstraintSettings read(Map<String, Object> json) {
        if (!json.containsKey("constraint")) {
            return null;
        }
        Object form = json.remove("constraint_form");
        return new ConstraintSettings(RunSettings.text(json.remove("constraint")),
                form == null ? null : RunSettings.text(form));
    }
}
