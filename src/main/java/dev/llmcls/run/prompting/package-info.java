/**
 * Prompting a server for each example ({@link dev.llmcls.run.prompting.PromptTask}) and the methods
 * that shape it ({@link dev.llmcls.run.prompting.PromptMethod}): demonstrations, votes over sampled
 * answers ({@link dev.llmcls.run.prompting.VotingMethod}), answer constraints and answer confidence
 * ({@link dev.llmcls.run.prompting.ConfidentMethod}).
 *
 * <p>May depend on {@code core}, {@code data}, {@code label}, {@code llm}, {@code prompt}, {@code
 * embed}, {@code runfile}, {@code run.task} and {@code run.embedded} (kNN demonstrations draw on
 * the training pool).
 */
package dev.llmcls.run.prompting;
