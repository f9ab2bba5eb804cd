package dev.llmcls.data;

import dev.llmcls.core.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** The ordered label names of a classification task; an example's gold label is an index into it. */
public record LabelSet(List<String> names) {
    /** The seed experiment's AG News labels, in class order. */
    public static final String AG_NEWS = "World,Sports,Business,Science | Technology";

    public LabelSet {
        names = List.copyOf(names);
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
    }

    /** Parses a comma-separated list such as {@code "World,Sports,Business,Science | Technology"}. */
    public static LabelSet parse(String commaSeparated) {
        var names = new ArrayList<String>();
        for (String part : commaSeparated.split(",")) {
            names.add(part.strip());
        }
        return new LabelSet(names);
    }

    /**
     * Reads one label a line; blank lines and lines starting with '#' are skipped. A line may declare aliases after
     * {@code =} or a description after {@code ": "} ({@link LabelLine}); only the name is part of the label set.
     */
    public static LabelSet read(Path file) {
        try {
            var names = new ArrayList<String>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (LabelLine.isLabel(line)) {
                    names.add(LabelLine.parse(line).name());
                }
            }
            return new LabelSet(names);
        } catch (IOException e) {
            throw new InputException("cannot read labels file " + file + ": " + e.getMessage(), e);
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

    /** Resolves a label cell that holds either an index into this list or a label name. */
    public Optional<Integer> resolve(String cell) {
        String value = cell.strip();
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit) && value.length() < 10) {
            int index = Integer.parseInt(value);
            return index < names.size() ? Optional.of(index) : Optional.empty();
        }
        return indexOf(value);
    }
}
