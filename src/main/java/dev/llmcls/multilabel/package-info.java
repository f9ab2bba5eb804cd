/**
 * Multi-label classification's scoring: reading a run's multi-label records (gold and predicted
 * label sets, {@link dev.llmcls.multilabel.MultiLabelRecords}), the figures over them (subset
 * accuracy, Hamming loss, micro, macro and sample F1, per-label precision/recall/F1 and support:
 * {@link dev.llmcls.multilabel.MultiLabelTally}) and the per-label threshold sweep over label
 * probabilities ({@link dev.llmcls.multilabel.ThresholdSweep}). The single-label scoring stays in
 * {@code eval}, untouched.
 *
 * <p>May depend on {@code core}, {@code data} and {@code label}.
 */
package dev.llmcls.multilabel;
