/**
 * The command line (picocli): {@link dev.llmcls.cli.Cli} wires the commands, streams and error
 * handling; {@code classify} and {@code evaluate} parse and validate options, build plain
 * configuration values and delegate to {@code run}, {@code eval} and {@code report}. Output goes
 * only through the command line's writers.
 *
 * <p>Options come in sections, one class each ({@code DataOptions}, {@code MethodOptions}, {@code
 * SamplingOptions}, {@code ServerOptions}, {@code ExecutionOptions}, {@code OutputOptions}), held
 * by a command as picocli argument groups, so that each command takes only the sections that apply;
 * {@code OptionRules} is the one table of rules on their values that every command is checked
 * against. {@code docs/cli/} is generated from these annotations.
 *
 * <p>May depend on every other package; none may depend on it.
 */
package dev.llmcls.cli;
