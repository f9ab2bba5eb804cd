/**
 * Renders an evaluation: aligned text and markdown tables, JSON, CSV, and the self-contained HTML page.
 *
 * <p>May depend on {@code core} and {@code eval}.
 */
package dev.llmcls.report;
