/**
 * Reading the label out of a model's answer: the seed experiment's rule ({@link
 * dev.llmcls.label.SeedRule}, kept exactly), the strict rule with aliases ({@link
 * dev.llmcls.label.StrictRule}), answer constraints ({@link dev.llmcls.label.Constraint}), majority
 * votes and the probabilities read from log-probabilities. The rules read one answer; {@code
 * eval}'s scorers apply them to a run.
 *
 * <p>May depend on {@code core} and {@code data}.
 */
package dev.llmcls.label;
