/**
 * Scoring run files: streams each file once, keeps a few bytes per example, and computes accuracy
 * with its Wilson interval, macro-F1, per-class figures, confusion matrices, token use, and paired
 * comparisons (bootstrap, McNemar). Each way of reading a prediction out of a record is an {@link
 * dev.llmcls.eval.Scorer} ({@link dev.llmcls.eval.SeedScorer}, {@link
 * dev.llmcls.eval.StrictScorer}), over the rules of {@code label}.
 *
 * <p>May depend on {@code core}, {@code data}, {@code label} and {@code runfile}.
 */
package dev.llmcls.eval;
