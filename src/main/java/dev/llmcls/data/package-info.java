/**
 * Datasets: the formats (AG News CSV, CSV with a header, JSONL, Parquet), the lazy readers that
 * name file and line of a bad row, {@link dev.llmcls.data.Example} (one gold label, or a set of
 * them for multi-label data: a JSONL list, a CSV cell split by a separator), the label list an
 * example's gold indices point into, and the {@link dev.llmcls.data.Shard} an example's id puts it
 * in.
 *
 * <p>May depend on {@code core} and {@code data.parquet} (the Parquet reader's pieces).
 */
package dev.llmcls.data;
