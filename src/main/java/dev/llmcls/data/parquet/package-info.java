/**
 * What reading Parquet needs beside {@link dev.llmcls.data.DatasetReader}'s source: page codecs in
 * pure Java (no Hadoop, no native libraries) and the Hugging Face {@code features} metadata that
 * names a label column's classes.
 *
 * <p>May depend on {@code core}; never on the rest of {@code data}, which uses it.
 */
package dev.llmcls.data.parquet;
