/**
 * Prompts: templates with single-pass placeholder substitution ({@link
 * dev.llmcls.prompt.PromptTemplate}) and few-shot demonstrations ({@link
 * dev.llmcls.prompt.Demonstrations}; how they are chosen is a {@link
 * dev.llmcls.prompt.Demonstrations.Selector}, so this package needs no embedding model).
 *
 * <p>May depend on {@code core} and {@code data}.
 */
package dev.llmcls.prompt;
