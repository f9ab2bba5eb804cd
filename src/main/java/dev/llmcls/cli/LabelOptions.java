package dev.llmcls.cli;

import dev.llmcls.data.LabelSet;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --labels} / {@code --labels-file}, shared by the commands that need a label list. */
public final class LabelOptions {
    @Option(names = "--labels", paramLabel = "LIST",
            description = "Comma-separated label names in class order (default: ${DEFAULT-VALUE}).",
            defaultValue = LabelSet.AG_NEWS)
    String labels;

    @Option(names = "--labels-file", paramLabel = "FILE", description = "Label names, one a line (overrides --labels); a line 'Name: description' also describes the "
                    + "label for --mode similarity, and 'Name = alias, alias' gives evaluate's strict scorer other names for it.")
    Path labelsFile;

    private LabelSet parsed;

    /** The labels, with the labels file's aliases and descriptions; the file is read once. */
    public LabelSet labelSet() {
        if (parsed == null) {
            parsed = labelsFile != null ? LabelSet.read(labelsFile) : LabelSet.parse(labels);
        }
        return parsed;
    }

    /** Whether the user chose labels explicitly, rather than leaving the default. */
    public boolean given(picocli.CommandLine.ParseResult parsed) {
        return labelsFile != null || parsed.hasMatchedOption("--labels");
    }
}
