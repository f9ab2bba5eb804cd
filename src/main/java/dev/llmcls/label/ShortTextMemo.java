package dev.llmcls.label;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers what a rule found in short texts, for rules whose result depends on the text alone.
 * Answers end alike ("label: Sports"), so the few short tails after the marker recur across a whole
 * run and the rule runs once for each. Texts longer than {@link #MAX_LENGTH} are not remembered,
 * and at most {@link #MAX_ENTRIES} are, so a run of free-form answers costs a bounded map. Safe for
 * concurrent use.
 */
public final class ShortTextMemo<V> {
    /** Texts up to this length have their result remembered. */
    public static final int MAX_LENGTH = 64;

    /** At most this many results are remembered. */
    public static final int MAX_ENTRIES = 4096;

    private final Map<String, V> known = new ConcurrentHashMap<>();

    /**
     * The result for {@code text}: remembered, or computed by {@code rule} (and remembered if there
     * is room).
     */
    public V get(String text, Function<String, V> rule) {
        if (text.length() > MAX_LENGTH) {
            return rule.apply(text);
        }
        V result = known.get(text);
        if (result == null) {
            result = rule.apply(text);
            if (known.size() < MAX_ENTRIES) {
                known.put(text, result);
            }
        }
        return result;
    }
}
