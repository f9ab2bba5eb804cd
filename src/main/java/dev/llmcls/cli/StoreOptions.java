package dev.llmcls.cli;

import dev.llmcls.store.StoreSettings;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How {@code classify} uses the answer store: {@code --store}, {@code --no-store}, {@code --refresh}, {@code --reuse}. */
public final class StoreOptions {
    @Option(names = "--store", paramLabel = "DIR",
            description = "The answer store: answers kept across runs under the model and the exact request, so that "
                    + "a request asked before is answered from it (no request sent; its record says cached_from). "
                    + "Default: $" + StoreSettings.ENVIRONMENT + " (" + StoreSettings.OFF + " turns it off), else "
                    + "~/.cache/llmcls/answers.")
    Path store;

    @Option(names = "--no-store", description = "Neither read nor write the answer store.")
    boolean noStore;

    @Option(names = "--refresh", description = "Send every request again and replace the stored answers (never "
            + "read the store).")
    boolean refresh;

    @Option(names = "--reuse", paramLabel = "sampled",
            description = "sampled: also reuse sampled answers (temperature above 0 without --seed). They are stored "
                    + "but not reused by default, since reuse would make replicates identical.")
    String reuse;

    /** What was asked, checked: one clear error for a contradiction or an unknown --reuse. */
    StoreSettings settings(CommandLine commandLine, Map<String, String> environment, String userHome) {
        if (noStore && refresh) {
            throw new CommandLine.ParameterException(commandLine, "--no-store and --refresh contradict each other: "
                    + "--refresh writes the store");
        }
        if (noStore && store != null) {
            throw new CommandLine.ParameterException(commandLine, "--no-store and --store contradict each other");
        }
        if (reuse != null && !reuse.equals("sampled")) {
            throw new CommandLine.ParameterException(commandLine, "--reuse takes 'sampled', got '" + reuse + "'");
        }
        StoreSettings.Use use = noStore ? StoreSettings.Use.OFF
                : refresh ? StoreSettings.Use.REFRESH : StoreSettings.Use.READ_WRITE;
        return StoreSettings.of(store, use, reuse != null, environment, userHome);
    }
}
