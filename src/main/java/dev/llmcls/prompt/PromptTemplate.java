package dev.llmcls.prompt;

import dev.llmcls.core.InputException;
import dev.llmcls.core.Sha256;
import dev.llmcls.core.TextFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt with {@code {name}} placeholders, parsed once into literal and placeholder pieces so
 * that rendering is a single pass: a brace inside a substituted dataset text is copied as it is,
 * never expanded.
 */
public final class PromptTemplate {
    /** The placeholders a classification prompt may use. */
    public static final Set<String> KNOWN_PLACEHOLDERS = Set.of("text", "labels", "examples");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String source;
    private final String origin;
    private final List<Piece> pieces;

    private record Piece(String literal, String placeholder) {}

    private PromptTemplate(String source, String origin, List<Piece> pieces) {
        this.source = source;
        this.origin = origin;
        this.pieces = pieces;
    }

    /**
     * Parses a template, rejecting any placeholder outside {@code allowed} (null: any name is
     * allowed, a name other than the known ones being a dataset field); {@code origin} names it in
     * errors.
     */
    public static PromptTemplate parse(String source, String origin, Set<String> allowed) {
        var pieces = new ArrayList<Piece>();
        var unknown = new TreeSet<String>();
        Matcher matcher = PLACEHOLDER.matcher(source);
        int from = 0;
        while (matcher.find()) {
            String name = matcher.group(1);
            if (allowed != null && !allowed.contains(name)) {
                unknown.add("{" + name + "}");
                continue;
            }
            if (matcher.start() > from) {
                pieces.add(new Piece(source.substring(from, matcher.start()), null));
            }
            pieces.add(new Piece(null, name));
            from = matcher.end();
        }
        if (!unknown.isEmpty()) {
            throw new InputException(
                    "prompt template "
                            + origin
                            + " uses unknown placeholder(s) "
                            + unknown
                            + "; known ones are "
                            + new TreeSet<>(allowed));
        }
        if (from < source.length()) {
            pieces.add(new Piece(source.substring(from), null));
        }
        return new PromptTemplate(source, origin, List.copyOf(pieces));
    }

    public static PromptTemplate read(Path file) {
        try {
            return parse(TextFiles.readString(file), file.toString(), null);
        } catch (IOException e) {
            throw new InputException(
                    "cannot read prompt template " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The dataset fields this template uses besides the text: every placeholder other than {@code
     * text}, {@code labels}, {@code examples} and {@code textField} (the text's own column name,
     * which renders as the text), in order of first use. Each must be a field of every row of the
     * data.
     */
    public java.util.List<String> dataFields(String textField) {
        var fields = new java.util.LinkedHashSet<String>();
        for (Piece piece : pieces) {
            if (piece.placeholder() != null
                    && !KNOWN_PLACEHOLDERS.contains(piece.placeholder())
                    && !piece.placeholder().equals(textField)) {
                fields.add(piece.placeholder());
            }
        }
        return java.util.List.copyOf(fields);
    }

    /**
     * This template with {@code {name}} rendered as {@code {text}}: a template that names the text
     * column ({@code {premise}}) gets the example's text, truncated as the run truncates it.
     */
    public PromptTemplate renderingAsText(String name) {
        if (name == null || KNOWN_PLACEHOLDERS.contains(name) || !uses(name)) {
            return this;
        }
        var renamed =
                pieces.stream()
                        .map(p -> name.equals(p.placeholder()) ? new Piece(null, "text") : p)
                        .toList();
        return new PromptTemplate(source, origin, renamed);
    }

    public boolean uses(String placeholder) {
        return pieces.stream().anyMatch(p -> placeholder.equals(p.placeholder()));
    }

    /**
     * Fills every placeholder from {@code values}; a placeholder with no value is an error, never
     * left in place.
     */
    public String render(Map<String, String> values) {
        var out = new StringBuilder(source.length() + 512);
        for (Piece piece : pieces) {
            if (piece.literal() != null) {
                out.append(piece.literal());
            } else {
                String value = values.get(piece.placeholder());
                if (value == null) {
                    throw new IllegalArgumentException(
                            "no value for {" + piece.placeholder() + "} in " + origin);
                }
                out.append(value);
            }
        }
        return out.toString();
    }

    /**
     * The label list as the seed prompts show it: one {@code * name} line per label, no trailing
     * newline.
     */
    public static String bulletList(List<String> labels) {
        return String.join("\n", labels.stream().map(name -> "* " + name).toList());
    }

    public String source() {
        return source;
    }

    public String origin() {
        return origin;
    }

    public String sha256() {
        return Sha256.hex(source);
    }
}
