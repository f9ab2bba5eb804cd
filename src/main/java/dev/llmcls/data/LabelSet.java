package dev.llmcls.data;

import dev.llmcls.core.InputException;
import dev.llmcls.core.TextFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The labels of a classification task, parsed once: the ordered {@code names} (an example's gold
 * label is an index into them), the {@code aliases} the strict scorer also accepts (alias → label
 * name), and the {@code descriptions} that stand for a label in similarity mode (label name →
 * description). A labels file declares all three ({@link #read}); {@code --labels} only names.
 */
public record LabelSet(
        List<String> names, Map<String, String> aliases, Map<String, String> descriptions) {
    /** The seed experiment's AG News labels, in class order. */
    public static final String AG_NEWS = "World,Sports,Business,Science | Technology";

    /** Sensible descriptions of the four AG News classes, used when a label has none of its own. */
    public static final Map<String, String> AG_NEWS_DESCRIPTIONS = agNewsDescriptions();

    private static final String DESCRIPTION_SEPARATOR = ": ";

    public LabelSet {
        names = List.copyOf(names);
        aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
        descriptions = Collections.unmodifiableMap(new LinkedHashMap<>(descriptions));
        if (names.isEmpty()) {
            throw new InputException("the label list is empty");
        }
        var seen = new HashSet<String>();
        for (String name : names) {
            if (name.isBlank()) {
                throw new InputException("a label name is blank in " + names);
            }
            if (!seen.add(name)) {
                throw new InputException("label '" + name + "' is listed twice");
            }
        }
        for (String label : aliases.values()) {
            if (!seen.contains(label)) {
                throw new InputException(
                        "an alias names label '"
                                + label
                                + "', which is not in the label list "
                                + names);
            }
        }
    }

    /** Names only: no aliases, no descriptions of their own. */
    public LabelSet(List<String> names) {
        this(names, Map.of(), Map.of());
    }

    /**
     * Parses a comma-separated list such as {@code "World,Sports,Business,Science | Technology"}.
     */
    public static LabelSet parse(String commaSeparated) {
        var names = new ArrayList<String>();
        for (String part : commaSeparated.split(",", -1)) {
            if (!part.isBlank()) { // a trailing or doubled comma is a typo, not a label named ""
                names.add(part.strip());
            }
        }
        return new LabelSet(names);
    }

    /**
     * Reads a labels file: one label a line, blank lines and lines starting with '#' skipped. A
     * line may go on with {@code = alias, alias} (other names a model may answer with) or with
     * {@code : description} (what the label means; only colon-space separates it, so a name may
     * hold a colon), whichever comes first. A bad alias is reported with file and line.
     */
    public static LabelSet read(Path file) {
        List<String> lines;
        try {
            lines = TextFiles.readAllLines(file);
        } catch (IOException e) {
            throw new InputException("cannot read labels file " + file + ": " + e.getMessage(), e);
        }
        var names = new ArrayList<String>();
        var descriptions = new LinkedHashMap<String, String>();
        var parsed = new ArrayList<Line>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            Line line = Line.parse(text, i + 1);
            parsed.add(line);
            names.add(line.name());
            if (line.description() != null) {
                descriptions.put(line.name(), line.description());
            }
        }
        LabelSet labels = new LabelSet(names, Map.of(), descriptions);
        for (Line line : parsed) {
            for (String alias : line.aliases()) {
                try {
                    labels = labels.withAlias(alias, line.name());
                } catch (InputException e) {
                    throw InputException.at(file, line.number(), e.getMessage());
                }
            }
        }
        return labels;
    }

    /** One line of a labels file: a name, and its aliases or its description (null when none). */
    private record Line(String name, List<String> aliases, String description, int number) {
        static Line parse(String text, int number) {
            int equals = text.indexOf('=');
            int colon = text.indexOf(DESCRIPTION_SEPARATOR);
            if (equals >= 0 && (colon < 0 || equals < colon)) {
                var aliases = new ArrayList<String>();
                for (String alias : text.substring(equals + 1).split(",", -1)) {
                    if (!alias.isBlank()) {
                        aliases.add(alias.strip());
                    }
                }
                return new Line(text.substring(0, equals).strip(), aliases, null, number);
            }
            if (colon >= 0) {
                String description = text.substring(colon + DESCRIPTION_SEPARATOR.length()).strip();
                return new Line(
                        text.substring(0, colon).strip(),
                        List.of(),
                        description.isEmpty() ? null : description,
                        number);
            }
            return new Line(text, List.of(), null, number);
        }
    }

    public int size() {
        return names.size();
    }

    public String name(int index) {
        return names.get(index);
    }

    public Optional<Integer> indexOf(String name) {
        int index = names.indexOf(name);
        return index < 0 ? Optional.empty() : Optional.of(index);
    }

    /**
     * The index of the label named {@code name}, or of the label it is an alias of: a dataset's own
     * class name (its {@code ClassLabel} name {@code Sci/Tech}) may be an alias of the name the run
     * uses ({@code Science | Technology}).
     */
    public Optional<Integer> indexOfNameOrAlias(String name) {
        Optional<Integer> index = indexOf(name);
        if (index.isPresent()) {
            return index;
        }
        for (var alias : aliases.entrySet()) {
            if (key(alias.getKey()).equals(key(name))) {
                return indexOf(alias.getValue());
            }
        }
        return Optional.empty();
    }

    /** Resolves a label cell that holds either an index into this list or a label name. */
    public Optional<Integer> resolve(String cell) {
        String value = cell.strip();
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit) && value.length() < 10) {
            int index = Integer.parseInt(value);
            return index < names.size() ? Optional.of(index) : Optional.empty();
        }
        return indexOf(value);
    }

    /**
     * These labels with another alias of {@code label}; rejects unknown labels and aliases that
     * would name two.
     */
    public LabelSet withAlias(String alias, String label) {
        String a = alias.strip();
        String name = label.strip();
        if (indexOf(name).isEmpty()) {
            throw new InputException(
                    "alias '"
                            + a
                            + "' names label '"
                            + name
                            + "', which is not in the label list "
                            + names);
        }
        if (a.isEmpty()) {
            throw new InputException("an alias of '" + name + "' is blank");
        }
        for (String other : names) {
            if (!other.equals(name) && key(other).equals(key(a))) {
                throw new InputException(
                        "alias '" + a + "' of '" + name + "' is the name of label '" + other + "'");
            }
        }
        for (var entry : aliases.entrySet()) {
            if (key(entry.getKey()).equals(key(a)) && !entry.getValue().equals(name)) {
                throw new InputException(
                        "alias '"
                                + a
                                + "' is declared for both '"
                                + entry.getValue()
                                + "' and '"
                                + name
                                + "'");
            }
        }
        var more = new LinkedHashMap<>(aliases);
        more.put(a, name);
        return new LabelSet(names, more, descriptions);
    }

    /**
     * These labels with an alias written as {@code --alias} takes it: {@code ALIAS=LABEL} (e.g.
     * {@code Sci/Tech=Science | Technology}), or the labels file's way round, {@code
     * LABEL=ALIAS[,ALIAS...]}, when only the left side is a label.
     */
    public LabelSet withAliasOption(String option) {
        int equals = option.indexOf('=');
        if (equals < 0) {
            throw new InputException(
                    "--alias '"
                            + option
                            + "' must be ALIAS=LABEL, e.g. \"Sci/Tech=Science | Technology\"");
        }
        String left = option.substring(0, equals).strip();
        String right = option.substring(equals + 1).strip();
        if (indexOf(right).isEmpty() && indexOf(left).isPresent()) {
            LabelSet result = this;
            for (String alias : right.split(",", -1)) {
                if (!alias.isBlank()) {
                    result = result.withAlias(alias, left);
                }
            }
            return result;
        }
        return withAlias(left, right);
    }

    /**
     * The text that stands for a label in similarity mode: {@code "Name: description"} with its own
     * description, else the AG News default for that name, else the name alone.
     */
    public String similarityText(String name) {
        String description = descriptions.getOrDefault(name, AG_NEWS_DESCRIPTIONS.get(name));
        return description == null ? name : name + DESCRIPTION_SEPARATOR + description;
    }

    /** {@link #similarityText} of each label, in label order. */
    public List<String> similarityTexts() {
        return names.stream().map(this::similarityText).toList();
    }

    /** How label names and aliases are compared: case folded, white space removed. */
    public static String key(String name) {
        var key = new StringBuilder(name.length());
        name.codePoints().filter(c -> !Character.isWhitespace(c)).forEach(key::appendCodePoint);
        return key.toString().toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> agNewsDescriptions() {
        var map = new LinkedHashMap<String, String>();
        map.put(
                "World",
                "international news, world politics, governments, elections, wars, conflicts,"
                        + " diplomacy");
        map.put(
                "Sports",
                "sports news, games, matches, teams, players, coaches, leagues, championships");
        map.put(
                "Business",
                "business and economy news, companies, markets, stocks, oil prices, trade,"
                        + " earnings");
        map.put(
                "Science | Technology",
                "science and technology news, computers, software, the internet, "
                        + "space, research, gadgets");
        return Collections.unmodifiableMap(map);
    }
}
