package dev.llmcls.cli;

import dev.llmcls.data.LabelSet;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --labels} / {@code --labels-file}: evaluate's "Labels" section, and part of the run
 * commands' "Data" section ({@link DataOptions} extends it, as picocli reads the options of a
 * group's superclass too).
 */
public class LabelOptions {
    @Option(
            names = "--labels",
            paramLabel = "LIST",
            order = 20,
            description = "Comma-separated label names in class order (default: ${DEFAULT-VALUE}).",
            defaultValue = LabelSet.AG_NEWS)
    String labels;

    @Option(
            names = "--labels-file",
            paramLabel = "FILE",
            order = 21,
            description =
                    "Label names, one a line (overrides --labels); a line 'Name: description' also"
                        + " describes the label for --mode similarity, and 'Name = alias, alias'"
                        + " gives evaluate's strict scorer other names for it.")
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
