/**
 * Scoring run files: streams each file once, keeps a few bytes per example, and computes accuracy with its Wilson
 * interval, macro-F1, per-class figures, confusion matrices, token use, and paired comparisons (bootstrap, McNemar).
 *
 * <p>May depend on {@code core}, {@code data} and {@code label}.
 */
package dev.llmcls.eval;
