package dev.llmcls.label;

import dev.llmcls.core.InputException;
import dev.llmcls.data.LabelLine;
import dev.llmcls.data.LabelSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words that name each label for the strict scorer: the label names and their declared aliases. An alias
 * belongs to exactly one label and is never another label's name.
 */
public record LabelVocabulary(LabelSet labels, Map<String, String> aliases) {
    public LabelVocabulary {
        aliases = Map.copyOf(aliases);
    }

    public static LabelVocabulary of(LabelSet labels) {
        return new LabelVocabulary(labels, Map.of());
    }

    /** Adds an alias of {@code label}; rejects unknown labels and aliases that would name two labels. */
    public LabelVocabulary withAlias(String alias, String label) {
        String a = alias.strip();
        String name = label.strip();
        if (labels.indexOf(name).isEmpty()) {
            throw new InputException("alias '" + a + "' names label '" + name + "', which is not in the label list "
                    + labels.names());
        }
        if (a.isEmpty()) {
            throw new InputException("an alias of '" + name + "' is blank");
        }
        for (String other : labels.names()) {
            if (!other.equals(name) && StrictScorer.key(other).equals(StrictScorer.key(a))) {
                throw new InputException("alias '" + a + "' of '" + name + "' is the name of label '" + other + "'");
            }
        }
        for (var entry : aliases.entrySet()) {
            if (StrictScorer.key(entry.getKey()).equals(StrictScorer.key(a)) && !entry.getValue().equals(name)) {
                throw new InputException("alias '" + a + "' is declared for both '" + entry.getValue() + "' and '"
                        + name + "'");
            }
        }
        var more = new LinkedHashMap<>(aliases);
        more.put(a, name);
        return new LabelVocabulary(labels, more);
    }

    /**
     * Adds an alias written as {@code --alias} takes it: {@code ALIAS=LABEL} (e.g. {@code Sci/Tech=Science |
     * Technology}), or the labels file's way round, {@code LABEL=ALIAS[,ALIAS...]}, when only the left side is a label.
     */
    public LabelVocabulary withAliasOption(String option) {
        int equals = option.indexOf('=');
        if (equals < 0) {
            throw new InputException("--alias '" + option + "' must be ALIAS=LABEL, e.g. \"Sci/Tech=Science | Technology\"");
        }
        String left = option.substring(0, equals).strip();
        String right = option.substring(equals + 1).strip();
        if (labels.indexOf(right).isEmpty() && labels.indexOf(left).isPresent()) {
            LabelVocabulary result = this;
            for (String alias : right.split(",")) {
                result = result.withAlias(alias, left);
            }
            return result;
        }
        return withAlias(left, right);
    }

    /** Adds the aliases declared in a labels file ({@code NAME = alias, alias} lines). */
    public LabelVocabulary withAliasesFrom(Path labelsFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(labelsFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException("cannot read labels file " + labelsFile + ": " + e.getMessage(), e);
        }
        LabelVocabulary result = this;
        for (int i = 0; i < lines.size(); i++) {
            if (!LabelLine.isLabel(lines.get(i))) {
                continue;
            }
            LabelLine line = LabelLine.parse(lines.get(i));
            for (String alias : line.aliases()) {
                try {
                    result = result.withAlias(alias, line.name());
                } catch (InputException e) {
                    throw InputException.at(labelsFile, i + 1, e.getMessage());
                }
            }
        }
        return result;
    }
}
