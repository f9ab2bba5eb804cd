package dev.llmcls.runfile;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmcls.core.RecordedSettings;
import java.util.Map;

/**
 * {@code votes}: answers sampled per example (recorded only when more than one). Written and read
 * by Jackson.
 */
public record VotingSettings(@JsonProperty("votes") int votes) implements RecordedSettings {
    @Override
    public Map<String, Object> json() {
        return SettingsJson.write(this);
    }

    @Override
    public String meaning(String key) {
        return "votes (--votes)";
    }

    static VotingSettings read(Map<String, Object> json) {
        return json.containsKey("votes")
                ? SettingsJson.take(json, VotingSettings.class, "votes")
                : null;
    }
}
