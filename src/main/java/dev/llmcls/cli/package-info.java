/**
 * The command line (picocli): {@link dev.llmcls.cli.Cli} wires the commands, streams and error handling;
 * {@code classify} and {@code evaluate} parse and validate options, build plain configuration values and delegate
 * to {@code run}, {@code eval} and {@code report}. Output goes only through the command line's writers.
 *
 * <p>May depend on every other package; none may depend on it.
 */
package dev.llmcls.cli;
