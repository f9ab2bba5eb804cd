/**
 * Datasets: the formats (AG News CSV, CSV with a header, JSONL), the lazy readers that name file and line of a bad
 * row, {@link dev.llmcls.data.Example}, and the label list an example's gold index points into.
 *
 * <p>May depend on {@code core}.
 */
package dev.llmcls.data;
