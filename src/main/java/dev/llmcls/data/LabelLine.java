package dev.llmcls.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a labels file: a label name, optionally followed by {@code = alias, alias} (other names a model may
 * answer with, used by the strict scorer) or by {@code : description} (what the label means, used by similarity
 * mode; only colon-space separates it, so a name may hold a colon). Plain one-name lines are the common case:
 * {@code Science | Technology = Sci/Tech, Science/Tech} declares the name and two aliases. {@code description} is
 * null when the line gives none.
 */
public record LabelLine(String name, List<String> aliases, String description) {
    public LabelLine {
        aliases = List.copyOf(aliases);
    }

    /** Parses a non-blank, non-comment line; whichever of {@code =} and {@code ": "} comes first splits it. */
    public static LabelLine parse(String line) {
        String text = line.strip();
        int equals = text.indexOf('=');
        int colon = text.indexOf(": ");
        if (equals >= 0 && (colon < 0 || equals < colon)) {
            var aliases = new ArrayList<String>();
            for (String alias : text.substring(equals + 1).split(",")) {
                if (!alias.isBlank()) {
                    aliases.add(alias.strip());
                }
            }
            return new LabelLine(text.substring(0, equals).strip(), aliases, null);
        }
        if (colon >= 0) {
            String description = text.substring(colon + 2).strip();
            return new LabelLine(text.substring(0, colon).strip(), List.of(), description.isEmpty() ? null : description);
        }
        return new LabelLine(text, List.of(), null);
    }

    /** Whether a labels-file line holds a label (not blank, not a {@code #} comment). */
    public static boolean isLabel(String line) {
        String text = line.strip();
        return !text.isEmpty() && !text.startsWith("#");
    }
}
