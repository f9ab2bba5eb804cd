package dev.llmcls.experiment;

import dev.llmcls.core.InputException;
import dev.llmcls.core.Nearest;
import dev.llmcls.experiment.YamlTree.Mapping;
import dev.llmcls.experiment.YamlTree.Node;
import dev.llmcls.experiment.YamlTree.Scalar;
import dev.llmcls.experiment.YamlTree.Sequence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An experiment file as written: its name, the settings every cell shares ({@code defaults}), the
 * factors of the grid, the replicates and the excluded combinations. Keys of settings are {@code
 * classify}'s long option names without the dashes; whether they are options, and whether their
 * values fit, is checked against the option model by the caller. This class checks the file's
 * shape, with {@code file:line:column} in every message.
 */
public record ExperimentFile(
        Path file,
        String name,
        List<Setting> defaults,
        List<Factor> factors,
        int replicates,
        Place replicatesPlace,
        List<Exclusion> exclusions) {
    public static final List<String> TOP_LEVEL_KEYS =
            List.of("experiment", "defaults", "grid", "replicates", "exclude");
    public static final int MOST_REPLICATES = 1000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public ExperimentFile {
        defaults = List.copyOf(defaults);
        factors = List.copyOf(factors);
        exclusions = List.copyOf(exclusions);
    }

    /**
     * One option's value: {@code values} are the YAML scalars' texts (one, unless the value was a
     * YAML list, {@code list}); a YAML null is an empty list of values.
     */
    public record Setting(String key, List<String> values, boolean list, Place place) {
        public Setting {
            values = List.copyOf(values);
        }

        Setting withPlace(Place where) {
            return new Setting(key, values, list, where);
        }

        /** The value as one line: the scalar, or the list's items joined by commas. */
        public String text() {
            return String.join(",", values);
        }
    }

    /** A level of a factor: its name and the settings it makes. */
    public record Level(String name, List<Setting> settings, Place place) {
        public Level {
            settings = List.copyOf(settings);
        }
    }

    /**
     * A factor: {@code values} for a list of one option's values ({@code mode: [basic, reason]}:
     * each level is named by its value), or named bundles of options ({@code server: {glm4: {...},
     * qwen: {...}}}).
     */
    public record Factor(String name, boolean values, List<Level> levels, Place place) {
        public Factor {
            levels = List.copyOf(levels);
        }

        public List<String> levelNames() {
            return levels.stream().map(Level::name).toList();
        }
    }

    /** A combination to skip: factor → level; a cell matching every pair is left out. */
    public record Exclusion(Map<String, String> levels, Place place) {
        public Exclusion {
            levels = Map.copyOf(levels);
        }
    }

    /**
     * Reads and checks the file's shape; every error is an {@link InputException} naming the place.
     */
    public static ExperimentFile read(Path file) {
        Node root = YamlTree.read(file);
        if (!(root instanceof Mapping top)) {
            throw error(
                    root.place(),
                    "an experiment file is a mapping with the keys " + TOP_LEVEL_KEYS);
        }
        for (YamlTree.Entry entry : top.entries().values()) {
            if (!TOP_LEVEL_KEYS.contains(entry.key())) {
                throw error(entry.place(), Nearest.unknown("key", entry.key(), TOP_LEVEL_KEYS));
            }
        }
        YamlTree.Entry nameEntry = top.entries().get("experiment");
        if (nameEntry == null) {
            throw error(
                    top.place(),
                    "the file needs 'experiment: NAME' (its outputs go to output/NAME/)");
        }
        String name = scalar(nameEntry.value(), "experiment");
        if (name == null || !NAME.matcher(name).matches()) {
            throw error(
                    nameEntry.value().place(),
                    "experiment: the name must be letters, digits, '.', '_' or '-' "
                            + "(it names the output folder), got '"
                            + name
                            + "'");
        }
        List<Setting> defaults = new ArrayList<>();
        YamlTree.Entry defaultsEntry = top.entries().get("defaults");
        if (defaultsEntry != null && !isNull(defaultsEntry.value())) {
            defaults = settings(defaultsEntry.value(), "defaults");
        }
        YamlTree.Entry gridEntry = top.entries().get("grid");
        if (gridEntry == null) {
            throw error(
                    top.place(),
                    "the file needs a 'grid:' of factors (e.g. mode: [basic, reason])");
        }
        List<Factor> factors = factors(gridEntry);
        int replicates = 1;
        Place replicatesPlace = null;
        YamlTree.Entry replicatesEntry = top.entries().get("replicates");
        if (replicatesEntry != null) {
            replicatesPlace = replicatesEntry.value().place();
            String text = scalar(replicatesEntry.value(), "replicates");
            try {
                replicates = Integer.parseInt(text == null ? "" : text.strip());
            } catch (NumberFormatException e) {
                replicates = -1;
            }
            if (replicates < 1 || replicates > MOST_REPLICATES) {
                throw error(
                        replicatesPlace,
                        "replicates: a whole number from 1 to "
                                + MOST_REPLICATES
                                + ", got '"
                                + text
                                + "'");
            }
        }
        List<Exclusion> exclusions = new ArrayList<>();
        YamlTree.Entry excludeEntry = top.entries().get("exclude");
        if (excludeEntry != null && !isNull(excludeEntry.value())) {
            exclusions = exclusions(excludeEntry.value(), factors);
        }
        return new ExperimentFile(
                file, name, defaults, factors, replicates, replicatesPlace, exclusions);
    }

    /** The folder relative paths in the file are resolved against. */
    public Path directory() {
        Path parent = file.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of("").toAbsolutePath();
    }

    private static List<Factor> factors(YamlTree.Entry gridEntry) {
        if (!(gridEntry.value() instanceof Mapping grid) || grid.entries().isEmpty()) {
            throw error(
                    gridEntry.value().place(),
                    "the grid is empty: give at least one factor, e.g. "
                            + "'mode: [basic, reason]'");
        }
        List<Factor> factors = new ArrayList<>();
        for (YamlTree.Entry entry : grid.entries().values()) {
            String factor = entry.key();
            List<Level> levels = new ArrayList<>();
            boolean values;
            if (entry.value() instanceof Sequence sequence) {
                values = true;
                for (Node item : sequence.items()) {
                    Setting setting = setting(factor, item);
                    levels.add(new Level(setting.text(), List.of(setting), item.place()));
                }
            } else if (entry.value() instanceof Mapping bundles) {
                values = false;
                for (YamlTree.Entry level : bundles.entries().values()) {
                    if (!(level.value() instanceof Mapping)) {
                        throw error(
                                level.value().place(),
                                "grid: "
                                        + factor
                                        + ": level '"
                                        + level.key()
                                        + "' must be a mapping of options (e.g. {base-url: ...,"
                                        + " model: ...})");
                    }
                    levels.add(
                            new Level(
                                    level.key(),
                                    settings(level.value(), factor + "." + level.key()),
                                    level.place()));
                }
            } else {
                throw error(
                        entry.value().place(),
                        "grid: factor '"
                                + factor
                                + "' must be a list of values ([a, b]) or a mapping of named levels"
                                + " ({name: {option: value}})");
            }
            if (levels.isEmpty()) {
                throw error(
                        entry.value().place(),
                        "the grid is empty: factor '" + factor + "' has no levels");
            }
            var seen = new LinkedHashMap<String, Level>();
            for (Level level : levels) {
                if (seen.put(level.name(), level) != null) {
                    throw error(
                            level.place(),
                            "grid: factor '"
                                    + factor
                                    + "' has the level '"
                                    + level.name()
                                    + "' twice");
                }
            }
            factors.add(new Factor(factor, values, levels, entry.place()));
        }
        return factors;
    }

    private static List<Setting> settings(Node node, String where) {
        if (!(node instanceof Mapping mapping)) {
            throw error(node.place(), where + ": a mapping of options (option: value) is needed");
        }
        List<Setting> settings = new ArrayList<>();
        for (YamlTree.Entry entry : mapping.entries().values()) {
            settings.add(setting(entry.key(), entry.value()).withPlace(entry.place()));
        }
        return settings;
    }

    private static Setting setting(String key, Node value) {
        if (value instanceof Scalar scalar) {
            return new Setting(
                    key,
                    scalar.text() == null ? List.of() : List.of(scalar.text()),
                    false,
                    value.place());
        }
        if (value instanceof Sequence sequence) {
            List<String> items = new ArrayList<>();
            for (Node item : sequence.items()) {
                if (!(item instanceof Scalar scalar) || scalar.text() == null) {
                    throw error(item.place(), key + ": a list of plain values is needed");
                }
                items.add(scalar.text());
            }
            return new Setting(key, items, true, value.place());
        }
        throw error(
                value.place(),
                key + ": an option takes a value or a list of values, not a mapping");
    }

    private static List<Exclusion> exclusions(Node node, List<Factor> factors) {
        if (!(node instanceof Sequence sequence)) {
            throw error(
                    node.place(),
                    "exclude: a list of combinations, e.g. - {mode: reason, server: qwen}");
        }
        Map<String, Factor> byName = new LinkedHashMap<>();
        factors.forEach(factor -> byName.put(factor.name(), factor));
        List<Exclusion> exclusions = new ArrayList<>();
        for (Node item : sequence.items()) {
            if (!(item instanceof Mapping mapping) || mapping.entries().isEmpty()) {
                throw error(item.place(), "exclude: each item is a mapping of factor: level");
            }
            Map<String, String> levels = new LinkedHashMap<>();
            for (YamlTree.Entry entry : mapping.entries().values()) {
                Factor factor = byName.get(entry.key());
                if (factor == null) {
                    throw error(
                            entry.place(),
                            "exclude: " + Nearest.unknown("factor", entry.key(), byName.keySet()));
                }
                String level = scalar(entry.value(), "exclude: " + entry.key());
                if (!factor.levelNames().contains(level)) {
                    throw error(
                            entry.value().place(),
                            "exclude: "
                                    + entry.key()
                                    + ": "
                                    + Nearest.unknown(
                                            "level", String.valueOf(level), factor.levelNames()));
                }
                levels.put(entry.key(), level);
            }
            exclusions.add(new Exclusion(levels, item.place()));
        }
        return exclusions;
    }

    private static String scalar(Node node, String where) {
        if (!(node instanceof Scalar scalar)) {
            throw error(node.place(), where + ": a single value is needed");
        }
        return scalar.text();
    }

    private static boolean isNull(Node node) {
        return node instanceof Scalar scalar && scalar.text() == null;
    }

    static InputException error(Place place, String message) {
        return new InputException(place + ": " + message);
    }
}
