/**
 * llmcls: text classification experiments with large language models. {@link dev.llmcls.Main} only
 * starts {@link dev.llmcls.cli}. The packages, bottom to top (each may use only those its
 * package-info lists, all before it; ArchitectureTest enforces the map, that the graph has no
 * cycle, that nothing below {@code cli} uses it, and that no class uses langchain4j):
 *
 * <ol>
 *   <li>{@code core}: the shared vocabulary: JSON, errors and exit codes, hashing, atomic files,
 *       text files;
 *   <li>{@code data}: dataset readers and the label list;
 *   <li>{@code label}: reading a label out of an answer;
 *   <li>{@code llm}: model access vocabulary; {@code llm.openai}: the OpenAI-compatible client;
 *       {@code llm.concurrency}: how many requests are in flight;
 *   <li>{@code prompt}: templates and demonstrations;
 *   <li>{@code embed}: the bundled embedding models, their cache, similarity and kNN;
 *   <li>{@code runfile}: the on-disk run format: records, reader, writer, manifest, resume state,
 *       lock;
 *   <li>{@code eval}: scoring run files, statistics, comparisons;
 *   <li>{@code run.task}, {@code run.embedded}, {@code run.prompting}, {@code run.likelihood}: what
 *       a method does with one example; {@code run}: a classify run orchestrated; {@code
 *       run.batchfile}: a run through batch files;
 *   <li>{@code report}: tables, JSON, CSV and HTML of an evaluation;
 *   <li>{@code cli}: the picocli commands, which parse options and delegate.
 * </ol>
 */
package dev.llmcls;
