package dev.llmcls.runfile;

import dev.llmcls.core.RecordedSettings;
import java.util.Map;

/** {@code votes}: answers sampled per example (recorded only when more than one). */
public record VotingSettings(int votes) implements RecordedSettings {
    @Override
    public Map<String, Object> json() {
        return Map.of("votes", votes);
    }

    @Override
    public String meaning(String key) {
        return "votes (--votes)";
    }

    static VotingSettings read(Map<String, Object> json) {
        return json.containsKey("votes") ? new VotingSettings(RunSettings.number(json.remove("votes"), 1).intValue()) : null;
    }
}
