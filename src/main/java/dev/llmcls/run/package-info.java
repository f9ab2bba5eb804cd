/**
 * One {@code classify} run, orchestrated: check the data ({@link dev.llmcls.run.DataScan}) and the
 * servers ({@link dev.llmcls.run.Connection}), resume from what the output holds, classify the rest
 * with the worker pool that keeps exactly the configured number of requests in flight ({@link
 * dev.llmcls.run.ExampleRunner}), and leave a manifest that says what happened; stop signals,
 * progress and the summary. How each example is classified is a {@link dev.llmcls.run.Method}:
 * {@code run.prompting}, {@code run.likelihood} or {@code run.embedded}.
 *
 * <p>A prompting run asks the answer store ({@code store}) before it sends a request; every run
 * keeps its output's progress summary ({@code runs}) as it writes.
 *
 * <p>May depend on {@code core}, {@code data}, {@code llm}, {@code llm.openai}, {@code
 * llm.concurrency}, {@code prompt}, {@code runfile}, {@code run.task}, {@code run.prompting},
 * {@code run.likelihood} and {@code run.embedded}, {@code store} and {@code runs}; never on {@code
 * eval} itself, {@code report}, {@code cli} or {@code run.batchfile}.
 */
package dev.llmcls.run;
