/**
 * What the worker pool runs and every method implements: one example in, one record out ({@link
 * dev.llmcls.run.task.ExampleTask}, {@link dev.llmcls.run.task.TaskResult}), with the retry policy
 * a server's failures go through ({@link dev.llmcls.run.task.RetryPolicy}).
 *
 * <p>May depend on {@code core}, {@code data}, {@code llm} and {@code runfile}.
 */
package dev.llmcls.run.task;
