package dev.llmcls.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The "Model and sampling" section: what is asked of the model, whether a server or an offline
 * engine answers.
 */
public final class SamplingOptions {
    @Option(
            names = "--model",
            paramLabel = "NAME",
            description =
                    "Model name (default: the first model the server lists; batch export and import"
                            + " need it).")
    String model;

    @Option(
            names = "--temperature",
            defaultValue = "0",
            paramLabel = "T",
            description = "Sampling temperature. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(
            names = "--max-tokens",
            defaultValue = "1024",
            paramLabel = "N",
            description = "Answer length limit. Default: ${DEFAULT-VALUE}.")
    int maxTokens;

    @Option(
            names = "--seed",
            paramLabel = "SEED",
            description = "Sampling seed sent to the server.")
    Integer seed;

    @Option(
            names = "--stop-token-ids",
            split = ",",
            paramLabel = "ID",
            description =
                    "Token ids that end an answer, sent as vLLM's stop_token_ids (default:"
                        + " 151329,151336,151338 for GLM-4 models, none otherwise). Pass 'none' to"
                        + " send none.")
    List<String> stopTokenIds;

    /** The stop tokens asked for: null for the model's default, empty for none. */
    List<Integer> stopTokens(CommandLine commandLine) {
        if (stopTokenIds == null) {
            return null;
        }
        if (stopTokenIds.size() == 1 && stopTokenIds.get(0).equalsIgnoreCase("none")) {
            return List.of();
        }
        List<Integer> ids = new ArrayList<>();
        for (String id : stopTokenIds) {
            try {
                ids.add(Integer.parseInt(id.strip()));
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(
                        commandLine, "--stop-token-ids takes integers, got '" + id + "'");
            }
        }
        return ids;
    }
}
