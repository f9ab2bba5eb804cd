package dev.llmcls.cli;

import dev.llmcls.store.StoreSettings;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How {@code classify} uses the answer store: {@code --store}, {@code --no-store}, {@code
 * --refresh}, {@code --reuse}.
 */
public final class StoreOptions {
    @Option(
            names = "--store",
            paramLabel = "DIR",
            description =
                    "The answer store: answers kept across runs under the model and the exact"
                        + " request, so that a request asked before is answered from it (no request"
                        + " sent; its record says cached_from). Default: $"
                            + StoreSettings.ENVIRONMENT
                            + " ("
                            + StoreSettings.OFF
                            + " turns it off), else "
                            + "~/.cache/llmcls/answers.")
    Path store;

    @Option(names = "--no-store", description = "Neither read nor write the answer store.")
    boolean noStore;

    @Option(
            names = "--refresh",
            description =
                    "Send every request again and replace the stored answers (never "
                            + "read the store).")
    boolean refresh;

    @Option(
            names = "--reuse",
            paramLabel = "sampled",
            description =
                    "sampled: also reuse sampled answers (temperature above 0 without --seed). They"
                        + " are stored but not reused by default, since reuse would make replicates"
                        + " identical.")
    String reuse;

    /** What was asked; {@link OptionRules} has refused contradictions and an unknown --reuse. */
    StoreSettings settings(Map<String, String> environment, String userHome) {
        StoreSettings.Use use =
                noStore
                        ? StoreSettings.Use.OFF
                        : refresh ? StoreSettings.Use.REFRESH : StoreSettings.Use.READ_WRITE;
        return StoreSettings.of(store, use, reuse != null, environment, userHome);
    }
}
