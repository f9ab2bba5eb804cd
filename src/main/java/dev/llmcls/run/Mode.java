package dev.llmcls.run;

import java.util.Locale;

/**
 * {@code --mode}: a prompting mode picks its template {@code prompts/MODE.txt} (the seed's {@code
 * basic} and {@code reason}; CARP's {@code carp} and {@code carp-zh}); {@code similarity}, {@code
 * knn}, {@code linear} and {@code knn-tfidf} classify in-process with an embedding model and send
 * no prompt; {@code multi-label} ({@code prompts/multi-label.txt}) asks for every label that
 * applies, for multi-label data.
 */
public enum Mode {
    BASIC,
    REASON,
    CARP,
    CARP_ZH,
    SIMILARITY,
    KNN,
    LINEAR,
    KNN_TFIDF,
    MULTI_LABEL;

    /** The name users write and manifests record, e.g. {@code carp-zh}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether this mode classifies in-process instead of prompting a server. */
    public boolean embedded() {
        return this == SIMILARITY || this == KNN || this == LINEAR || this == KNN_TFIDF;
    }
}
