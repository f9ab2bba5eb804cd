package dev.llmcls.run;

import dev.llmcls.core.RecordedSettings;
import java.util.Map;

/** {@code constraint}: how the answer was constrained ({@code choice}, {@code json}; not recorded for none). */
public record ConstraintSettings(String constraint) implements RecordedSettings {
    @Override
    public Map<String, Object> json() {
        return Map.of("constraint", constraint);
    }

    @Override
    public String meaning(String key) {
        return "answer constraint (--constrain)";
    }

    static ConstraintSettings read(Map<String, Object> json) {
        return json.containsKey("constraint") ? new ConstraintSettings(RunSettings.text(json.remove("constraint"))) : null;
    }
}
