/**
 * Classifying in-process with an embedding model instead of a server ({@code --mode
 * similarity|knn|linear|knn-tfidf}): {@link dev.llmcls.run.embedded.EmbeddedMethod} and its four
 * kinds, their task, and the labelled training pool ({@code --train}) that kNN classification, the
 * linear probe, kNN with TF-IDF and kNN demonstrations draw on ({@link
 * dev.llmcls.run.embedded.TrainingPool}).
 *
 * <p>May depend on {@code core}, {@code data}, {@code learn}, {@code embed}, {@code runfile} and
 * {@code run.task}.
 */
package dev.llmcls.run.embedded;
