/**
 * {@code --scoring likelihood}: each label scored by its log-likelihood after the prompt instead of
 * letting the model write ({@link dev.llmcls.run.likelihood.LikelihoodTask}), the probe that checks
 * a server can do it, and the content-free inputs that contextual calibration measures ({@link
 * dev.llmcls.run.likelihood.ContentFree}).
 *
 * <p>May depend on {@code core}, {@code data}, {@code label}, {@code llm}, {@code prompt}, {@code
 * runfile}, {@code run.task} and {@code run.prompting} (it renders prompts as a prompting run
 * does).
 */
package dev.llmcls.run.likelihood;
