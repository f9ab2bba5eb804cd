/**
 * The Hugging Face Hub as a source of datasets: {@code --data hf:OWNER/NAME[:CONFIG]} with {@code
 * --split}. The split's Parquet file is downloaded once into a local cache, checked against the
 * size and sha256 (or git blob id) the Hub reports, and named by the commit it came from; {@code
 * HF_TOKEN}, {@code HF_ENDPOINT} and {@code HF_HUB_OFFLINE} mean what they mean to {@code
 * huggingface_hub}.
 *
 * <p>May depend on {@code core}.
 */
package dev.llmcls.data.hub;
