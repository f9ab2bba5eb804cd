package dev.llmcls.runfile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.llmcls.core.RecordedSettings;
import dev.llmcls.data.MultiLabelSettings;
import dev.llmcls.data.TruncateSettings;
import dev.llmcls.llm.Sampling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything a run records under its manifest's {@code sampling} and a resume compares: the model's
 * {@link Sampling} (prompting methods only) and each method's settings, as typed records that
 * compare by value. The JSON is the manifest's as it has always been written (the parts' keys in
 * order), so manifests written before the settings were typed still resume. A key no part
 * recognises (a manifest of a newer llmcls) is kept as it was and makes a resume refuse.
 */
public record RunSettings(List<RecordedSettings> parts) {
    /**
     * How each part is read back from a manifest, in the manifest's order: a reader takes the keys
     * it owns out of the map and returns its part, or null when the map holds none of them. A new
     * method adds its reader here.
     */
    private static final List<Function<Map<String, Object>, RecordedSettings>> READERS =
            List.of(
                    RunSettings::readSampling,
                    VotingSettings::read,
                    ConstraintSettings::read,
                    LikelihoodSettings::read,
                    ConfidenceSettings::read,
                    DemoSettings::read,
                    KnnSettings::read,
                    LinearSettings::read,
                    SimilaritySettings::read,
                    MultiLabelSettings::read,
                    TruncateSettings::read);

    public RunSettings {
        parts = List.copyOf(parts);
    }

    public static RunSettings of(RecordedSettings... parts) {
        return new RunSettings(List.of(parts).stream().filter(Objects::nonNull).toList());
    }

    /** This run's settings with another part after the others. */
    public RunSettings with(RecordedSettings part) {
        if (part == null) {
            return this;
        }
        var more = new ArrayList<>(parts);
        more.add(part);
        return new RunSettings(more);
    }

    /** The manifest's {@code sampling} object. */
    @JsonValue
    public Map<String, Object> json() {
        var json = new LinkedHashMap<String, Object>();
        parts.forEach(part -> json.putAll(part.json()));
        return json;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RunSettings fromJson(Map<String, Object> json) {
        var rest = new LinkedHashMap<>(json == null ? Map.<String, Object>of() : json);
        var parts = new ArrayList<RecordedSettings>();
        for (var reader : READERS) {
            RecordedSettings part = reader.apply(rest);
            if (part != null) {
                parts.add(part);
            }
        }
        if (!rest.isEmpty()) {
            parts.add(new Unrecognised(rest));
        }
        return new RunSettings(parts);
    }

    /**
     * Whether {@link #fromJson} would find the model's {@link Sampling} in {@code json} and nothing
     * else, told from the keys alone (no value is read), so that a listing need not read the parts.
     */
    public static boolean onlySampling(Map<String, Object> json) {
        return (json.containsKey("temperature") || json.containsKey("max_tokens"))
                && Sampling.KEYS.containsAll(json.keySet());
    }

    /**
     * What differs from {@code previous}, one phrase per kind of setting (both sides are typed
     * parts, so values compare as the same Java types: 0 read back from a manifest equals 0.0),
     * e.g. {@code "training pool (--train) differs (was {train_file=a.csv, train_sha256=...}, now
     * {...})"}; empty when the settings are equal as values.
     */
    public List<String> differencesFrom(RunSettings previous) {
        if (equals(previous)) {
            return List.of();
        }
        Map<String, Object> was = previous.json();
        Map<String, Object> now = json();
        Map<String, String> meanings = new LinkedHashMap<>();
        previous.parts.forEach(
                part -> part.json().keySet().forEach(key -> meanings.put(key, part.meaning(key))));
        parts.forEach(
                part -> part.json().keySet().forEach(key -> meanings.put(key, part.meaning(key))));
        Map<String, Map<String, Object>[]> byMeaning = new LinkedHashMap<>();
        for (var entry : meanings.entrySet()) {
            String key = entry.getKey();
            if (Objects.equals(was.get(key), now.get(key))
                    && was.containsKey(key) == now.containsKey(key)) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object>[] sides =
                    byMeaning.computeIfAbsent(
                            entry.getValue(),
                            m -> new Map[] {new LinkedHashMap<>(), new LinkedHashMap<>()});
            sides[0].put(key, was.get(key));
            sides[1].put(key, now.get(key));
        }
        var differences = new ArrayList<String>();
        byMeaning.forEach(
                (meaning, sides) ->
                        differences.add(
                                meaning + " differs (was " + sides[0] + ", now " + sides[1] + ")"));
        if (differences.isEmpty()) {
            differences.add("sampling parameters differ (was " + was + ", now " + now + ")");
        }
        return differences;
    }

    private static Sampling readSampling(Map<String, Object> json) {
        if (!json.containsKey("temperature") && !json.containsKey("max_tokens")) {
            return null;
        }
        return SettingsJson.take(json, Sampling.class, Sampling.KEYS.toArray(String[]::new));
    }

    /** Keys no reader knows, kept as they were read. */
    record Unrecognised(Map<String, Object> json) implements RecordedSettings {
        Unrecognised {
            json = new LinkedHashMap<>(json);
        }

        @Override
        public Map<String, Object> json() {
            return new LinkedHashMap<>(json);
        }

        @Override
        public String meaning(String key) {
            return "setting '" + key + "'";
        }
    }
}
