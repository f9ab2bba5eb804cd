/**
 * One {@code classify} run: the methods (prompting a server, or an embedded classifier), the worker pool that keeps
 * exactly the configured number of requests in flight, retries, resume and the manifest, stop signals, progress
 * and the summary. Also a run carried out through OpenAI batch files ({@link dev.llmcls.run.BatchExport},
 * {@link dev.llmcls.run.BatchImport}) and the grouping of a sharded run's files ({@link dev.llmcls.run.ShardedRuns}).
 *
 * A prompting run asks the answer store ({@code store}) before it sends a request.
 *
 * <p>May depend on {@code core}, {@code data}, {@code label}, {@code llm}, {@code prompt}, {@code embed} and
 * {@code store}; never on
 * {@code eval}, {@code report} or {@code cli}.
 */
package dev.llmcls.run;
