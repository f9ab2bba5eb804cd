package dev.llmcls.data;

import dev.llmcls.core.RecordedSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code truncate}: how long texts were cut ({@code --truncate}, e.g. {@code tokens:512:end}), and
 * {@code truncate_count}: how tokens were counted ({@code server} through its {@code /tokenize}, or
 * {@code approx_4_chars} where the server has none). Recorded only when set; a resume with other
 * values is refused.
 */
public record TruncateSettings(String truncate, String count) implements RecordedSettings {
    @Override
    public Map<String, Object> json() {
        var json = new LinkedHashMap<String, Object>();
        json.put("truncate", truncate);
        if (count != null) {
            json.put("truncate_count", count);
        }
        return json;
    }

    @Override
    public String meaning(String key) {
        return "text truncation (--truncate)";
    }

    public static TruncateSettings read(Map<String, Object> json) {
        if (!json.containsKey("truncate")) {
            return null;
        }
        Object count = json.remove("truncate_count");
        return new TruncateSettings(
                String.valueOf(json.remove("truncate")), count == null ? null : count.toString());
    }
}
