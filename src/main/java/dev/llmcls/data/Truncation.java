package dev.llmcls.data;

import dev.llmcls.core.InputException;
import java.util.List;
import java.util.Locale;

/**
 * {@code --truncate}: the most of an example's text that is sent, in characters or tokens, cut from
 * the end (the start is kept) or from the middle (the start and the end are kept, half each, joined
 * by {@link #MIDDLE_MARK}). Written {@code chars:N}, {@code tokens:N}, {@code chars:N:middle}.
 */
public record Truncation(Unit unit, int limit, From from) {
    /** What joins the kept start and end of a text cut in the middle. */
    public static final String MIDDLE_MARK = " [...] ";

    public enum Unit {
        CHARS,
        TOKENS;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum From {
        END,
        MIDDLE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Truncation {
        if (limit < 1) {
            throw new InputException("--truncate needs a length of at least 1, got " + limit);
        }
    }

    /**
     * Parses {@code chars:N}, {@code tokens:N}, optionally followed by {@code :end} or {@code
     * :middle}.
     */
    public static Truncation parse(String option) {
        String[] parts = option.strip().toLowerCase(Locale.ROOT).split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new InputException(
                    "--truncate takes chars:N or tokens:N, optionally :end or :middle; got '"
                            + option
                            + "'");
        }
        Unit unit =
                switch (parts[0]) {
                    case "chars", "characters" -> Unit.CHARS;
                    case "tokens" -> Unit.TOKENS;
                    default ->
                            throw new InputException(
                                    "--truncate: unit '"
                                            + parts[0]
                                            + "' is neither chars nor tokens");
                };
        int limit;
        try {
            limit = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new InputException("--truncate: '" + parts[1] + "' is not a whole number");
        }
        From from = From.END;
        if (parts.length == 3) {
            from =
                    switch (parts[2]) {
                        case "end" -> From.END;
                        case "middle" -> From.MIDDLE;
                        default ->
                                throw new InputException(
                                        "--truncate: cut '"
                                                + parts[2]
                                                + "' is neither end nor middle");
                    };
        }
        return new Truncation(unit, limit, from);
    }

    /**
     * The text cut to {@link #limit} characters (code points: a character is never split), or as it
     * is.
     */
    public String cutChars(String text) {
        int length = text.codePointCount(0, text.length());
        if (length <= limit) {
            return text;
        }
        if (from == From.END) {
            return text.substring(0, text.offsetByCodePoints(0, limit));
        }
        int head = (limit + 1) / 2;
        int tail = limit - head;
        return text.substring(0, text.offsetByCodePoints(0, head))
                + MIDDLE_MARK
                + text.substring(text.offsetByCodePoints(text.length(), -tail));
    }

    /**
     * Which of {@code count} tokens are kept: the first {@link #limit}, or the first and last
     * halves.
     */
    public <T> List<List<T>> keptTokens(List<T> tokens) {
        if (tokens.size() <= limit) {
            return List.of(tokens);
        }
        if (from == From.END) {
            return List.of(tokens.subList(0, limit));
        }
        int head = (limit + 1) / 2;
        return List.of(
                tokens.subList(0, head),
                tokens.subList(tokens.size() - (limit - head), tokens.size()));
    }

    /** How the option is written, e.g. {@code tokens:512:end}: what the manifest records. */
    @Override
    public String toString() {
        return unit + ":" + limit + ":" + from;
    }
}
