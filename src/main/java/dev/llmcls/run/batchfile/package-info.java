/**
 * A prompting run carried out through OpenAI batch files: {@code batch export} writes the requests
 * ({@link dev.llmcls.run.batchfile.BatchExport}), {@code batch import} turns the answers into the
 * run's records and manifest ({@link dev.llmcls.run.batchfile.BatchImport}).
 *
 * <p>May depend on {@code core}, {@code data}, {@code llm}, {@code llm.openai}, {@code runfile},
 * {@code run.task}, {@code run.prompting} and {@code run} (a batch file run is planned as a {@code
 * classify} run is).
 */
package dev.llmcls.run.batchfile;
