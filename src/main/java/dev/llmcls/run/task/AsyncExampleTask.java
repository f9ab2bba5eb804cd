package dev.llmcls.run.task;

import dev.llmcls.data.Example;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A task whose examples wait for the server without a thread each: {@link #start} returns as soon
 * as the first request is on its way, and the rest of the example (its answer, its retries after
 * their pause) runs on the given executor when there is something to do. The runner keeps as many
 * examples in flight as the limit allows with a few threads (see {@code run.ExampleRunner}).
 */
public interface AsyncExampleTask extends ExampleTask {
    /**
     * Starts {@code example}. The future completes with its result (failures are records with an
     * error, as {@link #process} returns them), or fails with what {@link #process} would throw
     * (the run stops); cancelling it stops the example where it is and nothing is recorded for it,
     * so a resumed run tries it again. A future that ends cancelled without being asked to is an
     * example interrupted while it was being prepared. Steps after a wait run on {@code executor},
     * whose threads never block on the server.
     */
    CompletableFuture<TaskResult> start(Example example, Executor executor);
}
