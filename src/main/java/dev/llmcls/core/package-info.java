/**
 * The vocabulary every stage shares, so that no stage has to import another for it: the one Jackson
 * configuration ({@link dev.llmcls.core.Json}), the input error that maps to exit code 2 ({@link
 * dev.llmcls.core.InputException}) and the exit codes, SHA-256, atomic file writes, the reading of
 * users' text files without their byte-order mark ({@link dev.llmcls.core.TextFiles}), the nearest
 * name for "did you mean" ({@link dev.llmcls.core.Nearest}), and the one interface a recorded
 * setting implements ({@link dev.llmcls.core.RecordedSettings}), which the model's sampling
 * parameters and each method's settings share.
 *
 * <p>Depends on no other llmcls package (Jackson only).
 */
package dev.llmcls.core;
