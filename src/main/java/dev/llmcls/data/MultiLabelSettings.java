package dev.llmcls.data;

import dev.llmcls.core.RecordedSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code multi_label}: the run classifies multi-label data, each answer read as a set of labels;
 * with {@code label_separator} the CSV separator its gold label lists were split by ({@code
 * --label-separator}).
 */
public record MultiLabelSettings(String labelSeparator) implements RecordedSettings {
    @Override
    public Map<String, Object> json() {
        var json = new LinkedHashMap<String, Object>();
        json.put("multi_label", true);
        if (labelSeparator != null) {
            json.put("label_separator", labelSeparator);
        }
        return json;
    }

    @Override
    public String meaning(String key) {
        return key.equals("label_separator")
                ? "label separator (--label-separator)"
                : "multi-label data";
    }

    public static MultiLabelSettings read(Map<String, Object> json) {
        if (!json.containsKey("multi_label")) {
            return null;
        }
        json.remove("multi_label");
        Object separator = json.remove("label_separator");
        return new MultiLabelSettings(separator == null ? null : separator.toString());
    }
}
