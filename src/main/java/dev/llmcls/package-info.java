/**
 * llmcls: text classification experiments with large language models. {@link dev.llmcls.Main} only starts
 * {@link dev.llmcls.cli}. The packages, bottom to top (each may use only those listed before it; ArchitectureTest
 * enforces that the graph has no cycle, that nothing below {@code cli} uses it, and that langchain4j stays in
 * {@code llm}):
 * <ol>
 * <li>{@code core}: the shared vocabulary: run records and their reader, JSON, errors, hashing, atomic files;</li>
 * <li>{@code data}: dataset readers and the label list;</li>
 * <li>{@code label}: reading a label out of an answer;</li>
 * <li>{@code llm}: model access: the OpenAI-compatible client and the bundled embedding models;</li>
 * <li>{@code prompt}: templates and demonstrations;</li>
 * <li>{@code embed}: embeddings, their cache, similarity and kNN;</li>
 * <li>{@code eval}: scoring run files, statistics, comparisons;</li>
 * <li>{@code run}: a classify run: methods, concurrency, retries, resume, manifest, progress;</li>
 * <li>{@code report}: tables, JSON, CSV and HTML of an evaluation;</li>
 * <li>{@code cli}: the picocli commands, which parse options and delegate.</li>
 * </ol>
 */
package dev.llmcls;
