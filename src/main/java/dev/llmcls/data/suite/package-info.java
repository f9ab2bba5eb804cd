/**
 * The ready suite: one entry per benchmark dataset under the installation's {@code datasets/}
 * folder (a YAML file each, read into a {@link dev.llmcls.data.suite.SuiteEntry}), naming its Hub
 * dataset and split, its fields and labels, a basic and a reason prompt in the seed's style, and
 * the published zero-shot figure it is compared against. {@code --data suite:NAME} resolves to the
 * entry's {@code hf:} dataset, fields, labels and prompt; {@code llmcls datasets} lists the suite.
 *
 * <p>May depend on {@code core}, {@code data} and {@code data.hub} (an entry's Hub id is checked as
 * {@code --data hf:} checks it). The templates stay text here: {@code prompt} sits above {@code
 * data}, and the command line parses them.
 */
package dev.llmcls.data.suite;
