package dev.llmcls.core;

import java.util.Map;

/**
 * One part of what a run records in its manifest's {@code sampling} object and compares on resume:
 * the model's sampling parameters, or one method's settings. Implementations are records, so two
 * parts compare by value; their {@link #json} is what the manifest holds, with keys in the order
 * the manifest writes them.
 */
public interface RecordedSettings {
    /**
     * The manifest keys and their values (numbers, strings, lists; no nulls unless the key is
     * always written).
     */
    Map<String, Object> json();

    /** What {@code key} is, as a resume refusal names it, e.g. {@code "sampling parameters"}. */
    String meaning(String key);
}
