/**
 * The answer store: every answer a server gave, kept in one SQLite database under a key of the
 * server's model identity and the exact request body, so that no run pays twice for the same
 * question ({@link dev.llmcls.store.AnswerStore}); what a run asks of it ({@link
 * dev.llmcls.store.StoreSettings}) and the answers it found and kept ({@link
 * dev.llmcls.store.StoreSession}), which asks the database only for keys it may hold ({@link
 * dev.llmcls.store.KnownKeys}).
 *
 * <p>May depend on {@code core} and {@code llm} (it implements {@link
 * dev.llmcls.llm.AnswerMemory}).
 */
package dev.llmcls.store;
