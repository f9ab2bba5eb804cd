package dev.llmcls.eval;

import java.util.Locale;

/** The ways an answer is read: the seed experiment's rule, kept exactly, and the strict reading. */
public enum Scorer {
    SEED, STRICT;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
