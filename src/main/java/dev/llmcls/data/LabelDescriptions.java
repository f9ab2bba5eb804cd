package dev.llmcls.data;

import dev.llmcls.core.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each label means, for zero-shot similarity: a labels file line {@code Name: description} gives the label
 * {@code Name} that description ({@link LabelLine}). Labels without one fall back to the AG News defaults below, then
 * to the name itself.
 */
public record LabelDescriptions(Map<String, String> descriptions) {
    private static final String SEPARATOR = ": ";

    /** Sensible descriptions of the four AG News classes. */
    public static final Map<String, String> AG_NEWS = agNews();

    public LabelDescriptions {
        descriptions = Map.copyOf(descriptions);
    }

    public static final LabelDescriptions NONE = new LabelDescriptions(Map.of());

    /** Reads the descriptions of a labels file (blank lines and '#' comments skipped, as {@link LabelSet#read}). */
    public static LabelDescriptions read(Path file) {
        try {
            var descriptions = new LinkedHashMap<String, String>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (LabelLine.isLabel(line)) {
                    LabelLine label = LabelLine.parse(line);
                    if (label.description() != null) {
                        descriptions.put(label.name(), label.description());
                    }
                }
            }
            return new LabelDescriptions(descriptions);
        } catch (IOException e) {
            throw new InputException("cannot read labels file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The text that stands for a label in similarity mode: {@code "Name: description"}, or the name alone. */
    public String textFor(String name) {
        String description = descriptions.getOrDefault(name, AG_NEWS.get(name));
        return description == null ? name : name + SEPARATOR + description;
    }

    /** {@link #textFor} for each label, in label order. */
    public List<String> textsFor(LabelSet labels) {
        return labels.names().stream().map(this::textFor).toList();
    }

    private static Map<String, String> agNews() {
        var map = new LinkedHashMap<String, String>();
        map.put("World", "international news, world politics, governments, elections, wars, conflicts, diplomacy");
        map.put("Sports", "sports news, games, matches, teams, players, coaches, leagues, championships");
        map.put("Business", "business and economy news, companies, markets, stocks, oil prices, trade, earnings");
        map.put("Science | Technology", "science and technology news, computers, software, the internet, "
                + "space, research, gadgets");
        return Map.copyOf(map);
    }
}
