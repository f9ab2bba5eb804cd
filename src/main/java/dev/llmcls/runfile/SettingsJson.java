package dev.llmcls.runfile;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.llmcls.core.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the settings records become a manifest's keys and back: Jackson, with each record's own
 * property names.
 */
final class SettingsJson {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP =
            new TypeReference<>() {};

    private SettingsJson() {}

    /** The record's keys and values, in its property order. */
    static Map<String, Object> write(Object settings) {
        return Json.MAPPER.convertValue(settings, MAP);
    }

    /** Takes {@code keys} out of a manifest's {@code sampling} and reads them as {@code type}. */
    static <T> T take(Map<String, Object> json, Class<T> type, String... keys) {
        var own = new LinkedHashMap<String, Object>();
        for (String key : keys) {
            if (json.containsKey(key)) {
                own.put(key, json.remove(key));
            }
        }
        return Json.MAPPER.convertValue(own, type);
    }
}
