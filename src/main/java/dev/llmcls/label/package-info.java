/**
 * Reading the label out of a model's answer: the seed experiment's rule ({@link dev.llmcls.label.SeedScorer},
 * kept exactly), the strict reading with aliases ({@link dev.llmcls.label.StrictScorer}), answer constraints
 * ({@link dev.llmcls.label.Constraint}) and majority votes.
 *
 * <p>May depend on {@code core} and {@code data}.
 */
package dev.llmcls.label;
