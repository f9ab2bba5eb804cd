package dev.llmcls.core;

import java.util.Collection;

/**
 * The candidate nearest to a misspelt name (Levenshtein distance), for "did you mean" in error
 * messages.
 */
public final class Nearest {
    private Nearest() {}

    /** The nearest candidate, or null when there are none. */
    public static String of(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(name, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** "unknown WHAT 'name'; the nearest is 'x'" or with the full list when there are few. */
    public static String unknown(String what, String name, Collection<String> candidates) {
        String nearest = of(name, candidates);
        return "unknown "
                + what
                + " '"
                + name
                + "'"
                + (nearest == null ? "" : "; did you mean '" + nearest + "'?");
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
