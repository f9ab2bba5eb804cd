/**
 * Datasets: the formats (AG News CSV, CSV with a header, JSONL), the lazy readers that name file and line of a bad
 * row, {@link dev.llmcls.data.Example}, the label list an example's gold index points into, and the
 * {@link dev.llmcls.data.Shard} an example's id puts it in.
 *
 * <p>May depend on {@code core}.
 */
package dev.llmcls.data;
