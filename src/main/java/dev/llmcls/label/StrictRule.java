package dev.llmcls.label;

import dev.llmcls.data.LabelSet;
import java.lang.Character.UnicodeScript;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stricter reading of an answer than the seed rule: take the text after the last label marker
 * ({@code label} as a word in any case, {@code 标签} or {@code 类别}; markdown such as {@code
 * **Label:**} and full-width colons are harmless), or the whole answer when there is none; find the
 * label names and aliases that occur there as whole words, in any case. Exactly one label is the
 * prediction; none is {@link #NO_LABEL}; several are {@link #MULTI_LABEL}.
 */
public final class StrictRule {
    public static final int NO_LABEL = -1;
    public static final int MULTI_LABEL = -2;

    private static final Pattern SPACE = Pattern.compile("\\s+");

    private final Pattern names;
    private final ShortTextMemo<Integer> memo = new ShortTextMemo<>();
    private final ThreadLocal<Matcher> matchers;
    private final Map<String, Integer> labelOfKey = new HashMap<>();
    private final Map<String, Integer> labelOfTerm = new HashMap<>();
    private final int labelCount;

    public StrictRule(LabelSet vocabulary) {
        List<String> labels = vocabulary.names();
        labelCount = labels.size();
        var terms = new ArrayList<String>();
        for (int i = 0; i < labels.size(); i++) {
            labelOfKey.put(key(labels.get(i)), i);
            labelOfTerm.put(labels.get(i), i);
            terms.add(labels.get(i));
        }
        for (var alias : vocabulary.aliases().entrySet()) {
            int label = vocabulary.indexOf(alias.getValue()).orElseThrow();
            labelOfKey.putIfAbsent(key(alias.getKey()), label);
            labelOfTerm.putIfAbsent(alias.getKey(), label);
            terms.add(alias.getKey());
        }
        // Longest first, so that at any position the longest name wins ("Science | Technology"
        // before "Science").
        terms.sort(Comparator.comparingInt(String::length).reversed());
        var alternatives = new ArrayList<String>();
        for (String term : terms) {
            alternatives.add(termPattern(term));
        }
        names =
                Pattern.compile(
                        String.join("|", alternatives),
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        matchers = ThreadLocal.withInitial(() -> names.matcher(""));
    }

    /** The label index an answer names, or {@link #NO_LABEL} / {@link #MULTI_LABEL}. */
    public int predict(String output) {
        if (output == null) {
            return NO_LABEL;
        }
        int from = afterLastMarker(output);
        if (output.length() - from > ShortTextMemo.MAX_LENGTH) {
            return findIn(output, from); // not remembered: no need to copy the region out
        }
        // The search runs in the region after the marker with opaque bounds (the look-behind cannot
        // see before it),
        // so its result is a function of that text alone, and it can be remembered by that text.
        return memo.get(output.substring(from), region -> findIn(output, from));
    }

    /**
     * Where the text after the last marker starts: after the last {@code label} (any case) that is
     * a word of its own, or after the last {@code 标签} or {@code 类别}; 0 when there is none. Scans
     * from the end, where the marker usually is.
     */
    static int afterLastMarker(String output) {
        int end = 0;
        for (int i = output.length() - 5; i >= 0; i--) {
            char c = output.charAt(i);
            if ((c == 'l' || c == 'L')
                    && output.regionMatches(true, i, "label", 0, 5)
                    && (i == 0 || !isWordChar(output.codePointBefore(i)))
                    && (i + 5 == output.length() || !isWordChar(output.codePointAt(i + 5)))) {
                end = i + 5;
                break;
            }
        }
        for (String marker : new String[] {"标签", "类别"}) {
            int at = output.lastIndexOf(marker);
            if (at >= 0) {
                end = Math.max(end, at + marker.length());
            }
        }
        return end;
    }

    private static boolean isWordChar(int codePoint) {
        return codePoint == '_' || Character.isLetterOrDigit(codePoint);
    }

    /**
     * The prediction of a structured-output run's {@code label} field: a label name or alias (any
     * case, surrounding space ignored) is that label; other text is read like an answer.
     */
    public int resolve(String label) {
        Integer index = labelOfKey.get(key(label));
        return index != null ? index : predict(label);
    }

    /**
     * The multi-label reading of an answer: every label whose name or alias occurs as a whole word
     * (any case) after the last {@code labels} or {@code label} marker ({@code 标签}, {@code 类别}; the
     * whole answer when there is none), as label indices in label order; empty when it names none.
     */
    public java.util.SortedSet<Integer> predictAll(String output) {
        var found = new java.util.TreeSet<Integer>();
        if (output == null) {
            return found;
        }
        Matcher matcher = names.matcher(output);
        matcher.region(afterLastListMarker(output), output.length());
        while (matcher.find()) {
            found.add(labelOf(matcher.group()));
        }
        return found;
    }

    /** As {@link #afterLastMarker}, the plural {@code labels} being a marker too. */
    static int afterLastListMarker(String output) {
        int end = afterLastMarker(output);
        for (int i = output.length() - 6; i >= 0 && i + 6 > end; i--) {
            if ((output.charAt(i) == 'l' || output.charAt(i) == 'L')
                    && output.regionMatches(true, i, "labels", 0, 6)
                    && (i == 0 || !isWordChar(output.codePointBefore(i)))
                    && (i + 6 == output.length() || !isWordChar(output.codePointAt(i + 6)))) {
                return Math.max(end, i + 6);
            }
        }
        return end;
    }

    private int findIn(String text, int from) {
        Matcher matcher = matchers.get().reset(text);
        matcher.region(from, text.length());
        int found = NO_LABEL;
        while (matcher.find()) {
            int label = labelOf(matcher.group());
            if (found == NO_LABEL) {
                found = label;
            } else if (found != label) {
                return MULTI_LABEL;
            }
        }
        matcher.reset("");
        return found;
    }

    private int labelOf(String matched) {
        Integer index = labelOfTerm.get(matched);
        if (index == null) {
            index = labelOfKey.get(key(matched));
        }
        if (index == null) {
            throw new IllegalStateException(
                    "matched '" + matched + "', which is no label name or alias");
        }
        return index;
    }

    public int labelCount() {
        return labelCount;
    }

    private static String key(String name) {
        return LabelSet.key(name);
    }

    /**
     * A term as a regular expression: its white space matches any (or no) white space, and a term
     * that starts or ends with a letter or digit of a script written with spaces must not touch
     * another letter or digit there.
     */
    private static String termPattern(String term) {
        var pattern = new StringBuilder();
        String stripped = term.strip();
        if (needsBoundary(stripped.codePointAt(0))) {
            pattern.append("(?<![\\p{L}\\p{N}])");
        }
        // split drops trailing empty strings; the term is stripped, so there are none to lose.
        @SuppressWarnings("StringSplitter")
        String[] words = SPACE.split(stripped);
        for (int i = 0; i < words.length; i++) {
            pattern.append(i == 0 ? "" : "\\s*").append(Pattern.quote(words[i]));
        }
        if (needsBoundary(stripped.codePointBefore(stripped.length()))) {
            pattern.append("(?![\\p{L}\\p{N}])");
        }
        return pattern.toString();
    }

    private static boolean needsBoundary(int codePoint) {
        if (!Character.isLetterOrDigit(codePoint)) {
            return false;
        }
        UnicodeScript script = UnicodeScript.of(codePoint);
        return script != UnicodeScript.HAN
                && script != UnicodeScript.HIRAGANA
                && script != UnicodeScript.KATAKANA
                && script != UnicodeScript.THAI;
    }
}
