package dev.llmcls.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The "Output" section of the commands that write a run: its file, starting afresh, and what is
 * shown meanwhile.
 */
public final class OutputOptions {
    @Option(
            names = "--output",
            paramLabel = "FILE",
            description =
                    "JSONL output (default: output/MODE.jsonl; a "
                            + "shard writes FILE with .shard-I-of-N before the extension).")
    Path output;

    @Option(
            names = "--overwrite",
            description = "Start afresh: move an existing output aside instead of resuming.")
    boolean overwrite;

    @Option(
            names = "--progress-interval",
            defaultValue = "30s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "Progress line interval when stderr is not a terminal. Default:"
                            + " ${DEFAULT-VALUE}.")
    Duration progressInterval;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress and no summary.")
    boolean quiet;
}
