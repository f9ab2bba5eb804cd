package dev.llmcls.run;

/**
 * Watches a run: called every few hundred milliseconds from the coordinating thread, and once at
 * the end.
 */
public interface RunMonitor extends AutoCloseable {
    RunMonitor NONE = stats -> {};

    void update(RunStats stats);

    @Override
    default void close() {}
}
