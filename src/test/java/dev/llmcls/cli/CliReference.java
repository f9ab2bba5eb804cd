package dev.llmcls.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The command-line reference under {@code docs/cli/}, generated from the commands' annotations so
 * that nothing hand-kept can drift: one Markdown page per command (its full help, sections as
 * picocli renders them at 80 columns), an index, and a bash/zsh completion script from picocli's
 * {@link AutoComplete}. {@link CliReferenceTest} compares the committed files with these and
 * rewrites them when asked.
 */
final class CliReference {
    /** The folder, relative to the repository root. */
    static final String FOLDER = "docs/cli";

    private CliReference() {}

    /** File name (in {@link #FOLDER}) to content, in a stable order. */
    static Map<String, String> files() {
        CommandLine root =
                Cli.commandLine(
                        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        Map<String, String> files = new LinkedHashMap<>();
        List<CommandLine> commands = new ArrayList<>();
        collect(root, commands);
        var index = new StringBuilder();
        index.append("# llmcls command reference\n\n")
                .append(
                        "Generated from the commands' picocli annotations; do not edit by hand."
                                + " Regenerate with\n")
                .append("`")
                .append(CliReferenceTest.REGENERATE)
                .append("`.\n\n")
                .append("| command | what it does |\n|---|---|\n");
        for (CommandLine command : commands) {
            String name = command.getCommandSpec().qualifiedName(" ");
            String file = name.replace(' ', '-') + ".md";
            index.append("| [`")
                    .append(name)
                    .append("`](")
                    .append(file)
                    .append(") | ")
                    .append(firstSentence(command))
                    .append(" |\n");
            files.put(file, page(command, name));
        }
        index.append(
                        "\n"
                                + "Shell completion (bash and zsh): `source"
                                + " docs/cli/llmcls_completion.bash`, or copy it to\n")
                .append("`/etc/bash_completion.d/llmcls`.\n");
        files.put("README.md", index.toString());
        files.put("llmcls_completion.bash", AutoComplete.bash("llmcls", root));
        return files;
    }

    private static void collect(CommandLine command, List<CommandLine> out) {
        if (command.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
            return;
        }
        out.add(command);
        command.getSubcommands()
                .forEach(
                        (name, sub) -> {
                            if (name.equals(sub.getCommandName())) { // not an alias
                                collect(sub, out);
                            }
                        });
    }

    private static String page(CommandLine command, String name) {
        String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
        return "# "
                + name
                + "\n\n"
                + "Generated from the command's picocli annotations (`"
                + name
                + " --help` prints the same); see\n"
                + "[the index](README.md).\n\n"
                + "```text\n"
                + usage.stripTrailing()
                + "\n```\n";
    }

    private static String firstSentence(CommandLine command) {
        String[] description = command.getCommandSpec().usageMessage().description();
        // picocli's format strings: %% is a percent sign, %n a line break
        String text =
                description.length == 0
                        ? ""
                        : description[0].replace("%%", "%").replace("%n", " ").strip();
        int end = text.indexOf(". ");
        return (end < 0 ? text : text.substring(0, end + 1)).replace("|", "\\|");
    }
}
