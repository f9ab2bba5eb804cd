/**
 * Every run on the machine, at a glance: {@link dev.llmcls.runs.RunLister} finds the runs under
 * some directories (their manifests) and says of each how far it got, how many answers are right,
 * and whether it is running, stopped or done ({@link dev.llmcls.runs.RunState}), reading only each
 * run's manifest, its lock, its progress summary ({@link dev.llmcls.runs.Progress}, kept by the
 * writer through {@link dev.llmcls.runs.ProgressKeeper}) and the records written since that
 * summary; a run with no summary (written before it existed) is read whole.
 *
 * <p>May depend on {@code core}, {@code data}, {@code label}, {@code runfile} and {@code eval} (the
 * strict scorer).
 */
package dev.llmcls.runs;
