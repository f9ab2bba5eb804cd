package dev.llmcls.run.task;

import dev.llmcls.data.Example;

/** Turns one example into one record. Failures become records with an error, never exceptions. */
public interface ExampleTask {
    /**
     * Classifies one example and returns its result (a failed request is a result too).
     *
     * @throws InterruptedException when the run is being stopped while this example waited; nothing
     *     is recorded for it, so that a resumed run tries it again
     */
    TaskResult process(Example example) throws InterruptedException;
}
