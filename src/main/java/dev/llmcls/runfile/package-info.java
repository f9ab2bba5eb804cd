/**
 * The on-disk run format, read and written: a run's JSONL record ({@link
 * dev.llmcls.runfile.RunRecord}), its writer ({@link dev.llmcls.runfile.JsonlWriter}) and its
 * streaming readers ({@link dev.llmcls.runfile.RecordStream}, {@link
 * dev.llmcls.runfile.RecordScanner}, {@link dev.llmcls.runfile.EvalRecord}); the manifest beside it
 * ({@link dev.llmcls.runfile.Manifest}) with what it records of the settings ({@link
 * dev.llmcls.runfile.RunSettings} and one settings record per method); what resuming needs (the
 * output's state, the id set, the comparison of two manifests, moving an output aside), the
 * output's lock, and the grouping of a sharded run's files ({@link
 * dev.llmcls.runfile.ShardedRuns}).
 *
 * <p>May depend on {@code core}, {@code data}, {@code llm} (the sampling parameters a manifest
 * records) and {@code llm.concurrency} (the concurrency report a manifest records).
 */
package dev.llmcls.runfile;
