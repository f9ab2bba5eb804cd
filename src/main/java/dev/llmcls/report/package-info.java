/**
 * Renders an evaluation: aligned text and markdown tables, JSON, CSV, and the self-contained HTML
 * page; a multi-label evaluation's own in {@link dev.llmcls.report.MultiLabelReport}.
 *
 * <p>May depend on {@code core}, {@code eval} and {@code multilabel}.
 */
package dev.llmcls.report;
