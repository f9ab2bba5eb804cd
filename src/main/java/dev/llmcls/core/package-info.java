/**
 * The vocabulary every stage shares, so that no stage has to import another for it: a run's JSONL record
 * ({@link dev.llmcls.core.RunRecord}) and the streaming reader of run files ({@link dev.llmcls.core.RecordStream},
 * {@link dev.llmcls.core.EvalRecord}), the one Jackson configuration ({@link dev.llmcls.core.Json}), the input
 * error that maps to exit code 2 ({@link dev.llmcls.core.InputException}), SHA-256, atomic file writes, and the
 * reading of users' text files without their byte-order mark ({@link dev.llmcls.core.TextFiles}).
 *
 * <p>Depends on no other llmcls package (Jackson only).
 */
package dev.llmcls.core;
